/**
 * Processes of a supervisor that was killed (SIGKILL, a crash) outlive it: graph-node and anvil run in
 * their own process groups, PostgreSQL keeps its postmaster. The supervisor records its children in
 * <data>/run/children.json; the next start on the same data folder stops the ones still running.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { StackLog } from "./log.js";

export interface ChildRecord {
  name: string;
  pid: number;
  /** A string the process's command line must contain (guards against a reused pid). */
  signature: string;
}

const file = (dataDir: string) => join(dataDir, "run", "children.json");

function cmdline(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return null;
  }
}

export function recordChildren(dataDir: string, children: ChildRecord[]): void {
  mkdirSync(join(dataDir, "run"), { recursive: true });
  writeFileSync(file(dataDir), `${JSON.stringify(children, null, 2)}\n`);
}

export function clearChildren(dataDir: string): void {
  rmSync(file(dataDir), { force: true });
}

/**
 * Whether the process still holds its resources. A killed process loses its command line (address space)
 * before it closes its sockets, and a thread-group leader turns zombie while its other threads still exit:
 * only "gone, or a zombie with no thread left" means its ports are free.
 */
function running(pid: number, startTime: string | null): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Field 22 (start time) tells a reused pid from the process we signalled.
  if (startTime !== null && fields[19] !== startTime) return false;
  const state = fields[0];
  if (state !== "Z" && state !== "X") return true;
  try {
    return readdirSync(`/proc/${pid}/task`).length > 1;
  } catch {
    return false;
  }
}

function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Stops what a killed supervisor left running on this data folder; returns what it stopped. */
export async function stopLeftovers(dataDir: string, log: StackLog): Promise<string[]> {
  const stopped: string[] = [];
  const pending: ChildRecord[] = existsSync(file(dataDir))
    ? (JSON.parse(readFileSync(file(dataDir), "utf8")) as ChildRecord[])
    : [];
  for (const c of pending) {
    if (!cmdline(c.pid)?.includes(c.signature)) continue;
    const started = startTimeOf(c.pid);
    // PostgreSQL: SIGINT is its fast shutdown (consistent on disk); anvil writes its state on SIGTERM;
    // graph-node ignores both. Whatever still runs after 10 s is killed with its process group.
    // (every anvil: "anvil", and "anvil-b" of the second local network)
    const signal = c.name === "postgres" ? "SIGINT" : c.name.startsWith("anvil") ? "SIGTERM" : "SIGKILL";
    const send = (sig: NodeJS.Signals, group: boolean) => {
      try {
        process.kill(group ? -c.pid : c.pid, sig);
      } catch {
        try {
          process.kill(c.pid, sig);
        } catch {
          /* gone */
        }
      }
    };
    send(signal, signal === "SIGKILL");
    for (let i = 0; i < 100 && running(c.pid, started); i++) await new Promise((r) => setTimeout(r, 100));
    if (running(c.pid, started)) {
      send("SIGKILL", true);
      for (let i = 0; i < 50 && running(c.pid, started); i++) await new Promise((r) => setTimeout(r, 100));
    }
    log.warn(`stopped ${c.name} (pid ${c.pid}) left running by a previous start that did not shut down`);
    stopped.push(c.name);
  }
  clearChildren(dataDir);
  return stopped;
}
