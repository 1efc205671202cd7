/**
 * The processes of one stack, found the way a user would look for them: every process whose command line
 * mentions its data folder or one of its ports. (PostgreSQL's command line names its cluster, which as root
 * lives outside the data folder: it is matched by its port.)
 */
import { readdirSync, readFileSync } from "node:fs";
import type { StackPorts } from "../../stack/src/stack.js";

/** What a stack's processes' command lines contain. */
export function stackNeedles(dataDir: string, ports: StackPorts): string[] {
  return [
    dataDir,
    `--http-port ${ports.graphHttp}`,
    `--port ${ports.anvil}`,
    // the second local network's graph-node and anvil
    `--http-port ${ports.graph2Http}`,
    `--port ${ports.anvil2}`,
    `-p ${ports.postgres} -c`,
    // the gateway
    `main.ts --port ${ports.gateway}`,
  ];
}

/** "pid: command line" of every process (but this one) whose command line contains one of `needles`. */
export function stackProcesses(needles: string[]): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    if (Number(pid) === process.pid) continue;
    let cmd = "";
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    } catch {
      continue;
    }
    if (needles.some((n) => cmd.includes(n))) found.push(`${pid}: ${cmd.slice(0, 160)}`);
  }
  return found;
}

/** Waits until none is left or `ms` passed; returns those still there. */
export async function stackProcessesAfter(needles: string[], ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let left = stackProcesses(needles);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    left = stackProcesses(needles);
  }
  return left;
}
