/**
 * Indexing throughput of graph-node on our subgraph, against the ceiling graph-node itself sets: the same
 * history indexed by a subgraph with the same data sources whose handlers do nothing.
 *
 *   npm run bench:indexing -- [--days 365] [--seed 7] [--keep]
 *
 * Prints: time to produce the history, then for each subgraph the seconds from deploy to synced,
 * events/s and blocks/s: the do-nothing ceiling, a mapping that writes one data point per event (the
 * floor of any mapping that records flows), ours, and ours with `prune: auto` (what real-network
 * manifests use; the local chain's deployment says `never`); ours as a share of the ceiling (target ≥ 50%).
 * graph-node runs with library backtraces off (stack/src/graphnode.ts, GRAPH_NODE_ENV).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { deployContracts, simulate } from "../contracts/src/index.js";
import { rpc, startAnvil } from "../stack/src/anvil.js";
import { type GraphNode, gndBinary, startGraphNode } from "../stack/src/graphnode.js";
import { testPorts } from "../stack/src/harness.js";
import { startIpfsStub } from "../stack/src/ipfs.js";
import { createLog } from "../stack/src/log.js";
import { startPostgres } from "../stack/src/postgres.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { buildSubgraph, type Deployment } from "../subgraph/scripts/manifest.js";

const { values } = parseArgs({
  options: {
    days: { type: "string", default: "365" },
    seed: { type: "string", default: "7" },
    keep: { type: "boolean", default: false },
    pgstat: { type: "boolean", default: false },
  },
});
const days = Number(values.days);
const seed = Number(values.seed);
const dir = mkdtempSync(join(tmpdir(), "aitok-bench-"));
const log = createLog(join(dir, "logs", "stack.log"), true);
const ports = await testPorts();
const say = (s: string) => process.stdout.write(`${s}\n`);

/**
 * graph-node's own account of where a deployment's time went, from its metrics endpoint, for one build:
 * `deployment_sync_secs` per stopwatch section (host_export_store_set, …), `deployment_host_fn_execution_time`
 * per host function, and `deployment_handler_execution_time`.
 */
async function hostFnSeconds(metricsUrl: string, buildHash: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const m =
      /^(deployment_host_fn_execution_time_sum|deployment_handler_execution_time_sum|deployment_sync_secs)\{([^}]*)\} (\S+)$/.exec(
        line,
      );
    if (!m?.[2]?.includes(buildHash)) continue;
    // gnd deploys by path: the deployment label is the build's manifest path, which holds the build hash.
    const labels = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const fn = Object.entries(labels).find(([k]) => !["deployment", "shard", "network"].includes(k))?.[1];
    const key =
      m[1] === "deployment_handler_execution_time_sum"
        ? "handlers (total)"
        : m[1] === "deployment_sync_secs"
          ? `section ${labels.section ?? "?"}${labels.stage ? ` (${labels.stage})` : ""}`
          : `host fn ${fn ?? "?"}`;
    out.set(key, (out.get(key) ?? 0) + Number(m[3]));
  }
  return out;
}

async function topStatements(client: pg.Client): Promise<string[]> {
  const top = await client.query(
    "select calls, round(total_exec_time) as ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 140) as q from pg_stat_statements order by total_exec_time desc limit 12",
  );
  return top.rows.map(
    (r) => `  pg ${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(7)} calls  ${r.q}`,
  );
}

