/**
 * The supervisor's terminal output, which it never depends on. `npm start | tee log` then Ctrl-C kills tee
 * with the supervisor: the next write to the closed pipe fails (EPIPE), and an unhandled 'error' event on
 * process.stderr used to kill the supervisor in the middle of stopping, leaving PostgreSQL, anvil and
 * graph-node running. A closed terminal gives EIO the same way. So every write goes through `say`, errors on
 * stdout and stderr are swallowed, and after the first one nothing more is written there: the supervisor's
 * own log file (<data>/logs/stack.log) is the record.
 *
 * A full pipe (a reader that stopped reading) does not block: on Linux, Node queues writes to a pipe in memory
 * (measured: 20 MB queued in 2.5 s, the event loop kept running), so signal handlers still run.
 */

let gone: string | null = null;
let guarded = false;
const listeners: ((why: string) => void)[] = [];

function lost(e: unknown): void {
  if (gone) return;
  const err = e as NodeJS.ErrnoException;
  gone = err?.code ?? err?.message ?? String(e);
  for (const l of listeners) {
    try {
      l(gone);
    } catch {
      /* a listener must not break the writer */
    }
  }
}

/** Swallows write errors on stdout and stderr from now on (idempotent). */
export function guardTerminal(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on("error", lost);
  process.stderr.on("error", lost);
}

/** Called once, with the error code, when the terminal output fails. */
export function onTerminalLost(listener: (why: string) => void): void {
  listeners.push(listener);
  if (gone) listener(gone);
}

/** Why the terminal output is gone (EPIPE, EIO, …), or null while it works. */
export function terminalLost(): string | null {
  return gone;
}

/** Writes to stderr unless it failed before; never throws. */
export function say(text: string): void {
  guardTerminal();
  if (gone || process.stderr.destroyed) return;
  try {
    process.stderr.write(text);
  } catch (e) {
    lost(e);
  }
}

/** Whether stderr is a terminal (progress lines overwrite themselves there). */
export function isTerminal(): boolean {
  return Boolean(process.stderr.isTTY) && !gone;
}
