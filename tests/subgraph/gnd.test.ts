/**
 * Subgraph handler tests. Each JSON scenario in this folder runs through a real graph-node with
 * `gnd test` (mocked chain; real store, WASM runtime and aggregations) against an embedded PostgreSQL,
 * then checks GraphQL assertions whose expected values are computed by hand from docs/methodology.md.
 *
 * Scenario conventions: contracts live at the fixed addresses of GND_FIXTURE_DEPLOYMENT (stack/src/gndtest.ts) (start block 0,
 * network "mainnet"); protocol-scoped ids start with the slug's UTF-8 bytes ("livepeer" = 0x6c69766570656572,
 * "thegraph" = 0x7468656772617068); per-event ids are tx hash ++ log index (4 bytes, little-endian);
 * aggregation timestamps are in microseconds, and a day/hour bucket only exists once a later block
 * (in a later day/hour) has been indexed, so scenarios end with a closing block.
 *
 * Each file gets its own `gnd test` run: with --postgres-url, gnd reuses one deployment hash for all
 * files of a run and keeps a failed test's deployment, so the files after a failure would see its data.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GND_FIXTURE_DEPLOYMENT, type GndTestRunner, startGndTestRunner } from "../../stack/src/gndtest.js";

const TEST_DIR = fileURLToPath(new URL(".", import.meta.url));
const SCENARIOS = readdirSync(TEST_DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("subgraph handlers (gnd test)", () => {
  let runner: GndTestRunner | undefined;

  beforeAll(async () => {
    runner = await startGndTestRunner(GND_FIXTURE_DEPLOYMENT);
  });

  afterAll(async () => {
    await runner?.stop();
  });

  it("has scenarios", () => {
    expect(SCENARIOS.length).toBeGreaterThan(0);
  });

  it.each(SCENARIOS)("%s", async (file) => {
    const { code, output, passed } = await (runner as GndTestRunner).run(join(TEST_DIR, file));
    if (code !== 0) console.error(`gnd test ${basename(file)} exited with ${code}:\n${output}`);
    expect(code, output).toBe(0);
    expect(passed, output).toBe(true);
  });
});
