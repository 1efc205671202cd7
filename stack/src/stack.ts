/**
 * The local stack, in order: PostgreSQL, anvil, an IPFS endpoint, the contracts and their simulated
 * history, the subgraph build, graph-node (gnd dev) indexing it, the gateway. Each step reports one line
 * with its duration; every child logs to <data>/logs/<name>.log; stop() leaves no process behind.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import pino from "pino";
import { type Deployment as ChainDeployment, createSimulator } from "../../contracts/src/index.js";
import {
  type BuiltSubgraph,
  buildSubgraph,
  type Deployment as SubgraphDeployment,
} from "../../subgraph/scripts/manifest.js";
import { clearAnvilCache, getBlock, rpc, startAnvil } from "./anvil.js";
import { StackError } from "./errors.js";
import { type GraphNode, gndBinary, startGraphNode } from "./graphnode.js";
import { startIpfsStub } from "./ipfs.js";
import { type ChildRecord, clearChildren, recordChildren, stopLeftovers } from "./leftovers.js";
import { createLog, redactUrl, type StackLog } from "./log.js";
import { assertPortsFree } from "./ports.js";
import { removePostgresData, startPostgres } from "./postgres.js";
import { type ManagedProcess, tail } from "./proc.js";
import { DAY, type SimulationConfig, seedChain, timed, todayMidnight } from "./seed.js";

export type { SimulationConfig };

export const NETWORK = "local";
export const SUBGRAPH_NAME = "ai-tokenomics";

export interface StackPorts {
  postgres: number;
  anvil: number;
  ipfs: number;
  graphHttp: number;
  graphAdmin: number;
  graphIndex: number;
  graphMetrics: number;
  gateway: number;
}

export const DEFAULT_PORTS: StackPorts = {
  postgres: 5432,
  anvil: 8545,
  ipfs: 5001,
  graphHttp: 8000,
  graphAdmin: 8020,
  graphIndex: 8030,
  graphMetrics: 8040,
  gateway: 4000,
};

/** The command-line option that changes each port (named in "port in use" errors). */
export const PORT_OPTIONS: Record<keyof StackPorts, string> = {
  postgres: "--postgres-port",
  anvil: "--anvil-port",
  ipfs: "--ipfs-port",
  graphHttp: "--graph-port",
  graphAdmin: "--graph-admin-port",
  graphIndex: "--graph-index-port",
  graphMetrics: "--graph-metrics-port",
  gateway: "--gateway-port",
};

export interface StackOptions {
  dataDir: string;
  fresh?: boolean;
  ports: StackPorts;
  /** External services instead of the embedded ones. */
  rpcUrl?: string;
  postgresUrl?: string;
  ipfs?: string;
  simulation: SimulationConfig;
  /** Skip deploying and simulating (an external chain with a deployment file). */
  deploymentFile?: string;
  gateway: boolean;
  /** Keep producing blocks in real time after the history. */
  live?: boolean;
  gndBin?: string;
  quiet?: boolean;
  syncTimeoutMs?: number;
}

export interface StackHandle {
  dataDir: string;
  logsDir: string;
  rpcUrl: string;
  postgresUrl: string;
  graphqlUrl: string;
  statusUrl: string;
  adminUrl: string;
  metricsUrl: string;
  gatewayUrl: string | null;
  deploymentId: string;
  deploymentFile: string;
  groundTruthPath: string | null;
  /** Rejects if a child process dies after start. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

export { StackError };

interface StackState {
  /** Genesis hash of the chain this data folder was built on. */
  genesisHash: string;
  genesisTimestamp: number;
  simulation: SimulationConfig & { start: number };
}

/**
 * Compares what graph-node's database recorded about the chain with the chain itself, before graph-node
 * touches anything: a deleted or replaced chain is reported, never "repaired" by deleting data.
 */
