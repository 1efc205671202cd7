/**
 * Processes of a supervisor that was killed (SIGKILL, a crash, the OOM killer) would outlive it: graph-node,
 * anvil and the gateway run in their own process groups, PostgreSQL keeps its postmaster. The supervisor
 * records each child in <data>/run/children.json the moment it is spawned; its reaper (reaper.ts) stops them
 * within seconds of the supervisor's death, and the next start on the same data folder stops any the reaper
 * could not (the reaper killed too).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ChainStateTarget, saveChainState } from "./chainstate.js";
import type { StackLog } from "./log.js";

export interface ChildRecord {
  name: string;
  pid: number;
  /** A string the process's command line must contain (guards against a reused pid). */
  signature: string;
  /** Its clean-shutdown signal, and the faster one sent after HURRY_MS (absent in records of older starts). */
  stopSignal?: NodeJS.Signals;
  hurrySignal?: NodeJS.Signals;
  /** anvil: its chain is saved first, if it still answers (chainstate.ts). */
  persist?: ChainStateTarget;
}

/** How long a leftover gets for its clean shutdown, then its faster one, before SIGKILL. */
const HURRY_MS = 3000;
const KILL_MS = 6000;

/** Records written before stop signals were recorded: the signal by the part's name. */
function legacySignal(name: string): NodeJS.Signals {
  // PostgreSQL: SIGINT is its fast shutdown; anvil ("anvil", "anvil-b") writes its state on SIGTERM;
  // graph-node ignores both.
  return name === "postgres" ? "SIGINT" : name.startsWith("anvil") ? "SIGTERM" : "SIGKILL";
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

function send(pid: number, sig: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* gone */
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Stops one leftover: its clean signal, the faster one after HURRY_MS, SIGKILL to its group after KILL_MS. */
async function stopOne(c: ChildRecord): Promise<boolean> {
  if (!cmdline(c.pid)?.includes(c.signature)) return false;
  const started = startTimeOf(c.pid);
  if (c.persist) {
    const target = c.persist;
    await Promise.race([saveChainState(target).catch(() => false), sleep(HURRY_MS)]);
  }
  const signal = c.stopSignal ?? legacySignal(c.name);
  send(c.pid, signal, signal === "SIGKILL");
  const t0 = Date.now();
  let hurried = false;
  while (running(c.pid, started)) {
    const waited = Date.now() - t0;
    if (waited >= KILL_MS + 5000) break;
    if (waited >= KILL_MS) send(c.pid, "SIGKILL", true);
    else if (!hurried && waited >= HURRY_MS && c.hurrySignal) {
      hurried = true;
      send(c.pid, c.hurrySignal, false);
    }
    await sleep(100);
  }
  // what else ran in its process group (a wrapper's program, a relay)
  send(c.pid, "SIGKILL", true);
  return true;
}

/**
 * Stops what a killed supervisor left running on this data folder, all at once (within KILL_MS and a few
 * seconds more); returns the names of what it stopped.
 */
export async function stopLeftovers(dataDir: string, log: StackLog): Promise<string[]> {
  let pending: ChildRecord[] = [];
  try {
    pending = existsSync(file(dataDir))
      ? (JSON.parse(readFileSync(file(dataDir), "utf8")) as ChildRecord[])
      : [];
  } catch {
    log.warn(`${file(dataDir)} is not readable JSON: no record of processes left running`);
  }
  const results = await Promise.all(
    pending.map(async (c) => {
      const stopped = await stopOne(c);
      if (stopped)
        log.warn(`stopped ${c.name} (pid ${c.pid}) left running by a previous start that did not shut down`);
      return stopped ? c.name : null;
    }),
  );
  clearChildren(dataDir);
  return results.filter((n): n is string => n !== null);
}

/** The recorded children of a data folder that still run (a stack is running on it, or left them). */
export function liveChildren(dataDir: string): ChildRecord[] {
  let records: ChildRecord[] = [];
  try {
    records = JSON.parse(readFileSync(file(dataDir), "utf8")) as ChildRecord[];
  } catch {
    return [];
  }
  return records.filter((c) => cmdline(c.pid)?.includes(c.signature) && running(c.pid, null));
}
