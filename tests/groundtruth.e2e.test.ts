/**
 * End-to-end: the simulator writes a 21-day history of every registered protocol (Horizon switch, slashes, the
 * AGIX to FET migration, bridge moves) on anvil, graph-node indexes it with our subgraph, and every day of every
 * aggregation and stock must equal the simulator's own ledger.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COUNT_FIELDS, FEE_FIELDS, FLOW_FIELDS, PRICE_FIELDS, STOCK_FIELDS } from "../api/src/fields.js";
import type { DayRow, GroundTruth, ProtocolTruth } from "../contracts/src/index.js";
import { gql, startStack, type TestStack } from "../stack/src/harness.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { PROTOCOLS } from "../subgraph/scripts/datasources.js";

type Row = Record<string, string | number>;

let stack: TestStack;
let truth: GroundTruth;
let stopped = false;
// Our own data folder (not the harness's temporary one) so that the last test can look into it after stop.
const dataDir = mkdtempSync(join(tmpdir(), "aitok-groundtruth-"));

async function collect(
  url: string,
  field: string,
  where: string,
  selection: string,
  interval?: string,
): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor = interval ? "0" : "0";
  for (;;) {
    const key = interval ? "timestamp_gt" : "periodStart_gt";
    const q = `{ page: ${field}(${interval ? `interval: ${interval}, ` : ""}first: 1000, orderBy: ${interval ? "timestamp" : "periodStart"}, orderDirection: asc, where: { ${where}, ${key}: "${cursor}" }) { ${selection} } }`;
    const { page } = await gql<{ page: Row[] }>(url, q);
    rows.push(...page);
    if (page.length < 1000) return rows;
    cursor = String(page[page.length - 1]?.[interval ? "timestamp" : "periodStart"]);
  }
}

const dayOf = (micros: string | number) => Number(BigInt(micros) / 1_000_000n);

/** USD values and counts are summed as they are; amounts of a later fee asset are scaled by its rate. */
const UNSCALED = new Set(["feesUsd", "protocolTaxUsd", "feeEvents"]);

/**
 * A protocol's daily fee buckets of every fee asset, in the first asset's units (as the ground truth books them):
 * amounts × the asset's exact rate, cumulativeFees carried per asset.
 */