async function checkChainMatchesDatabase(postgresUrl: string, rpcUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  let rows: {
    genesis_block_hash: string | null;
    head_block_hash: string | null;
    head_block_number: string | null;
  }[];
  try {
    const exists = await client.query("select to_regclass('public.ethereum_networks') as t");
    if (!exists.rows[0]?.t) return; // graph-node never ran on this database
    rows = (
      await client.query(
        "select genesis_block_hash, head_block_hash, head_block_number from public.ethereum_networks where name = $1",
        [NETWORK],
      )
    ).rows;
  } finally {
    await client.end();
  }
  const row = rows[0];
  if (!row) return;
  const fresh =
    "Start over with `npm start -- --fresh` (deletes the data folder), or point --data-dir elsewhere.";
  const genesis = await getBlock(rpcUrl, 0);
  const norm = (h: string | null | undefined) => (h ?? "").toLowerCase().replace(/^0x/, "");
  if (row.genesis_block_hash && genesis && norm(row.genesis_block_hash) !== norm(genesis.hash)) {
    throw new StackError(
      `the chain does not match the database: graph-node indexed a chain with genesis 0x${norm(row.genesis_block_hash)}, ` +
        `the chain at the RPC has genesis ${genesis.hash}. ${fresh}`,
    );
  }
  if (row.head_block_number !== null && row.head_block_hash) {
    const n = Number(row.head_block_number);
    const block = await getBlock(rpcUrl, n);
    if (!block || norm(block.hash) !== norm(row.head_block_hash)) {
      const head = Number.parseInt((await getBlock(rpcUrl, "latest"))?.number ?? "0x0", 16);
      throw new StackError(
        `the chain does not match the database: graph-node saw block ${n} (0x${norm(row.head_block_hash).slice(0, 12)}…) ` +
          `but the chain ${block ? `has a different block ${n}` : `ends at block ${head}`} ` +
          `(was the chain state deleted while the database was kept?). ${fresh}`,
      );
    }
  }
}

/**
 * Deletes a data folder and what belongs to it outside it (as root, the PostgreSQL cluster that the
 * `postgres` user can reach: see stack/src/postgres.ts).
 */
export function removeDataFolder(dataDir: string): void {
  removePostgresData(join(dataDir, "postgres"));
  rmSync(dataDir, { recursive: true, force: true });
}

