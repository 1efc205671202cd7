/**
 * The local stack, in order: PostgreSQL, anvil, an IPFS endpoint, the contracts and their simulated
 * history, the subgraph build, graph-node (gnd dev) indexing it, the gateway. Each step reports one line
 * with its duration; every child logs to <data>/logs/<name>.log; stop() leaves no process behind.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import pg from "pg";
import {
  type BuiltSubgraph,
  buildSubgraph,
  type Deployment as SubgraphDeployment,
} from "../../subgraph/scripts/manifest.js";
import { getBlock, rpc } from "./anvil.js";
import { diskFull, isDiskFull, writeWhole } from "./chainstate.js";
import { StackError } from "./errors.js";
import { startGatewayProcess } from "./gateway.js";
import { type GraphNode, gndBinary, startGraphNode } from "./graphnode.js";
import { startIpfsStub } from "./ipfs.js";
import { stopLeftovers } from "./leftovers.js";
import { type LiveNetwork, liveNeedsNewChain, startLive } from "./live.js";
import { type LocalChain, startLocalChain } from "./localchain.js";
import { createLog, redactUrl, type StackLog } from "./log.js";
import { assertPortsFree } from "./ports.js";
import { removePostgresData, startPostgres } from "./postgres.js";
import { tail } from "./proc.js";
import { repairRollupGap } from "./rollups.js";
import {
  DAY,
  networkFiles,
  type SeededNetwork,
  type SimulationConfig,
  seedChain,
  seedNetwork,
  timed,
  todayMidnight,
} from "./seed.js";
import { Supervisor } from "./supervisor.js";

export type { SimulationConfig };

export const NETWORK = "local";
export const SUBGRAPH_NAME = "ai-tokenomics";
/**
 * The second local network: a second anvil with its own chain id, standing in for another chain a protocol also
 * lives on (Base next to Arbitrum One), indexed by the same graph-node under its own subgraph name and served by
 * the gateway as a second upstream (docs/simulator.md, "A second local network").
 */
export const NETWORK_B = "local-b";
export const SUBGRAPH_NAME_B = "ai-tokenomics-local-b";
export const CHAIN_ID_B = 31338;
/** The database of the second network's graph-node, in the same PostgreSQL. */
export const GRAPH_DB_B = "graph_local_b";

/** The URL of database `name` on the server of `url`, created if missing. */
async function ensureDatabase(url: string, name: string): Promise<string> {
  const u = new URL(url);
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (!rowCount) await client.query(`create database ${name}`);
  } catch (e) {
    throw new StackError(
      `cannot create the database ${name} for the ${NETWORK_B} graph-node on ${redactUrl(url)}: ${(e as Error).message}` +
        " (or start without the second network: --no-second-network)",
    );
  } finally {
    await client.end();
  }
  u.pathname = `/${name}`;
  return u.toString();
}

export interface StackPorts {
  postgres: number;
  anvil: number;
  /** The second local network's anvil. */
  anvil2: number;
  /** The second local network's graph-node (one gnd indexes one network). */
  graph2Http: number;
  graph2Admin: number;
  graph2Index: number;
  graph2Metrics: number;
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
  anvil2: 8546,
  ipfs: 5001,
  graphHttp: 8000,
  graphAdmin: 8020,
  graphIndex: 8030,
  graphMetrics: 8040,
  gateway: 4000,
  graph2Http: 8100,
  graph2Admin: 8120,
  graph2Index: 8130,
  graph2Metrics: 8140,
};

/** What listens on each port, in --help and in "port in use" errors. */
export const PORT_PURPOSE: Record<keyof StackPorts, string> = {
  postgres: "PostgreSQL",
  anvil: "anvil",
  anvil2: `anvil of the second local network (${NETWORK_B})`,
  ipfs: "IPFS endpoint",
  graphHttp: "graph-node GraphQL",
  graphAdmin: "graph-node admin",
  graphIndex: "graph-node index-node status",
  graphMetrics: "graph-node metrics",
  gateway: "gateway",
  graph2Http: `graph-node GraphQL of ${NETWORK_B}`,
  graph2Admin: `graph-node admin of ${NETWORK_B}`,
  graph2Index: `graph-node index-node status of ${NETWORK_B}`,
  graph2Metrics: `graph-node metrics of ${NETWORK_B}`,
};

