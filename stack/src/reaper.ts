/**
 * The reaper: no part of the stack outlives its supervisor. A small guard process, started first, waits on a pipe
 * whose only writer is the supervisor. However the supervisor ends (a clean exit, SIGKILL, a crash, the OOM
 * killer) the kernel closes that pipe; the guard then runs `reap-cli.ts`, which stops every child recorded in
 * <data>/run/children.json (leftovers.ts: each one's clean signal, then SIGKILL within seconds). A supervisor that
 * stopped its children itself has emptied that record and dismisses the guard.
 *
 * While it waits the guard is `sh` and `cat` (about 2 MB together); Node starts only when there is work. It runs
 * in its own session, so a Ctrl-C or a closed terminal reaches the supervisor, not the guard.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Reaper {
  pid: number | undefined;
  /** Ends the guard without reaping (the supervisor stopped everything itself). */
  dismiss(): void;
}

export function startReaper(dataDir: string, logFile: string): Reaper {
  const fd = openSync(logFile, "a");
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(
      "/bin/sh",
      [
        "-c",
        // cat returns when the supervisor's end of the pipe closes: then reap
        'cat >/dev/null; exec "$0" --import tsx "$1" "$2"',
        process.execPath,
        join(ROOT, "stack", "src", "reap-cli.ts"),
        dataDir,
      ],
      { cwd: ROOT, stdio: ["pipe", fd, fd], detached: true },
    );
  } finally {
    closeSync(fd);
  }
  child.on("error", () => {}); // no sh: the next start still stops leftovers (leftovers.ts)
  child.stdin?.on("error", () => {});
  // Neither the guard nor its pipe keeps the supervisor's event loop alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    pid: child.pid,
    dismiss() {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    },
  };
}