export async function startStack(opts: StackOptions): Promise<StackHandle> {
  const dataDir = resolve(opts.dataDir);
  const logsDir = join(dataDir, "logs");
  const gndBin = gndBinary(opts.gndBin); // fail before starting anything on an unsupported platform

  if (opts.fresh && existsSync(dataDir)) removeDataFolder(dataDir);
  mkdirSync(logsDir, { recursive: true });
  const log = createLog(join(logsDir, "stack.log"), opts.quiet);

  const stoppedLeftovers = await stopLeftovers(dataDir, log);

  const ports = opts.ports;
  const bound: { port: number; what: string; option: string }[] = [];
  const want = (k: keyof StackPorts, what: string) =>
    bound.push({ port: ports[k], what, option: PORT_OPTIONS[k] });
  if (!opts.postgresUrl) want("postgres", "PostgreSQL");
  if (!opts.rpcUrl) want("anvil", "anvil");
  if (!opts.ipfs) want("ipfs", "IPFS endpoint");
  want("graphHttp", "graph-node GraphQL");
  want("graphAdmin", "graph-node admin");
  want("graphIndex", "graph-node index-node status");
  want("graphMetrics", "graph-node metrics");
  if (opts.gateway) want("gateway", "gateway");
  // Ports of processes just stopped may take a moment to be released by the kernel.
  await assertPortsFree(bound, stoppedLeftovers.length > 0 ? 5000 : 0);

  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const children: ManagedProcess[] = [];
  let stopping = false;
  let failReject: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    failReject = reject;
  });
  failed.catch(() => {});
  const records: ChildRecord[] = [];
  const record = (r: ChildRecord) => {
    records.push(r);
    recordChildren(dataDir, records);
  };
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    for (const s of [...stops].reverse()) {
      try {
        log.json.info({ stopping: s.name });
        await s.stop();
        log.json.info({ stopped: s.name });
      } catch (e) {
        log.warn(`stopping ${s.name}: ${(e as Error).message}`);
      }
    }
    clearChildren(dataDir);
  };
  const watch = (p: ManagedProcess) => {
    children.push(p);
    p.exited.then(({ code, signal }) => {
      if (stopping) return;
      const msg = `${p.name} exited unexpectedly (code ${code}, signal ${signal}); last lines of ${p.logFile}:\n${tail(p.logFile)}`;
      log.error(msg);
      failReject(new StackError(msg));
    });
  };

  try {
    // --- PostgreSQL -------------------------------------------------------------------------------
    let postgresUrl = opts.postgresUrl ?? "";
    if (!postgresUrl) {
      const pgDir = join(dataDir, "postgres");
      const running = await timed(log, `PostgreSQL (embedded) on :${ports.postgres}`, () =>
        startPostgres(pgDir, ports.postgres, log, { logFile: join(logsDir, "postgres.log") }),
      );
      stops.push({ name: "postgres", stop: running.stop });
      const pid = running.proc.child.pid;
      if (pid) record({ name: "postgres", pid, signature: running.dataDir });
      postgresUrl = running.url;
    }

    // --- chain ------------------------------------------------------------------------------------
    const statePath = join(dataDir, "stack.json");
    let state: StackState | null = existsSync(statePath)
      ? (JSON.parse(readFileSync(statePath, "utf8")) as StackState)
      : null;
    const sim = opts.simulation;
    const start = state?.simulation.start ?? sim.start ?? todayMidnight() - sim.days * DAY;
    let rpcUrl = opts.rpcUrl ?? "";
    if (!rpcUrl) {
      const anvilDir = join(dataDir, "anvil");
      mkdirSync(anvilDir, { recursive: true });
      const stateFile = join(anvilDir, "state.json");
      const cacheDir = join(anvilDir, "cache");
      const genesisTimestamp = state?.genesisTimestamp ?? start - DAY;
      const anvil = await timed(
        log,
        `anvil on :${ports.anvil} (${existsSync(stateFile) ? "resuming saved chain" : "new chain"})`,
        () =>
          startAnvil({
            port: ports.anvil,
            stateFile,
            cacheDir,
            genesisTimestamp,
            logFile: join(logsDir, "anvil.log"),
          }),
      );
      watch(anvil.proc);
      if (anvil.proc.child.pid) record({ name: "anvil", pid: anvil.proc.child.pid, signature: stateFile });
      stops.push({
        name: "anvil",
        stop: async () => {
          await anvil.proc.stop(10_000);
          clearAnvilCache(cacheDir);
        },
      });
      rpcUrl = anvil.url;
      const genesis = await getBlock(rpcUrl, 0);
      if (state && genesis && state.genesisHash !== genesis.hash) {
        throw new StackError(
          `the chain does not match the data folder: ${statePath} was built on genesis ${state.genesisHash}, ` +
            `anvil now has ${genesis.hash}. Start over with \`npm start -- --fresh\`.`,
        );
      }
      if (!state && genesis) {
        state = { genesisHash: genesis.hash, genesisTimestamp, simulation: { ...sim, start } };
      }
    }
    await checkChainMatchesDatabase(postgresUrl, rpcUrl);

    // --- IPFS -------------------------------------------------------------------------------------
    let ipfs = opts.ipfs ?? "";
    if (!ipfs) {
      const stub = await timed(log, `IPFS endpoint (local stub) on :${ports.ipfs}`, () =>
        startIpfsStub(ports.ipfs, log),
      );
      stops.push({ name: "ipfs", stop: stub.stop });
      ipfs = stub.url;
    }

    // --- contracts, simulated history, and the subgraph built meanwhile ---------------------------
    // The build needs only the addresses: it runs while the simulation produces the history.
    let building: Promise<{ built: BuiltSubgraph; probe: BuiltSubgraph }> | undefined;
    const startBuild = (deployment: SubgraphDeployment) => {
      building ??= timed(log, "subgraph: codegen and build (local deployment)", async () => ({
        built: await buildSubgraph(deployment, "real"),
        probe: await buildSubgraph(deployment, "probe"),
      }));
      building.catch(() => {}); // awaited below; a failing simulation must not leave it unhandled
    };
    const seeded = await seedChain({
      rpcUrl,
      network: NETWORK,
      outDir: dataDir,
      deploymentFile: opts.deploymentFile,
      simulation: { ...sim, start },
      log,
      onDeployed: startBuild,
    });
    const { deployment, deploymentFile } = seeded;
    if (state) writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
    startBuild(deployment);
    const { built, probe } = await (building as NonNullable<typeof building>);
    log.info(`subgraph build ${built.hash}${built.reused ? " (cached)" : ""}: ${built.builtManifest}`);

    // --- graph-node -----------------------------------------------------------------------------------
    const node: GraphNode = await timed(log, `graph-node (gnd dev) on :${ports.graphHttp}`, () =>
      startGraphNode({
        bin: gndBin,
        probeManifest: join(probe.buildDir, "subgraph.yaml"),
        postgresUrl,
        network: NETWORK,
        rpcUrl,
        ipfs,
        ports: {
          http: ports.graphHttp,
          admin: ports.graphAdmin,
          index: ports.graphIndex,
          metrics: ports.graphMetrics,
        },
        logFile: join(logsDir, "graph-node.log"),
      }),
    );
    watch(node.proc);
    if (node.proc.child.pid)
      record({ name: "graph-node", pid: node.proc.child.pid, signature: `--http-port ${ports.graphHttp}` });
    stops.push({ name: "graph-node", stop: () => node.proc.stop(3000) });
    await node.deploy(SUBGRAPH_NAME, built.builtManifest);
    await timed(log, "indexing until synced with the chain head", () =>
      waitForSync(node, built.builtManifest, rpcUrl, log, opts.syncTimeoutMs ?? 20 * 60_000, failed),
    );

    // --- gateway --------------------------------------------------------------------------------------
    let gatewayUrl: string | null = null;
    const graphqlUrl = node.subgraphUrl(SUBGRAPH_NAME);
    if (opts.gateway) {
      const { startGateway } = await import("../../api/src/server.js");
      const gw = await timed(log, `gateway on :${ports.gateway}`, () =>
        startGateway({
          port: ports.gateway,
          host: "127.0.0.1",
          upstreams: [{ name: NETWORK, url: graphqlUrl, statusUrl: node.statusUrl, network: NETWORK }],
          logger: pino(
            { name: "gateway" },
            pino.destination({ dest: join(logsDir, "gateway.log"), sync: false, mkdir: true }),
          ),
        }),
      );
      stops.push({ name: "gateway", stop: gw.stop });
      gatewayUrl = gw.url;
    }

    // --- live blocks ----------------------------------------------------------------------------------
    if (opts.live && !opts.rpcUrl) {
      const abort = new AbortController();
      const simulator = await createSimulator({
        rpcUrl,
        deployment: deployment as unknown as ChainDeployment,
        seed: sim.seed,
        days: 0,
        startTime: todayMidnight() + DAY,
      });
      const running = simulator.realtime({ signal: abort.signal }).catch((e: Error) => {
        if (!stopping) log.warn(`live simulation stopped: ${e.message}`);
      });
      stops.push({
        name: "live simulation",
        stop: async () => {
          abort.abort();
          await running;
        },
      });
      log.info("live: producing a block every few seconds (real time)");
    }

    const handle: StackHandle = {
      dataDir,
      logsDir,
      rpcUrl,
      postgresUrl,
      graphqlUrl,
      statusUrl: node.statusUrl,
      adminUrl: node.adminUrl,
      metricsUrl: `http://127.0.0.1:${ports.graphMetrics}/metrics`,
      gatewayUrl,
      deploymentId: built.builtManifest,
      deploymentFile,
      groundTruthPath: seeded.groundTruthPath,
      failed,
      stop: stopAll,
    };
    log.step("ready");
    log.info(`chain RPC           ${redactUrl(rpcUrl)}`);
    log.info(`subgraph GraphQL    ${graphqlUrl}`);
    log.info(`indexing status     ${node.statusUrl}`);
    if (gatewayUrl) log.info(`analytics gateway   ${gatewayUrl}/graphql`);
    log.info(`data folder         ${dataDir}`);
    log.info(`logs                ${logsDir}`);
    return handle;
  } catch (e) {
    log.error((e as Error).message);
    await stopAll();
    throw e;
  }
}