/** The command-line option that changes each port (named in "port in use" errors). */
export const PORT_OPTIONS: Record<keyof StackPorts, string> = {
  postgres: "--postgres-port",
  anvil: "--anvil-port",
  anvil2: "--anvil2-port",
  ipfs: "--ipfs-port",
  graphHttp: "--graph-port",
  graphAdmin: "--graph-admin-port",
  graphIndex: "--graph-index-port",
  graphMetrics: "--graph-metrics-port",
  gateway: "--gateway-port",
  graph2Http: "--graph2-port",
  graph2Admin: "--graph2-admin-port",
  graph2Index: "--graph2-index-port",
  graph2Metrics: "--graph2-metrics-port",
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
  /**
   * After the history, keep producing blocks in wall-clock time on every network started (stack/src/live.ts); only
   * on a chain this start seeds (a new data folder, or fresh), never with rpcUrl.
   */
  live?: boolean;
  /** The second local network (default on; never with rpcUrl). */
  secondNetwork?: boolean;
  gndBin?: string;
  quiet?: boolean;
  syncTimeoutMs?: number;
  /** Aborting it (Ctrl-C during the start) stops what was started; startStack then rejects with its reason. */
  signal?: AbortSignal;
  /**
   * Ports served on every interface instead of 127.0.0.1: `query` the graph-nodes' GraphQL ports and the gateway
   * (--expose), `admin` the graph-nodes' admin ports, which deploy and remove subgraphs (--expose-admin).
   */
  expose?: { query?: boolean; admin?: boolean };
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
  /**
   * Every network indexed, by network name (the gateway's upstream of the same name): the main chain
   * ("local", or the deployment's network with rpcUrl) and the second local network ("local-b") when it runs.
   * graphqlUrl and deploymentId are null for a network with nothing to index.
   */
  networks: Record<string, StackNetwork>;
  /** Rejects if a child process dies after start. */
  failed: Promise<never>;
  stop(): Promise<void>;
}

export interface StackNetwork {
  network: string;
  rpcUrl: string;
  subgraphName: string | null;
  graphqlUrl: string | null;
  /** The index-node status API of the graph-node that indexes it. */
  statusUrl: string | null;
  deploymentId: string | null;
  deploymentFile: string;
  groundTruthPath: string | null;
}

export { StackError };

interface StackState {
  /** Genesis hash of the chain this data folder was built on. */
  genesisHash: string;
  /** Genesis hash of the second local network's chain (absent: it was not started yet). */
  genesisHashB?: string;
  genesisTimestamp: number;
  simulation: SimulationConfig & { start: number };
}

/** stack.json, or null before the first seeding; one line when it cannot be read. */
function readStackState(file: string): StackState | null {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as StackState;
  } catch (e) {
    throw new StackError(
      `${file} cannot be read (${(e as Error).message}): it records the chain this data folder was built on. ` +
        "Put back a whole copy, or start over with `npm start -- --fresh` (deletes the data folder); nothing was deleted.",
    );
  }
}

/**
 * Compares what graph-node's database recorded about the chain with the chain itself, before graph-node
 * touches anything: a deleted or replaced chain is reported, never "repaired" by deleting data.
 */