const pgUrl = await startPostgres(join(dir, "postgres"), ports.postgres, log);
const start = Date.UTC(2025, 0, 6) / 1000;
const anvil = await startAnvil({
  port: ports.anvil,
  stateFile: join(dir, "anvil", "state.json"),
  cacheDir: join(dir, "anvil", "cache"),
  genesisTimestamp: start - 86400,
  logFile: join(dir, "logs", "anvil.log"),
});
const ipfs = await startIpfsStub(ports.ipfs, log);
let node: GraphNode | undefined;
try {
  const deployment = await deployContracts({ rpcUrl: anvil.url, network: "local" });
  const t0 = performance.now();
  const truth = await simulate({ rpcUrl: anvil.url, deployment, seed, days, startTime: start });
  const simSeconds = (performance.now() - t0) / 1000;
  const head = Number.parseInt(await rpc<string>(anvil.url, "eth_blockNumber"), 16);
  say(
    `history: ${days} days, ${truth.blocks} blocks, ${truth.events} events, produced in ${simSeconds.toFixed(1)} s`,
  );

  const d = deployment as unknown as Deployment;
  const noop = await buildSubgraph(d, "noop");
  const floor = await buildSubgraph(d, "floor");
  const real = await buildSubgraph(d, "real");
  const realAuto = await buildSubgraph({ ...d, prune: "auto" }, "real");
  const probe = await buildSubgraph(d, "probe");
  node = await startGraphNode({
    bin: gndBinary(),
    probeManifest: join(probe.buildDir, "subgraph.yaml"),
    postgresUrl: pgUrl.url,
    network: "local",
    rpcUrl: anvil.url,
    ipfs: ipfs.url,
    ports: {
      http: ports.graphHttp,
      admin: ports.graphAdmin,
      index: ports.graphIndex,
      metrics: ports.graphMetrics,
    },
    logFile: join(dir, "logs", "graph-node.log"),
  });
  const n = node;
  // Let graph-node ingest the chain head before timing anything.
  await new Promise((r) => setTimeout(r, 5000));

  const measure = async (name: string, manifest: string) => {
    const t = performance.now();
    await n.deploy(name, manifest);
    for (;;) {
      const s = await n.status(manifest);
      if (s?.fatalError) throw new Error(`${name}: ${s.fatalError.message}`);
      if (s?.synced && Number(s.chains[0]?.latestBlock?.number ?? 0) >= head) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return (performance.now() - t) / 1000;
  };
  const ceiling = await measure("bench-noop", noop.builtManifest);
  const oneWrite = await measure("bench-floor", floor.builtManifest);
  const pgClient = values.pgstat ? new pg.Client({ connectionString: pgUrl.url }) : null;
  if (pgClient) {
    await pgClient.connect();
    await pgClient.query("create extension if not exists pg_stat_statements");
    await pgClient.query("select pg_stat_statements_reset()");
  }
  const ours = await measure("bench-real", real.builtManifest);
  const metricsUrl = `http://127.0.0.1:${ports.graphMetrics}/metrics`;
  const hostFns = await hostFnSeconds(metricsUrl, real.hash);
  const ourPgStats = pgClient ? await topStatements(pgClient) : [];
  const oursAuto = await measure("bench-real-auto", realAuto.builtManifest);
  if (pgClient) {
    // Where PostgreSQL spent its time while our subgraph indexed.
    for (const r of ourPgStats) say(r);
    await pgClient.end();
  }
  const row = (label: string, s: number) =>
    say(
      `${label.padEnd(28)} ${s.toFixed(1).padStart(7)} s  ${(truth.events / s).toFixed(0).padStart(7)} events/s  ${(head / s).toFixed(0).padStart(6)} blocks/s`,
    );
  say("subgraph                       synced in     events/s    blocks/s");
  row("do-nothing handlers (ceiling)", ceiling);
  row("one data point per event", oneWrite);
  row("our mappings", ours);
  row("our mappings, prune: auto", oursAuto);
  say(`ours / ceiling: ${((ceiling / ours) * 100).toFixed(0)}% of the ceiling's throughput (target ≥ 50%)`);
  say(`prune: auto / never: ${((oursAuto / ours) * 100).toFixed(0)}% of the time`);
  say(
    `one data point per event / ceiling: ${((ceiling / oneWrite) * 100).toFixed(0)}% (the most any flow-recording mapping can reach here)`,
  );
  say(`ours / one data point per event: ${((oneWrite / ours) * 100).toFixed(0)}%`);
  say("where our mappings' time went (graph-node metrics, seconds; host functions are part of handlers):");
  for (const [k, v] of [...hostFns.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12))
    say(`  ${v.toFixed(1).padStart(7)} s  ${k}`);
} finally {
  await node?.proc.stop(3000);
  await ipfs.stop();
  await anvil.proc.stop();
  await pgUrl.stop();
  if (values.keep) say(`kept: ${dir} (logs in ${dir}/logs)`);
  else removeDataFolder(dir);
}
