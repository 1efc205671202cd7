/**
 * graph-node through `gnd dev` (npm @graphprotocol/gnd-linux-x64).
 *
 * `gnd dev --manifests X` drops and re-creates the deployment of X at every start (it is built for
 * edit-and-reindex loops). To resume indexing across restarts, gnd gets only an idle probe manifest,
 * and our subgraph is deployed through graph-node's admin JSON-RPC (`subgraph_create`,
 * `subgraph_deploy`) by the path of its content-addressed build: an unchanged build keeps its
 * deployment and graph-node continues from its last indexed block.
 */
import { accessSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { StackError } from "./errors.js";
import { type Isolation, isolate, loopbackPort, probeNamespace } from "./netns.js";
import { waitFor } from "./ports.js";
import { cannotStart, failsDuringStart, type ManagedProcess, startProcess } from "./proc.js";
import { say } from "./terminal.js";

const require = createRequire(import.meta.url);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export const SUPPORTED_PLATFORM = "linux-x64";

export function currentPlatform(): string {
  return process.env.AITOK_PLATFORM_OVERRIDE ?? `${process.platform}-${process.arch}`;
}

/** The gnd binary, or an error saying why there is none (platform, or not installed). */
export function gndBinary(override?: string): string {
  const platform = currentPlatform();
  if (platform !== SUPPORTED_PLATFORM) {
    throw new StackError(
      `graph-node (gnd) is published on npm only for ${SUPPORTED_PLATFORM}; this machine is ${platform}. ` +
        "Run the same stack with Docker instead: `docker compose up` (see README).",
    );
  }
  let bin = override;
  if (!bin) {
    try {
      bin = join(dirname(require.resolve("@graphprotocol/gnd-linux-x64/package.json")), "bin", "gnd");
    } catch {
      bin = "";
    }
  }
  if (!bin || !existsSync(bin)) {
    throw new StackError(
      `graph-node binary not found${bin ? ` at ${bin}` : ""}: the optional npm package @graphprotocol/gnd-linux-x64 ` +
        "is not installed (run `npm install` on linux-x64), or use `docker compose up`.",
    );
  }
  try {
    accessSync(bin, constants.X_OK);
  } catch (e) {
    throw cannotStart(
      "graph-node (gnd)",
      bin,
      e as NodeJS.ErrnoException,
      "make it executable (chmod +x), point --gnd-bin at an executable gnd, or reinstall with `npm ci`",
    );
  }
  return bin;
}

export interface GraphNodePorts {
  http: number;
  admin: number;
  index: number;
  metrics: number;
}

export interface IndexingStatus {
  subgraph: string;
  synced: boolean;
  health: string;
  fatalError: { message: string } | null;
  chains: {
    chainHeadBlock: { number: string } | null;
    latestBlock: { number: string; hash: string } | null;
  }[];
}

export class GraphNode {
  constructor(
    readonly proc: ManagedProcess,
    readonly ports: GraphNodePorts,
    private readonly isolation: Isolation | null = null,
  ) {}

  /** Whether it runs in a network namespace of its own (netns.ts), reachable only through the stack's relays. */
  get isolated(): boolean {
    return this.isolation !== null;
  }

  /** Kills graph-node (it has no clean shutdown) and closes the relays into its namespace. */
  async stop(): Promise<void> {
    await this.proc.stop(3000);
    await this.isolation?.close();
  }

  get queryBase(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }
  subgraphUrl(name: string): string {
    return `${this.queryBase}/subgraphs/name/${name}`;
  }
  get statusUrl(): string {
    return `http://127.0.0.1:${this.ports.index}/graphql`;
  }
  get adminUrl(): string {
    return `http://127.0.0.1:${this.ports.admin}`;
  }

  async admin<T>(method: string, params: Record<string, unknown>): Promise<T> {
    const res = await fetch(this.adminUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`graph-node admin ${method}: ${body.error.message}`);
    return body.result as T;
  }

  /** Creates the name if needed and deploys the build at `builtManifest` under it. */
  async deploy(name: string, builtManifest: string): Promise<void> {
    try {
      await this.admin("subgraph_create", { name });
    } catch (e) {
      if (!/already exists/i.test((e as Error).message)) throw e;
    }
    await this.admin("subgraph_deploy", { name, ipfs_hash: builtManifest });
  }

  async status(deployment: string): Promise<IndexingStatus | undefined> {
    const res = await fetch(this.statusUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query($d:[String!]){ indexingStatuses(subgraphs:$d){ subgraph synced health fatalError{message}
          chains{ chainHeadBlock{number} latestBlock{number hash} } } }`,
        variables: { d: [deployment] },
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as { data?: { indexingStatuses: IndexingStatus[] } };
    return body.data?.indexingStatuses[0];
  }
}

/**
 * Environment every graph-node we start gets, whatever the user's environment says.
 *
 * RUST_LIB_BACKTRACE=0: graph-node builds an error value (`anyhow!`) on every read of WASM memory, even a
 * successful one (graph-node runtime/wasm/src/module/mod.rs, `ok_or(anyhow!(…))`). With RUST_BACKTRACE=1 in
 * the environment (common on developers' machines, and set on ours) each of those captures a stack trace:
 * one `store.set` cost 3.5 ms instead of 0.11 ms, and our history indexed 3× slower. RUST_LIB_BACKTRACE=0
 * turns library backtraces off while panics still follow RUST_BACKTRACE. docs/bench.md has the measurements.
 */
export const GRAPH_NODE_ENV: Readonly<Record<string, string>> = { RUST_LIB_BACKTRACE: "0" };

export async function startGraphNode(opts: {
  bin: string;
  probeManifest: string;
  postgresUrl: string;
  network: string;
  rpcUrl: string;
  ipfs: string;
  ports: GraphNodePorts;
  logFile: string;
  /** The process's name in logs and errors (default "graph-node"). */
  name?: string;
  onSpawn?: (p: ManagedProcess) => void;
  /**
   * Where its ports are served on this machine (netns.ts): its GraphQL port and its admin port on 127.0.0.1 unless
   * exposed; the index-node status and metrics ports always on 127.0.0.1. runDir holds the namespace's sockets.
   */
  listen?: { query: string; admin: string; runDir: string };
  /** Told when graph-node cannot be kept off the network (it then listens on every interface). */
  warn?: (msg: string) => void;
}): Promise<GraphNode> {
  const args = [
    "dev",
    "--manifests",
    `${opts.probeManifest}:.`, // MANIFEST:BUILD_DIR, the build dir relative to the manifest
    "--postgres-url",
    opts.postgresUrl,
    // One network per gnd: `gnd dev` joins repeated --ethereum-rpc values with "," into one graph-node value
    // ("local:URL1,local-b:URL2" is read as network "local" at URL "URL1,local-b:URL2", and graph-node panics
    // "invalid port number"; gnd 0.45.0, gnd/src/commands/dev.rs build_args). A second network gets its own
    // graph-node (stack.ts).
    "--ethereum-rpc",
    `${opts.network}:${opts.rpcUrl}`,
    "--ipfs",
    opts.ipfs,
    "--http-port",
    String(opts.ports.http),
    "--admin-port",
    String(opts.ports.admin),
    "--index-node-port",
    String(opts.ports.index),
    "--metrics-port",
    String(opts.ports.metrics),
  ];
  const env = {
    ...process.env,
    ...GRAPH_NODE_ENV,
    GRAPH_LOG: process.env.GRAPH_LOG ?? "info",
    // Poll the local chain often: blocks arrive in bursts from the simulator.
    ETHEREUM_POLLING_INTERVAL: process.env.ETHEREUM_POLLING_INTERVAL ?? "200",
    GRAPH_ETHEREUM_MAX_BLOCK_RANGE_SIZE: process.env.GRAPH_ETHEREUM_MAX_BLOCK_RANGE_SIZE ?? "5000",
  };
  const name = opts.name ?? "graph-node";
  const listen = opts.listen ?? {
    query: "127.0.0.1",
    admin: "127.0.0.1",
    runDir: join(dirname(opts.logFile), "..", "run", name),
  };
  const ns = probeNamespace();
  const outbound = [opts.postgresUrl, opts.rpcUrl, opts.ipfs].map(loopbackPort);
  let isolation: Isolation | null = null;
  if (!ns.ok || outbound.some((p) => p === null)) {
    const why = ns.ok
      ? "it connects to a service that is not on this machine's loopback (--postgres-url, --rpc-url or --ipfs-url)"
      : `no network namespace could be made (${ns.why})`;
    (opts.warn ?? ((m: string) => say(`! ${m}\n`)))(
      `${name} listens on every network interface of this machine, its admin port (which deploys and removes ` +
        `subgraphs) included: ${why}. Block ports ${Object.values(opts.ports).join(", ")} with a firewall on an open network.`,
    );
  } else {
    isolation = await isolate({
      ns,
      runDir: listen.runDir,
      inbound: [
        { port: opts.ports.http, host: listen.query },
        { port: opts.ports.admin, host: listen.admin },
        { port: opts.ports.index, host: "127.0.0.1" },
        { port: opts.ports.metrics, host: "127.0.0.1" },
      ],
      outbound: outbound as number[],
      relayCli: join(dirname(fileURLToPath(import.meta.url)), "relay-cli.ts"),
      program: opts.bin,
      args,
    });
  }
  const proc = startProcess(name, isolation?.command ?? opts.bin, isolation?.args ?? args, opts.logFile, {
    env,
    // `--import tsx` of the relay inside the namespace is resolved from the checkout
    cwd: ROOT,
    // graph-node ignores SIGTERM and SIGINT (it has no clean shutdown): it is killed
    stopSignal: "SIGKILL",
    signature: `--http-port ${opts.ports.http}`,
    onSpawn: opts.onSpawn,
  });
  const node = new GraphNode(proc, opts.ports, isolation);
  try {
    await Promise.race([
      waitFor(
        "graph-node index-node status API",
        async () => {
          const res = await fetch(node.statusUrl, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ query: "{ indexingStatuses { subgraph } }" }),
            signal: AbortSignal.timeout(2000),
          });
          return res.ok ? true : undefined;
        },
        120_000,
        300,
      ),
      failsDuringStart(
        proc,
        `${name} (gnd)`,
        "point --gnd-bin at an executable gnd, or reinstall with `npm ci`",
      ),
    ]);
  } catch (e) {
    await node.stop();
    throw e;
  }
  return node;
}
