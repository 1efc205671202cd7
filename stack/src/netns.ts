/**
 * graph-node on loopback only. graph-node binds its GraphQL, admin (JSON-RPC that deploys and removes
 * subgraphs), index-node status and metrics servers to 0.0.0.0, hard-coded (graph-node
 * graph/src/components/server/server.rs `SocketAddr::from(([0, 0, 0, 0], port))`, server/json-rpc/src/server.rs
 * `Ipv4Addr::new(0, 0, 0, 0)`); `gnd dev` has no option for it (`--http-port`, `--admin-port`,
 * `--index-node-port`, `--metrics-port` only) and neither has graph-node (no environment variable either).
 *
 * So each graph-node runs in a network namespace of its own (util-linux `unshare --net`, with `--user
 * --map-root-user` when not root), where the only interface is its own loopback: its 0.0.0.0 reaches nothing
 * else. Bytes cross the namespace through Unix socket files, which every namespace can reach:
 * - inside, a relay (relay-cli.ts) listens on 127.0.0.1 at the ports of PostgreSQL, the chain's RPC and IPFS and
 *   forwards to socket files, where the supervisor forwards to the real ones on this machine's 127.0.0.1;
 * - the supervisor listens on 127.0.0.1 (or 0.0.0.0 for ports the user exposes) at graph-node's four ports and
 *   forwards through socket files to the relay, which connects to graph-node inside.
 * URLs and ports stay the same on both sides. When the namespace cannot be made (no `unshare` or `ip`, user
 * namespaces disabled, as by Ubuntu's AppArmor restriction for ordinary users) or graph-node must reach a
 * service that is not on this machine's loopback, it runs as before, on 0.0.0.0, and the start says so
 * (AITOK_GRAPH_NODE_NETNS=0 asks for that too).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeAll, type Endpoint, type Forward, forward } from "./relay.js";

export type Namespacing = { ok: true; unshare: string[] } | { ok: false; why: string };

let probed: Namespacing | null = null;

/** Whether a network namespace can be made here, and the `unshare` arguments that make it (probed once). */
export function probeNamespace(): Namespacing {
  if (probed) return probed;
  if (process.env.AITOK_GRAPH_NODE_NETNS === "0") {
    probed = { ok: false, why: "AITOK_GRAPH_NODE_NETNS=0" };
    return probed;
  }
  const asRoot = process.getuid?.() === 0;
  const unshare = asRoot ? ["--net"] : ["--user", "--map-root-user", "--net"];
  try {
    execFileSync("unshare", [...unshare, "--", "ip", "link", "set", "lo", "up"], {
      stdio: "pipe",
      timeout: 10_000,
    });
    probed = { ok: true, unshare };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    const why =
      err.code === "ENOENT"
        ? "util-linux `unshare` is not installed"
        : (err.stderr?.toString().trim().split("\n")[0] ?? err.message);
    probed = { ok: false, why: `\`unshare ${unshare.join(" ")}\` failed: ${why}` };
  }
  return probed;
}

/** host:port of a URL or "host:port" on this machine's loopback, or null. */
export function loopbackPort(address: string): number | null {
  let host: string;
  let port: string;
  try {
    const u = new URL(address.includes("://") ? address : `tcp://${address}`);
    host = u.hostname;
    port = u.port || (u.protocol === "https:" ? "443" : u.protocol === "http:" ? "80" : "");
  } catch {
    return null;
  }
  const loop = host === "127.0.0.1" || host === "localhost" || host === "[::1]" || host === "::1";
  return loop && /^\d+$/.test(port) ? Number(port) : null;
}

export interface Isolation {
  /** The command and arguments that run `program args` inside the namespace. */
  command: string;
  args: string[];
  /** Stops the supervisor's side of the relays and removes the socket files. */
  close(): Promise<void>;
}

/**
 * Prepares a namespace for one graph-node: the supervisor's relays (listening at once) and the command that
 * starts the inner relay and then graph-node. `inbound`: graph-node's ports and the address each is served on
 * for this machine; `outbound`: the loopback ports graph-node connects to.
 */
export async function isolate(opts: {
  ns: Extract<Namespacing, { ok: true }>;
  /** A folder for the socket files (a short path: a socket's path has at most 107 bytes). */
  runDir: string;
  inbound: { port: number; host: string }[];
  outbound: number[];
  relayCli: string;
  program: string;
  args: string[];
}): Promise<Isolation> {
  let dir = opts.runDir;
  if (Buffer.byteLength(join(dir, "out-65535.sock")) > 100) dir = mkdtempSync(join(tmpdir(), "aitok-ns-"));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sock = (kind: string, port: number) => join(dir, `${kind}-${port}.sock`);
  const loop = (port: number): Endpoint => ({ host: "127.0.0.1", port });
  const inner: Forward[] = [
    ...opts.inbound.map((p) => ({ listen: { path: sock("in", p.port) }, target: loop(p.port) })),
    ...opts.outbound.map((port) => ({ listen: loop(port), target: { path: sock("out", port) } })),
  ];
  const servers: net.Server[] = [];
  try {
    for (const port of opts.outbound)
      servers.push(await forward({ listen: { path: sock("out", port) }, target: loop(port) }));
    for (const p of opts.inbound)
      servers.push(
        await forward({ listen: { host: p.host, port: p.port }, target: { path: sock("in", p.port) } }),
      );
  } catch (e) {
    await closeAll(servers);
    throw e;
  }
  const ready = join(dir, "ready");
  // Inside the namespace: bring loopback up, start the relay, wait until it listens, become graph-node.
  const script = [
    "ip link set lo up || exit 97",
    'node="$1"; relay="$2"; spec="$3"; ready="$4"; shift 4',
    '"$node" --import tsx "$relay" "$spec" &',
    "r=$!",
    'while [ ! -e "$ready" ]; do kill -0 "$r" 2>/dev/null || exit 98; sleep 0.05; done',
    'exec "$@"',
  ].join("\n");
  return {
    command: "unshare",
    args: [
      ...opts.ns.unshare,
      "--",
      "/bin/sh",
      "-c",
      script,
      "sh",
      process.execPath,
      opts.relayCli,
      JSON.stringify({ forwards: inner, ready }),
      ready,
      opts.program,
      ...opts.args,
    ],
    async close() {
      await closeAll(servers);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
