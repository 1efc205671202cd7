/**
 * The processes of one stack, found the way a user would look for them: every process whose command line
 * mentions its data folder or one of its ports. (PostgreSQL's command line names its cluster, which as root
 * lives outside the data folder: it is matched by its port.)
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
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

/** The pid and every descendant of it (by parent pid, from /proc). */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const p of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone */
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++)
    for (const [pid, ppid] of parent) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  return tree;
}

export interface Listener {
  pid: number;
  command: string;
  address: string;
  port: number;
}

/** "0100007F" → "127.0.0.1"; a /proc/net/tcp6 address → its IPv6 text (groups of 4 hex digits). */
function procAddress(hex: string): string {
  if (hex.length === 8)
    return [3, 2, 1, 0].map((i) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join(".");
  const words = [0, 1, 2, 3].map((w) => {
    const le = hex.slice(w * 8, w * 8 + 8);
    return [3, 2, 1, 0].map((i) => le.slice(i * 2, i * 2 + 2)).join("");
  });
  const groups = words.join("").match(/.{4}/g) ?? [];
  const v4 = groups.slice(0, 6).join(":") === "0000:0000:0000:0000:0000:ffff";
  if (v4) return `::ffff:${procAddress([3, 2, 1, 0].map((i) => words[3]?.slice(i * 2, i * 2 + 2)).join(""))}`;
  return groups.map((g) => g.replace(/^0+(?=.)/, "")).join(":");
}

/**
 * Every TCP socket in LISTEN state, in this network namespace, held by one of `pids` (a socket is matched to a
 * process through /proc/<pid>/fd). Sockets of a process in another network namespace are not in this one's
 * /proc/net/tcp: nothing outside that namespace can reach them.
 */
export function listeners(pids: number[]): Listener[] {
  const byInode = new Map<string, { address: string; port: number }>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== "0A" || !f[1] || !f[9]) continue;
      const [addr, port] = f[1].split(":") as [string, string];
      byInode.set(f[9], { address: procAddress(addr), port: Number.parseInt(port, 16) });
    }
  }
  const found: Listener[] = [];
  for (const pid of pids) {
    let fds: string[] = [];
    let command = "";
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").slice(0, 120);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = "";
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const l = inode ? byInode.get(inode) : undefined;
      if (l) found.push({ pid, command, ...l });
    }
  }
  return found;
}

/** Whether `address` is a loopback address (127.0.0.0/8, ::1, or IPv4-mapped loopback). */
export const isLoopback = (address: string): boolean =>
  /^127\./.test(address) || address === "::1" || /^::ffff:127\./.test(address);