async function feeDays(protocol: string, assets: string[], rates: bigint[]): Promise<Row[]> {
  const perAsset = await Promise.all(
    assets.map((asset) =>
      collect(
        stack.graphqlUrl,
        "feeFlowStats_collection",
        `protocol: "${protocol}", asset: "${asset.toLowerCase()}"`,
        `timestamp ${FEE_FIELDS.join(" ")} cumulativeFees`,
        "day",
      ),
    ),
  );
  const days = [...new Set(perAsset.flat().map((r) => String(r.timestamp)))].sort((a, b) =>
    BigInt(a) < BigInt(b) ? -1 : 1,
  );
  const lastCum = assets.map(() => 0n);
  return days.map((ts) => {
    const row: Row = { timestamp: ts };
    let cum = 0n;
    perAsset.forEach((rows, i) => {
      const rate = rates[i] ?? 1n;
      const r = rows.find((x) => String(x.timestamp) === ts);
      for (const k of FEE_FIELDS) {
        const v = r ? BigInt(String(r[k])) : 0n;
        row[k] = String(BigInt(String(row[k] ?? 0)) + (UNSCALED.has(k) ? v : v * rate));
      }
      if (r) lastCum[i] = BigInt(String(r.cumulativeFees)) * rate;
      cum += lastCum[i] ?? 0n;
    });
    row.cumulativeFees = String(cum);
    return row;
  });
}

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
    const mismatches: string[] = [];
    const assets = Object.keys(truth.prices);
    expect(assets.length).toBe(3); // ETH, GRT, LPT
    for (const asset of assets) {
      const t = truth.prices[asset] as GroundTruth["prices"][string];
      for (const [interval, rows] of [
        ["hour", t.hourly],
        ["day", t.daily],
      ] as const) {
        const got = await collect(
          stack.graphqlUrl,
          "priceStats_collection",
          `asset: "${asset}"`,
          `timestamp ${PRICE_FIELDS.join(" ")}`,
          interval,
        );
        const byTs = new Map(got.map((r) => [dayOf(r.timestamp as string), r]));
        for (const row of rows) {
          const g = byTs.get(row.timestamp);
          if (!g) {
            mismatches.push(`${t.name} ${interval} ${row.date}: no bucket`);
            continue;
          }
          for (const f of PRICE_FIELDS)
            if (String(g[f]) !== String((row as unknown as Row)[f]))
              mismatches.push(
                `${t.name} ${interval} ${row.date} ${f}: expected ${(row as unknown as Row)[f]}, actual ${g[f]}`,
              );
        }
        if (got.length !== rows.length)
          mismatches.push(`${t.name} ${interval}: ${got.length} buckets, expected ${rows.length}`);
      }
    }
    expect(mismatches, mismatches.slice(0, 40).join("\n")).toEqual([]);
  });

  for (const spec of PROTOCOLS) {
    const protocol = spec.slug;
    it(`${protocol}: every day, every field, exactly`, async () => {
      const t = truth.protocols[protocol] as ProtocolTruth;
      expect(t, `the ground truth has ${protocol}`).toBeDefined();
      const flows = await collect(
        stack.graphqlUrl,
        "tokenFlowStats_collection",
        `protocol: "${protocol}"`,
        `timestamp ${[...FLOW_FIELDS, ...STOCK_FIELDS].join(" ")}`,
        "day",
      );
      // every fee asset's buckets in the first asset's units at its rate (the ground truth converts as it books)
      const { protocol: traits } = await gql<{
        protocol: { feeAssets: { id: string }[]; feeAssetRates: string[] };
      }>(stack.graphqlUrl, `{ protocol(id: "${protocol}") { feeAssets { id } feeAssetRates } }`);
      expect(traits.feeAssets[0]?.id.toLowerCase()).toBe(t.feeAsset.toLowerCase());
      const fees = await feeDays(
        protocol,
        traits.feeAssets.map((a) => a.id),
        traits.feeAssetRates.map(BigInt),
      );
      const activity = await collect(
        stack.graphqlUrl,
        "periodActivities",
        `protocol: "${protocol}", period: "DAY"`,
        `periodStart ${COUNT_FIELDS.join(" ")}`,
      );
      const flowByDay = new Map(flows.map((r) => [dayOf(r.timestamp as string), r]));
      const feeByDay = new Map(fees.map((r) => [dayOf(r.timestamp as string), r]));
      const actByDay = new Map(activity.map((r) => [Number(r.periodStart), r]));

      const mismatches: string[] = [];
      const check = (day: DayRow, field: string, actual: unknown) => {
        const expected = BigInt(String((day as unknown as Row)[field]));
        if (BigInt(String(actual)) !== expected)
          mismatches.push(`${protocol} ${day.date} ${field}: expected ${expected}, actual ${String(actual)}`);
      };
      let prevStocks: Row | null = null;
      let prevFees: Row | null = null;
      for (const day of t.daily) {
        const f = flowByDay.get(day.timestamp);
        for (const field of FLOW_FIELDS) check(day, field, f ? f[field] : 0);
        // No bucket: graph-node saw no data point that day, so the stocks are carried forward.
        const stocks = f ?? prevStocks;
        for (const field of STOCK_FIELDS) check(day, field, stocks ? stocks[field] : 0);
        if (f) prevStocks = f;
        const fee = feeByDay.get(day.timestamp);
        for (const field of FEE_FIELDS) check(day, field, fee ? fee[field] : 0);
        const cum = fee ?? prevFees;
        check(day, "cumulativeFees", cum ? cum.cumulativeFees : 0);
        if (fee) prevFees = fee;
        const act = actByDay.get(day.timestamp);
        for (const field of COUNT_FIELDS) check(day, field, act ? act[field] : 0);
      }
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
      for (const [period, rows] of [
        ["WEEK", t.weekly],
        ["MONTH", t.monthly],
      ] as const) {
        const got = await collect(
          stack.graphqlUrl,
          "periodActivities",
          `protocol: "${protocol}", period: "${period}"`,
          `periodStart ${COUNT_FIELDS.join(" ")}`,
        );
        const byStart = new Map(got.map((r) => [Number(r.periodStart), r]));
        for (const row of rows) {
          const g = byStart.get(row.timestamp);
          for (const field of COUNT_FIELDS)
            expect(Number(g?.[field] ?? 0), `${protocol} ${period} ${row.date} ${field}`).toBe(row[field]);
        }
      }
    });

    it(`${protocol}: hourly buckets equal the ground truth`, async () => {
      const t = truth.protocols[protocol] as ProtocolTruth;
      const hours = await collect(
        stack.graphqlUrl,
        "tokenFlowStats_collection",
        `protocol: "${protocol}"`,
        `timestamp ${FLOW_FIELDS.join(" ")}`,
        "hour",
      );
      const byHour = new Map(hours.map((r) => [dayOf(r.timestamp as string), r]));
      const mismatches: string[] = [];
      for (const h of t.hourly) {
        const g = byHour.get(h.timestamp);
        for (const field of FLOW_FIELDS) {
          const expected = BigInt(String((h as unknown as Row)[field]));
          const actual = g ? BigInt(String(g[field])) : 0n;
          if (expected !== actual)
            mismatches.push(
              `${protocol} hour ${h.date} ${h.timestamp} ${field}: expected ${expected}, actual ${actual}`,
            );
        }
      }
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
