/**
 * Subgraph handler tests: the JSON scenarios in this folder run through a real graph-node with
 * `gnd test` (mocked chain, real store and WASM runtime), against an embedded PostgreSQL.
 * Expected values are computed by hand from docs/methodology.md.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLog } from "../../stack/src/log.js";
import { freePort } from "../../stack/src/ports.js";
import { type RunningPostgres, startPostgres } from "../../stack/src/postgres.js";
import { buildSubgraph, type Deployment, ROOT_DIR } from "../../subgraph/scripts/manifest.js";

const TEST_DIR = resolve(ROOT_DIR, "tests", "subgraph");
const GND = join(ROOT_DIR, "node_modules", ".bin", "gnd");

/** Fixed addresses, start block 0: the JSON tests emit their events from these. */
export const TEST_DEPLOYMENT: Deployment = {
  network: "mainnet",
  description: "gnd test fixture",
  protocols: {
    livepeer: {
      LivepeerToken: { address: "0x1000000000000000000000000000000000000001", startBlock: 0 },
      BondingManager: { address: "0x1000000000000000000000000000000000000002", startBlock: 0 },
      Minter: { address: "0x1000000000000000000000000000000000000003", startBlock: 0 },
      RoundsManager: { address: "0x1000000000000000000000000000000000000004", startBlock: 0 },
      TicketBroker: { address: "0x1000000000000000000000000000000000000005", startBlock: 0 },
    },
    thegraph: {
      L2GraphToken: { address: "0x2000000000000000000000000000000000000001", startBlock: 0 },
      GraphStaking: { address: "0x2000000000000000000000000000000000000002", startBlock: 0 },
      RewardsManager: { address: "0x2000000000000000000000000000000000000003", startBlock: 0 },
      L2Curation: { address: "0x2000000000000000000000000000000000000004", startBlock: 0 },
      GraphPayments: { address: "0x2000000000000000000000000000000000000005", startBlock: 0 },
    },
  },
};

function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT_DIR, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d) => {
      output += String(d);
    });
    child.stderr.on("data", (d) => {
      output += String(d);
    });
    child.once("error", reject);
    child.once("close", (code) => resolvePromise({ code, output }));
  });
}

describe("subgraph handlers (gnd test)", () => {
  let work: string;
  let pg: RunningPostgres | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "gnd-test-"));
    // As root, PostgreSQL runs as the `postgres` user: it must traverse the temp folder.
    chmodSync(work, 0o755);
    pg = await startPostgres(join(work, "pg", "data"), await freePort(), createLog(null, true));
  });

  afterAll(async () => {
    await pg?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("every JSON scenario passes", async () => {
    const { builtManifest, buildDir } = await buildSubgraph(TEST_DEPLOYMENT, "real");
    // gnd test reads <dir of --manifest>/build/<manifest file name>: point build/ at our cached build.
    const project = join(work, "project");
    mkdirSync(project);
    symlinkSync(buildDir, join(project, "build"));
    const scenarios = readdirSync(TEST_DIR)
      .filter((f) => f.endsWith(".json"))
      .sort();
    expect(scenarios.length).toBeGreaterThan(0);
    const manifest = join(project, builtManifest.slice(buildDir.length + 1));
    const started = Date.now();
    const { code, output } = await run(GND, [
      "test",
      "--skip-build",
      "--manifest",
      manifest,
      "--postgres-url",
      pg?.url ?? "",
      ...scenarios.map((f) => join(TEST_DIR, f)),
    ]);
    if (code !== 0) console.error(output);
    else console.log(`gnd test: ${scenarios.length} scenarios in ${Date.now() - started} ms`);
    expect(code, output).toBe(0);
  });
});