async function waitForSync(
  node: GraphNode,
  deploymentId: string,
  rpcUrl: string,
  log: StackLog,
  timeoutMs: number,
  failed: Promise<never>,
): Promise<void> {
  const t0 = performance.now();
  let firstBlock: number | null = null;
  const check = async () => {
    const head = Number.parseInt(await rpc<string>(rpcUrl, "eth_blockNumber"), 16);
    const s = await node.status(deploymentId);
    if (!s) return undefined;
    if (s.health === "failed" || s.fatalError) {
      throw new StackError(
        `the subgraph failed to index: ${s.fatalError?.message ?? s.health}; last lines of ${node.proc.logFile}:\n${tail(node.proc.logFile)}`,
      );
    }
    const latest = Number(s.chains[0]?.latestBlock?.number ?? 0);
    firstBlock ??= latest;
    const secs = (performance.now() - t0) / 1000;
    const rate = secs > 0 ? ((latest - firstBlock) / secs).toFixed(0) : "0";
    log.progress(`indexed block ${latest} / ${head} (${rate} blocks/s)`);
    return s.synced && latest >= head ? true : undefined;
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const done = await Promise.race([
      check().catch((e: Error) => (e instanceof StackError ? Promise.reject(e) : undefined)),
      failed,
    ]);
    if (done) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new StackError(
    `graph-node did not sync within ${Math.round(timeoutMs / 1000)} s; see ${node.proc.logFile}`,
  );
}
