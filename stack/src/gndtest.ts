/**
 * Runs JSON scenarios through graph-node's `gnd test` (mocked chain; real store, WASM runtime and
 * aggregations) against our own PostgreSQL: gnd's temporary database fails as root. One runner per
 * deployment: it builds the subgraph (content-addressed, usually cached) and starts PostgreSQL once.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, relative } from "node:path";
import pg from "pg";
import { buildSubgraph, type Deployment, ROOT_DIR } from "../../subgraph/scripts/manifest.js";
import { GRAPH_NODE_ENV } from "./graphnode.js";
import { createLog } from "./log.js";
import { freePort } from "./ports.js";
import { removePostgresData, startPostgres } from "./postgres.js";

const GND = join(ROOT_DIR, "node_modules", ".bin", "gnd");

/** Fixed addresses, start block 0: the JSON scenarios emit their events from these. */
export const GND_FIXTURE_DEPLOYMENT = {
  network: "mainnet",
  description: "gnd test fixture",
  protocols: {
    livepeer: {
      LivepeerToken: { address: "0x1000000000000000000000000000000000000001", startBlock: 0 },
      BondingManager: { address: "0x1000000000000000000000000000000000000002", startBlock: 0 },
      Minter: { address: "0x1000000000000000000000000000000000000003", startBlock: 0 },
      RoundsManager: { address: "0x1000000000000000000000000000000000000004", startBlock: 0 },
      TicketBroker: { address: "0x1000000000000000000000000000000000000005", startBlock: 0 },
      MinterV1: { address: "0x1000000000000000000000000000000000000006", startBlock: 0 },
    },
    thegraph: {
      L2GraphToken: { address: "0x2000000000000000000000000000000000000001", startBlock: 0 },
      GraphStaking: { address: "0x2000000000000000000000000000000000000002", startBlock: 0 },
      RewardsManager: { address: "0x2000000000000000000000000000000000000003", startBlock: 0 },
      L2Curation: { address: "0x2000000000000000000000000000000000000004", startBlock: 0 },
      GraphPayments: { address: "0x2000000000000000000000000000000000000005", startBlock: 0 },
    },
    singularitynet: {
      FetToken: { address: "0x5000000000000000000000000000000000000001", startBlock: 0 },
      AgixToken: { address: "0x5000000000000000000000000000000000000002", startBlock: 0 },
      MultiPartyEscrowAGIX: { address: "0x5000000000000000000000000000000000000003", startBlock: 0 },
      MultiPartyEscrowFET: { address: "0x5000000000000000000000000000000000000004", startBlock: 0 },
      TokenStake: { address: "0x5000000000000000000000000000000000000005", startBlock: 0 },
      AsiMigration: { address: "0x5000000000000000000000000000000000000006", startBlock: 0 },
    },
    morpheus: {
      MOR: { address: "0x6000000000000000000000000000000000000001", startBlock: 0 },
      L2MessageReceiver: { address: "0x6000000000000000000000000000000000000002", startBlock: 0 },
      Builders: { address: "0x6000000000000000000000000000000000000003", startBlock: 0 },
    },
  },
  // prices: ETH/USD and GRT/USD feeds, an LPT/WETH pool (LPT token0) and a reversed pool whose asset is token1
  prices: {
    maxAgeSeconds: 3600,
    sources: [
      {
        name: "ETH/USD",
        kind: "chainlink",
        address: "0x3000000000000000000000000000000000000001",
        startBlock: 0,
        asset: "0x0000000000000000000000000000000000000000",
        decimals: 8,
      },
      {
        name: "GRT/USD",
        kind: "chainlink",
        address: "0x3000000000000000000000000000000000000002",
        startBlock: 0,
        asset: "0x2000000000000000000000000000000000000001",
        decimals: 8,
      },
      {
        name: "LPT/WETH",
        kind: "uniswapV3",
        address: "0x3000000000000000000000000000000000000003",
        startBlock: 0,
        asset: "0x1000000000000000000000000000000000000001",
        quote: "ETH",
        assetIsToken0: true,
        assetDecimals: 18,
        quoteDecimals: 18,
      },
      {
        name: "WETH/TKN",
        kind: "uniswapV3",
        address: "0x3000000000000000000000000000000000000004",
        startBlock: 0,
        asset: "0x30000000000000000000000000000000000000aa",
        quote: "ETH",
        assetIsToken0: false,
        assetDecimals: 18,
        quoteDecimals: 18,
      },
    ],
  },
} satisfies Deployment;

export interface GndTestResult {
  code: number | null;
  output: string;
  /** gnd's own summary said exactly one test passed and none failed. */
  passed: boolean;
}

/** Runs SQL against the store a scenario left (the deployment's tables are on the search path). */
export type StoreQuery = (sql: string) => Promise<Record<string, unknown>[]>;