async function checkChainMatchesDatabase(
  postgresUrl: string,
  rpcUrl: string,
  network = NETWORK,
): Promise<void> {
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
        [network],
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
      `the ${network} chain does not match the database: graph-node indexed a chain with genesis 0x${norm(row.genesis_block_hash)}, ` +
        `the chain at the RPC has genesis ${genesis.hash}. ${fresh}`,
    );
  }
  if (row.head_block_number !== null && row.head_block_hash) {
    const n = Number(row.head_block_number);
    const block = await getBlock(rpcUrl, n);
    if (!block || norm(block.hash) !== norm(row.head_block_hash)) {
      const head = Number.parseInt((await getBlock(rpcUrl, "latest"))?.number ?? "0x0", 16);
      throw new StackError(
        `the ${network} chain does not match the database: graph-node saw block ${n} (0x${norm(row.head_block_hash).slice(0, 12)}…) ` +
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
  if (opts.live && opts.rpcUrl)
    throw new StackError("--live produces blocks on the local anvil chains: it cannot drive --rpc-url");
  if (opts.live && existsSync(join(dataDir, "deployment.json"))) throw liveNeedsNewChain(dataDir);
  mkdirSync(logsDir, { recursive: true });
  const log = createLog(join(logsDir, "stack.log"), opts.quiet);

  const stoppedLeftovers = await stopLeftovers(dataDir, log);

  const ports = opts.ports;
  // the second local network runs beside anvil, never beside an external chain (--rpc-url)
  const second = !opts.rpcUrl && opts.secondNetwork !== false;
  const bound: { port: number; what: string; option: string }[] = [];
  const want = (k: keyof StackPorts) =>
    bound.push({ port: ports[k], what: PORT_PURPOSE[k], option: PORT_OPTIONS[k] });
  if (!opts.postgresUrl) want("postgres");
  if (!opts.rpcUrl) want("anvil");
  if (second) {
    want("anvil2");
    want("graph2Http");
    want("graph2Admin");
    want("graph2Index");
    want("graph2Metrics");
  }
  if (!opts.ipfs) want("ipfs");
  want("graphHttp");
  want("graphAdmin");
  want("graphIndex");
  want("graphMetrics");
  if (opts.gateway) want("gateway");
  // Ports of processes just stopped may take a moment to be released by the kernel.
  await assertPortsFree(bound, stoppedLeftovers.length > 0 ? 5000 : 0);

  // stops, child records, the reaper, and what a part's death does (supervisor.ts)
  const sup = new Supervisor(dataDir, logsDir, log, opts.signal);
  const { stops, failed, onSpawn } = sup;
  const failReject = (e: Error) => sup.fail(e);
  const stopAll = () => sup.stopAll();
  const watch = sup.watch.bind(sup);
  const guard = sup.guard.bind(sup);
  const step = <T>(label: string, fn: () => Promise<T>) => guard(timed(log, label, fn));

  try {
    // --- PostgreSQL -------------------------------------------------------------------------------
    let postgresUrl = opts.postgresUrl ?? "";
    if (!postgresUrl) {
      const pgDir = join(dataDir, "postgres");
      const running = await guard(
        timed(log, `PostgreSQL (embedded) on :${ports.postgres}`, () =>
          startPostgres(pgDir, ports.postgres, log, { logFile: join(logsDir, "postgres.log"), onSpawn }),
        ),
      );
      stops.push({ name: "postgres", stop: running.stop });
      watch(running.proc);
      postgresUrl = running.url;
    }

    // --- chain ------------------------------------------------------------------------------------
    const statePath = join(dataDir, "stack.json");
    let state = readStackState(statePath);
    const sim = opts.simulation;
    const start = state?.simulation.start ?? sim.start ?? todayMidnight() - sim.days * DAY;
    let rpcUrl = opts.rpcUrl ?? "";
    let chainA: LocalChain | null = null;
    const genesisTimestamp = state?.genesisTimestamp ?? start - DAY;
    if (!rpcUrl) {
      chainA = await startLocalChain({
        name: "anvil",
        label: (resumed) => `anvil on :${ports.anvil} (${resumed ? "resuming saved chain" : "new chain"})`,
        dir: join(dataDir, "anvil"),
        marker: join(dataDir, "deployment.json"),
        port: ports.anvil,
        genesisTimestamp,
        logFile: join(logsDir, "anvil.log"),
        log,
        onSpawn,
        step,
        watch,
        stops,
      });
      const anvil = chainA;
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
    await repairRollupGap({
      url: postgresUrl,
      database: new URL(postgresUrl).pathname.slice(1),
      network: NETWORK,
      embedded: !opts.postgresUrl,
      log,
    });

    // --- the second local network's chain ---------------------------------------------------------
    let rpcUrlB = "";
    let postgresUrlB = "";
    let chainB: LocalChain | null = null;
    if (second) {
      const anvilB = await startLocalChain({
        name: "anvil-b",
        label: (resumed) =>
          `anvil (${NETWORK_B}, chain id ${CHAIN_ID_B}) on :${ports.anvil2} (${resumed ? "resuming saved chain" : "new chain"})`,
        dir: join(dataDir, "anvil-b"),
        marker: networkFiles(dataDir, NETWORK_B).deploymentFile,
        port: ports.anvil2,
        chainId: CHAIN_ID_B,
        genesisTimestamp,
        logFile: join(logsDir, "anvil-b.log"),
        log,
        onSpawn,
        step,
        watch,
        stops,
      });
      chainB = anvilB;
      rpcUrlB = anvilB.url;
      const genesisB = await getBlock(rpcUrlB, 0);
      if (state?.genesisHashB && genesisB && state.genesisHashB !== genesisB.hash) {
        throw new StackError(
          `the ${NETWORK_B} chain does not match the data folder: ${statePath} was built on genesis ${state.genesisHashB}, ` +
            `anvil-b now has ${genesisB.hash}. Start over with \`npm start -- --fresh\`.`,
        );
      }
      if (state && genesisB && !state.genesisHashB) state.genesisHashB = genesisB.hash;
      postgresUrlB = await ensureDatabase(postgresUrl, GRAPH_DB_B);
      await checkChainMatchesDatabase(postgresUrlB, rpcUrlB, NETWORK_B);
      await repairRollupGap({
        url: postgresUrlB,
        database: GRAPH_DB_B,
        network: NETWORK_B,
        embedded: !opts.postgresUrl,
        log,
      });
    }

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
    // The second network is seeded once the main chain's contracts are deployed (compiled once), alongside the
    // main simulation; its subgraph is built after the main one (graph codegen runs once, for the main manifest).
    let seedingB:
      | Promise<{ seeded: SeededNetwork; built: BuiltSubgraph | null; probe: BuiltSubgraph | null }>
      | undefined;
    const startB = () => {
      if (!second) return;
      seedingB ??= (async () => {
        const seededB = await seedNetwork({
          rpcUrl: rpcUrlB,
          network: NETWORK_B,
          outDir: dataDir,
          simulation: { ...sim, start },
          log,
          persist: () => (chainB as LocalChain).persist(),
        });
        if (Object.keys(seededB.deployment.protocols).length === 0)
          return { seeded: seededB, built: null, probe: null };
        await (building as NonNullable<typeof building>).catch(() => {});
        return timed(log, `subgraph: build (${NETWORK_B} deployment)`, async () => ({
          seeded: seededB,
          built: await buildSubgraph(seededB.deployment, "real"),
          probe: await buildSubgraph(seededB.deployment, "probe"),
        }));
      })();
      seedingB.catch(() => {}); // awaited below
    };
    const seeded = await guard(
      seedChain({
        rpcUrl,
        network: NETWORK,
        outDir: dataDir,
        deploymentFile: opts.deploymentFile,
        simulation: { ...sim, start },
        log,
        persist: chainA ? () => (chainA as LocalChain).persist() : undefined,
        onDeployed: (deployment) => {
          startBuild(deployment);
          startB();
        },
      }),
    );
    const { deployment, deploymentFile } = seeded;
    if (state) writeWhole(statePath, `${JSON.stringify(state, null, 2)}\n`);
    startBuild(deployment);
    startB();
    const { built, probe } = await guard(building as NonNullable<typeof building>);
    log.info(`subgraph build ${built.hash}${built.reused ? " (cached)" : ""}: ${built.builtManifest}`);
    const b = seedingB ? await guard(seedingB) : null;
    if (b?.built)
      log.info(
        `subgraph build ${b.built.hash}${b.built.reused ? " (cached)" : ""}: ${b.built.builtManifest}`,
      );

    // --- graph-node: in a network namespace of its own, its ports served on loopback unless exposed (netns.ts)
    const listenOn = {
      query: opts.expose?.query ? "0.0.0.0" : "127.0.0.1",
      admin: opts.expose?.admin ? "0.0.0.0" : "127.0.0.1",
    };
    const node: GraphNode = await guard(
      timed(log, `graph-node (gnd dev) on :${ports.graphHttp}`, () =>
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
          onSpawn,
          listen: { ...listenOn, runDir: join(dataDir, "run", "graph-node") },
          warn: (m) => log.warn(m),
        }),
      ),
    );
    watch(node.proc);
    stops.push({ name: "graph-node", stop: () => node.stop() });
    await node.deploy(SUBGRAPH_NAME, built.builtManifest);
    const indexed: Indexed[] = [{ network: NETWORK, deploymentId: built.builtManifest, rpcUrl, node }];

    // --- the second network's graph-node: one gnd indexes one network (graphnode.ts), so local-b has its own,
    // on its own database of the same PostgreSQL, as a second graph-node upstream of the gateway
    let nodeB: GraphNode | null = null;
    if (b?.built && b.probe) {
      const probeB = b.probe;
      nodeB = await guard(
        timed(log, `graph-node for ${NETWORK_B} (gnd dev) on :${ports.graph2Http}`, () =>
          startGraphNode({
            bin: gndBin,
            probeManifest: join(probeB.buildDir, "subgraph.yaml"),
            postgresUrl: postgresUrlB,
            network: NETWORK_B,
            rpcUrl: rpcUrlB,
            ipfs,
            ports: {
              http: ports.graph2Http,
              admin: ports.graph2Admin,
              index: ports.graph2Index,
              metrics: ports.graph2Metrics,
            },
            logFile: join(logsDir, "graph-node-b.log"),
            name: "graph-node-b",
            onSpawn,
            listen: { ...listenOn, runDir: join(dataDir, "run", "graph-node-b") },
            warn: (m) => log.warn(m),
          }),
        ),
      );
      const nb = nodeB;
      watch(nb.proc);
      stops.push({ name: "graph-node-b", stop: () => nb.stop() });
      await nb.deploy(SUBGRAPH_NAME_B, b.built.builtManifest);
      indexed.push({ network: NETWORK_B, deploymentId: b.built.builtManifest, rpcUrl: rpcUrlB, node: nb });
    }
    await guard(
      timed(log, `indexing until synced with the chain head${indexed.length > 1 ? "s" : ""}`, () =>
        waitForSync(indexed, log, opts.syncTimeoutMs ?? 20 * 60_000, failed),
      ),
    );

    // --- gateway --------------------------------------------------------------------------------------
    let gatewayUrl: string | null = null;
    const graphqlUrl = node.subgraphUrl(SUBGRAPH_NAME);
    if (opts.gateway) {
      const gw = await guard(
        timed(log, `gateway on :${ports.gateway}`, () =>
          startGatewayProcess({
            port: ports.gateway,
            host: listenOn.query,
            upstreams: [
              { name: NETWORK, url: graphqlUrl, statusUrl: node.statusUrl, network: NETWORK },
              ...(nodeB
                ? [
                    {
                      name: NETWORK_B,
                      url: nodeB.subgraphUrl(SUBGRAPH_NAME_B),
                      statusUrl: nodeB.statusUrl,
                      network: NETWORK_B,
                    },
                  ]
                : []),
            ],
            logFile: join(logsDir, "gateway.log"),
            onSpawn,
          }),
        ),
      );
      watch(gw.proc);
      stops.push({ name: "gateway", stop: gw.stop });
      gatewayUrl = gw.url;
    }

    // --- live blocks: every network started, continuing its history's simulator (stack/src/live.ts) ----------
    if (opts.live) {
      const live: LiveNetwork[] = [];
      for (const [network, s] of [
        [NETWORK, seeded] as const,
        ...(b ? [[NETWORK_B, b.seeded] as const] : []),
      ]) {
        if (s.simulator) live.push({ network, simulator: s.simulator });
        else if (!s.seededNow) throw liveNeedsNewChain(dataDir);
        else log.info(`live: nothing to simulate on ${network} (no protocol has a part there)`);
      }
      const running = startLive(live, log, (e) => {
        log.error(e.message);
        failReject(e);
      });
      stops.push({ name: "live blocks", stop: running.stop });
    }

    const networks: Record<string, StackNetwork> = {
      [NETWORK]: {
        network: NETWORK,
        rpcUrl,
        subgraphName: SUBGRAPH_NAME,
        graphqlUrl,
        statusUrl: node.statusUrl,
        deploymentId: built.builtManifest,
        deploymentFile,
        groundTruthPath: seeded.groundTruthPath,
      },
    };
    if (b)
      networks[NETWORK_B] = {
        network: NETWORK_B,
        rpcUrl: rpcUrlB,
        subgraphName: nodeB ? SUBGRAPH_NAME_B : null,
        graphqlUrl: nodeB ? nodeB.subgraphUrl(SUBGRAPH_NAME_B) : null,
        statusUrl: nodeB?.statusUrl ?? null,
        deploymentId: b.built?.builtManifest ?? null,
        deploymentFile: b.seeded.deploymentFile,
        groundTruthPath: b.seeded.groundTruthPath,
      };
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
      networks,
      failed,
      stop: stopAll,
    };
    log.step("ready");
    log.info(`chain RPC           ${redactUrl(rpcUrl)}`);
    log.info(`subgraph GraphQL    ${graphqlUrl}`);
    const nb = networks[NETWORK_B];
    if (nb) {
      log.info(`${NETWORK_B} chain RPC   ${nb.rpcUrl} (chain id ${CHAIN_ID_B})`);
      log.info(
        `${NETWORK_B} subgraph    ${nb.graphqlUrl ?? "none: no registered protocol has a part on a second network"}`,
      );
    }
    log.info(`indexing status     ${node.statusUrl}`);
    if (gatewayUrl) {
      log.info(`analytics gateway   ${gatewayUrl}/graphql`);
      log.info(`dashboard           ${gatewayUrl}/dashboard`);
    }
    if (opts.expose?.query || opts.expose?.admin)
      log.info(
        `on every interface  ${[opts.expose.query ? "GraphQL and gateway ports" : "", opts.expose.admin ? "graph-node admin ports" : ""].filter(Boolean).join(", ")} (--expose${opts.expose.admin ? ", --expose-admin" : ""})`,
      );
    log.info(`data folder         ${dataDir}`);
    log.info(`logs                ${logsDir}`);
    return handle;
  } catch (e) {
    if (opts.signal?.aborted) {
      await stopAll();
      throw opts.signal.reason;
    }
    // a part that died says so in one line; a full disk too, whichever write hit it
    const failure = (await sup.failureWithin(1000)) ?? (isDiskFull(e) ? diskFull(dataDir) : (e as Error));
    log.error(failure.message);
    await stopAll();
    throw failure;
  }
}

