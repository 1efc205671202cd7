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
 *
 * Beyond its own assertions, every scenario's final store must keep the invariants below (read from the
 * deployment's tables, so they hold whatever the scenario asserts by hand): an account's stake in a protocol
 * with operators is the sum of its delegations, and the protocol's staker and operator counts are the numbers
 * of stakers and operators with stake.
 */
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GND_FIXTURE_DEPLOYMENT,
  type GndTestRunner,
  type StoreQuery,
  startGndTestRunner,
} from "../../stack/src/gndtest.js";

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
    const { output, passed, inspected } = await (runner as GndTestRunner).runAndInspect(
      join(TEST_DIR, file),
      storeInvariants,
    );
    if (!passed) console.error(`gnd test ${basename(file)} failed:\n${output}`);
    expect(passed, output).toBe(true);
    expect(inspected, `store invariants of ${basename(file)}`).toEqual([]);
  });
});

/** Current rows of a mutable entity table. */
const current = (query: StoreQuery, sql: string) =>
  query(`${sql} ${sql.includes(" where ") ? "and" : "where"} upper_inf(block_range)`);

/** Every broken invariant of the store a scenario left, as one line each (none: []). */
async function storeInvariants(query: StoreQuery): Promise<string[]> {
  const broken: string[] = [];
  const delegated = new Map<string, bigint>(); // protocol/account -> sum of its delegations
  const withOperators = new Set<string>();
  for (const d of await current(
    query,
    "select protocol, encode(account, 'hex') as account, stake::text as stake from delegation",
  )) {
    const key = `${d.protocol}/0x${d.account}`;
    delegated.set(key, (delegated.get(key) ?? 0n) + BigInt(String(d.stake)));
    withOperators.add(String(d.protocol));
  }
  const stakers = new Map<string, number>();
  for (const s of await current(
    query,
    "select protocol, encode(account, 'hex') as account, stake::text as stake from staker",
  )) {
    const key = `${s.protocol}/0x${s.account}`;
    const stake = BigInt(String(s.stake));
    if (stake > 0n) stakers.set(String(s.protocol), (stakers.get(String(s.protocol)) ?? 0) + 1);
    if (!withOperators.has(String(s.protocol))) continue;
    const sum = delegated.get(key) ?? 0n;
    if (sum !== stake) broken.push(`staker ${key}: stake ${stake}, its delegations sum to ${sum}`);
    delegated.delete(key);
  }
  for (const [key, sum] of delegated)
    if (sum !== 0n) broken.push(`delegations of ${key} sum to ${sum}, but the account has no Staker`);
  const operators = new Map<string, number>();
  for (const o of await current(query, "select protocol from operator where total_stake > 0"))
    operators.set(String(o.protocol), (operators.get(String(o.protocol)) ?? 0) + 1);
  for (const p of await current(query, "select id, staker_count, operator_count from protocol")) {
    const id = String(p.id);
    if (Number(p.staker_count) !== (stakers.get(id) ?? 0))
      broken.push(
        `protocol ${id}: stakerCount ${p.staker_count}, stakers with stake ${stakers.get(id) ?? 0}`,
      );
    if (Number(p.operator_count) !== (operators.get(id) ?? 0))
      broken.push(
        `protocol ${id}: operatorCount ${p.operator_count}, operators with stake ${operators.get(id) ?? 0}`,
      );
  }
  return broken;
}