export interface GndTestRunner {
  /**
   * Runs one scenario file. Give each file its own run: with --postgres-url, gnd reuses one deployment
   * hash for all files of a run and keeps a failed test's deployment.
   */
  run(scenarioFile: string): Promise<GndTestResult>;
  /**
   * Runs one scenario in a database of its own, then hands the store it left to `inspect` (for invariants
   * that hold in every scenario, whatever its hand-computed assertions say). gnd removes a passed test's
   * deployment, so the scenario runs with one more assertion that cannot hold (a probe): gnd keeps the store,
   * and `passed` means every assertion of the file passed and only the probe failed. The database is dropped
   * afterwards.
   */
  runAndInspect<T>(
    scenarioFile: string,
    inspect: (query: StoreQuery) => Promise<T>,
  ): Promise<GndTestResult & { inspected: T | null }>;
  stop(): Promise<void>;
}

/** The probe appended by runAndInspect: a query whose expected value graph-node can never answer. */
const PROBE = {
  query: "{ _meta { hasIndexingErrors } }",
  expected: { _meta: { hasIndexingErrors: "probe" } },
};

/** gnd's per-assertion lines ("✔ <query>" / "✘ <query>"), in order. */
function assertionLines(output: string): { ok: boolean; query: string }[] {
  return output
    .split("\n")
    .map((l) => /^\s{4}([✔✘]) (\{.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ ok: m[1] === "✔", query: m[2] as string }));
}

function runToEnd(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: ROOT_DIR,
      env: { ...process.env, ...GRAPH_NODE_ENV, NO_COLOR: "1" },
    });
    let output = "";
    const collect = (d: Buffer) => {
      output += String(d);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}

export async function startGndTestRunner(deployment: Deployment): Promise<GndTestRunner> {
  const work = mkdtempSync(join(tmpdir(), "aitok-gnd-test-"));
  const pgDir = join(work, "pg", "data");
  const cleanup = () => {
    removePostgresData(pgDir);
    rmSync(work, { recursive: true, force: true });
  };
  let started: Awaited<ReturnType<typeof startPostgres>>;
  let manifest: string;
  let probes = 0;
  try {
    const [pgStarted, built] = await Promise.all([
      startPostgres(pgDir, await freePort(), createLog(null, true)),
      buildSubgraph(deployment, "real"),
    ]);
    started = pgStarted;
    // gnd test loads <folder of --manifest>/build/<manifest file name>: point build/ at our cached build.
    const project = join(work, "project");
    mkdirSync(project);
    symlinkSync(built.buildDir, join(project, "build"));
    manifest = join(project, relative(built.buildDir, built.builtManifest));
  } catch (e) {
    cleanup();
    throw e;
  }
  return {
    async run(scenarioFile) {
      const { code, output } = await runToEnd(GND, [
        "test",
        "--skip-build",
        "--manifest",
        manifest,
        "--postgres-url",
        started.url,
        scenarioFile,
      ]);
      return { code, output, passed: code === 0 && /Tests: 1 passed, 0 failed/.test(output) };
    },
    async runAndInspect(scenarioFile, inspect) {
      const scenario = JSON.parse(readFileSync(scenarioFile, "utf8")) as { assertions: unknown[] };
      const probed = join(work, `probe-${++probes}-${basename(scenarioFile)}`);
      writeFileSync(probed, JSON.stringify({ ...scenario, assertions: [...scenario.assertions, PROBE] }));
      const db = `scenario_${probes}`;
      const admin = new pg.Client({ connectionString: started.url });
      await admin.connect();
      try {
        await admin.query(`create database ${db}`);
        const url = started.url.replace(/\/[^/]*$/, `/${db}`);
        const { code, output } = await runToEnd(GND, [
          "test",
          "--skip-build",
          "--manifest",
          manifest,
          "--postgres-url",
          url,
          probed,
        ]);
        const lines = assertionLines(output);
        const passed =
          lines.length === scenario.assertions.length + 1 &&
          lines.slice(0, -1).every((l) => l.ok) &&
          lines.at(-1)?.ok === false &&
          lines.at(-1)?.query === PROBE.query;
        if (!passed) return { code, output, passed, inspected: null };
        const store = new pg.Client({ connectionString: url });
        await store.connect();
        try {
          const { rows } = await store.query<{ name: string }>(
            "select name from public.deployment_schemas order by id desc limit 1",
          );
          const schema = rows[0]?.name;
          if (!schema) throw new Error(`gnd test ${basename(scenarioFile)}: no deployment left in ${db}`);
          await store.query(`set search_path to ${schema}`);
          const inspected = await inspect(async (sql) => (await store.query(sql)).rows);
          return { code: 0, output, passed, inspected };
        } finally {
          await store.end();
        }
      } finally {
        await admin.query(`drop database if exists ${db} with (force)`).catch(() => {});
        await admin.end();
      }
    },
    async stop() {
      await started.stop();
      cleanup();
    },
  };
}