/** A deployment graph-node indexes, and the chain it indexes. */
interface Indexed {
  network: string;
  deploymentId: string;
  rpcUrl: string;
  node: GraphNode;
}

/** Until every deployment has indexed its chain's head (one progress line for all). */
async function waitForSync(
  indexed: Indexed[],
  log: StackLog,
  timeoutMs: number,
  failed: Promise<never>,
): Promise<void> {
  const t0 = performance.now();
  const firstBlock = new Map<string, number>();
  const check = async () => {
    const parts: string[] = [];
    let done = true;
    for (const x of indexed) {
      const head = Number.parseInt(await rpc<string>(x.rpcUrl, "eth_blockNumber"), 16);
      const s = await x.node.status(x.deploymentId);
      if (!s) return undefined;
      if (s.health === "failed" || s.fatalError) {
        throw new StackError(
          `the subgraph of ${x.network} failed to index: ${s.fatalError?.message ?? s.health}; last lines of ${x.node.proc.logFile}:\n${tail(x.node.proc.logFile)}`,
        );
      }
      const latest = Number(s.chains[0]?.latestBlock?.number ?? 0);
      if (!firstBlock.has(x.network)) firstBlock.set(x.network, latest);
      const secs = (performance.now() - t0) / 1000;
      const rate = secs > 0 ? ((latest - (firstBlock.get(x.network) ?? latest)) / secs).toFixed(0) : "0";
      parts.push(
        `${indexed.length > 1 ? `${x.network} ` : ""}indexed block ${latest} / ${head} (${rate} blocks/s)`,
      );
      if (!(s.synced && latest >= head)) done = false;
    }
    log.progress(parts.join(", "));
    return done ? true : undefined;
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
    `graph-node did not sync within ${Math.round(timeoutMs / 1000)} s; see ${indexed.map((x) => x.node.proc.logFile).join(", ")}`,
  );
}
