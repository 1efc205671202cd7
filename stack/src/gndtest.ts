/**
 * Runs JSON scenarios through graph-node's `gnd test` (mocked chain; real store, WASM runtime and
 * aggregations) against our own PostgreSQL: gnd's temporary database fails as root. One runner per
 * deployment: it builds the subgraph (content-addressed, usually cached) and starts PostgreSQL once.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
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

export interface GndTestRunner {
  /**
   * Runs one scenario file. Give each file its own run: with --postgres-url, gnd reuses one deployment
   * hash for all files of a run and keeps a failed test's deployment.
   */
  run(scenarioFile: string): Promise<GndTestResult>;
  stop(): Promise<void>;
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
  let pg: Awaited<ReturnType<typeof startPostgres>>;
  let manifest: string;
  try {
    const [started, built] = await Promise.all([
      startPostgres(pgDir, await freePort(), createLog(null, true)),
      buildSubgraph(deployment, "real"),
    ]);
    pg = started;
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
        pg.url,
        scenarioFile,
      ]);
      return { code, output, passed: code === 0 && /Tests: 1 passed, 0 failed/.test(output) };
    },
    async stop() {
      await pg.stop();
      cleanup();
    },
  };
}
