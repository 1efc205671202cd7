/**
 * End-to-end: the simulator writes a 21-day history of every registered protocol (Horizon switch, slashes, the
 * AGIX to FET migration, bridge moves) on anvil, graph-node indexes it with our subgraph, and every day of every
 * aggregation and stock must equal the simulator's own ledger.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FLOW_FIELDS, STOCK_FIELDS } from "../api/src/fields.js";
import type { GroundTruth, ProtocolTruth } from "../contracts/src/index.js";
import { gql, startStack, type TestStack } from "../stack/src/harness.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { PROTOCOLS } from "../subgraph/scripts/datasources.js";
import { collect, compareDays, compareHours, comparePeriods, comparePrices, dayOf } from "./support/truth.js";

type Row = Record<string, string | number>;

let stack: TestStack;
let truth: GroundTruth;
let stopped = false;
// Our own data folder (not the harness's temporary one) so that the last test can look into it after stop.
const dataDir = mkdtempSync(join(tmpdir(), "aitok-groundtruth-"));

beforeAll(async () => {
  stack = await startStack({ days: 21, seed: 7, horizonSwitchDay: 12, dataDir });
  truth = JSON.parse(readFileSync(stack.groundTruthPath as string, "utf8")) as GroundTruth;
});
afterAll(async () => {
  if (!stopped) await stack?.stop();
  removeDataFolder(dataDir);
});

describe("indexed history equals the simulator's ground truth", () => {
  it("answers _meta at the chain head with no indexing errors", async () => {
    const { _meta } = await gql<{ _meta: { block: { number: number }; hasIndexingErrors: boolean } }>(
      stack.graphqlUrl,
      "{ _meta { block { number } hasIndexingErrors } }",
    );
    expect(_meta.hasIndexingErrors).toBe(false);
    const head = await fetch(stack.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
    }).then(async (r) => Number.parseInt(((await r.json()) as { result: string }).result, 16));
    expect(_meta.block.number).toBe(head);
  });

  it("prices: every asset's hourly and daily close, low, high and observations, exactly", async () => {
    expect(Object.keys(truth.prices).length).toBe(3); // ETH, GRT, LPT
    const { mismatches } = await comparePrices(stack.graphqlUrl, truth.prices);
    expect(mismatches, mismatches.slice(0, 40).join("\n")).toEqual([]);
  });

  for (const spec of PROTOCOLS) {
    const protocol = spec.slug;
    it(`${protocol}: every day, every field, exactly`, async () => {
      const t = truth.protocols[protocol] as ProtocolTruth;
      expect(t, `the ground truth has ${protocol}`).toBeDefined();
      const { protocol: traits } = await gql<{ protocol: { feeAssets: { id: string }[] } }>(
        stack.graphqlUrl,
        `{ protocol(id: "${protocol}") { feeAssets { id } } }`,
      );
      expect(traits.feeAssets[0]?.id.toLowerCase()).toBe(t.feeAsset.toLowerCase());
      // every day of every flow, stock, fee (each fee asset at its rate) and count field
      const { mismatches } = await compareDays(stack.graphqlUrl, protocol, t);
      const flows = await collect(
        stack.graphqlUrl,
        "tokenFlowStats_collection",
        `protocol: "${protocol}"`,
        `timestamp ${[...FLOW_FIELDS, ...STOCK_FIELDS].join(" ")}`,
        "day",
      );
      const flowByDay = new Map(flows.map((r) => [dayOf(r.timestamp as string), r]));
      // No bucket outside the simulated days but an empty one: the real L2GraphToken's initializer mints 0 GRT
      // to the governor (a Transfer the subgraph sees at deployment, before the simulated days).
      for (const [d, row] of flowByDay)
        if (!t.daily.some((r) => r.timestamp === d)) {
          const nonZero = [...FLOW_FIELDS, ...STOCK_FIELDS].filter((k) => BigInt(String(row[k] ?? 0)) !== 0n);
          if (d >= (t.daily[0]?.timestamp ?? 0) || nonZero.length > 0)
            mismatches.push(`${protocol}: unexpected day bucket ${d} (${nonZero.join(", ") || "empty"})`);
        }
      expect(mismatches, mismatches.slice(0, 40).join("\n")).toEqual([]);
      // The history must exercise every field the protocol's mappings feed (its spec's `fields`), and fees.
      const sum = (f: string) => t.daily.reduce((a, r) => a + BigInt(String((r as unknown as Row)[f])), 0n);
      const column: Record<string, string | null> = {
        staking: "stakeInflow",
        stakingRewards: null,
        slashing: "slashed",
        operators: null,
      };
      const idle = ["fees", ...spec.fields.map((f) => (f in column ? column[f] : f))]
        .filter((c): c is string => c !== null && c !== undefined)
        .filter((c) => sum(c) === 0n);
      expect(idle, `${protocol}: fields it feeds that its 21 days never moved`).toEqual([]);
    });

    it(`${protocol}: weekly and monthly distinct counts are exact`, async () => {
      const t = truth.protocols[protocol] as ProtocolTruth;
      const { mismatches } = await comparePeriods(stack.graphqlUrl, protocol, t);
      expect(mismatches, mismatches.slice(0, 40).join("\n")).toEqual([]);
    });

    it(`${protocol}: hourly buckets equal the ground truth`, async () => {
      const t = truth.protocols[protocol] as ProtocolTruth;
      const { mismatches } = await compareHours(stack.graphqlUrl, protocol, t);
      expect(mismatches, mismatches.slice(0, 40).join("\n")).toEqual([]);
    });
  }

  it("operators ordered by stake add up to the staked stock (concentration is answerable)", async () => {
    for (const protocol of PROTOCOLS.filter((s) => s.fields.includes("operators")).map((s) => s.slug)) {
      const { protocol: p, operators } = await gql<{
        protocol: { staked: string };
        operators: { totalStake: string }[];
      }>(
        stack.graphqlUrl,
        `query($p: String!) { protocol(id: $p) { staked } operators(first: 1000, where: { protocol: $p }, orderBy: totalStake, orderDirection: desc) { totalStake } }`,
        { p: protocol },
      );
      const total = operators.reduce((a, o) => a + BigInt(o.totalStake), 0n);
      expect(total).toBe(BigInt(p.staked));
      for (let i = 1; i < operators.length; i++)
        expect(BigInt(operators[i - 1]?.totalStake ?? 0) >= BigInt(operators[i]?.totalStake ?? 0)).toBe(true);
      const last = truth.protocols[protocol]?.daily.at(-1);
      expect(p.staked).toBe(last?.staked);
    }
  });

  // Last: it stops the stack.
  it("anvil keeps the states of older blocks in the data folder, and stop removes them", async () => {
    // 21 days are more blocks than anvil keeps in memory: it has written older states to its disk cache,
    // which by default would stay in ~/.foundry/anvil/tmp forever (tens of GB after a few year-long runs).
    const cache = join(dataDir, "anvil", "cache");
    expect(readdirSync(cache).some((d) => d.startsWith("anvil-state-"))).toBe(true);
    stopped = true;
    await stack.stop();
    expect(existsSync(cache)).toBe(false);
    expect(existsSync(join(dataDir, "anvil", "state.json"))).toBe(true); // the chain itself is kept
  });
});
