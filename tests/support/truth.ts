/**
 * Every value a subgraph serves for a simulated history, compared with the simulator's ground truth: per protocol
 * every day of every flow, stock, fee and count field (stocks carried over days without a bucket), every hour of
 * every flow, the weekly and monthly distinct counts, and (main network) every asset's hourly and daily prices.
 * Used by the fault bench (bench/faults.ts) and the fault tests; tests/groundtruth.e2e.test.ts checks the same
 * history in more ways (idle fields, stray buckets).
 */

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { COUNT_FIELDS, FEE_FIELDS, FLOW_FIELDS, PRICE_FIELDS, STOCK_FIELDS } from "../../api/src/fields.js";
import type { GroundTruth, NetworkGroundTruth, ProtocolTruth } from "../../contracts/src/index.js";
import { gql } from "../../stack/src/harness.js";
import { NETWORK_B, SUBGRAPH_NAME, SUBGRAPH_NAME_B } from "../../stack/src/stack.js";

type Row = Record<string, string | number>;

/** Every row of a collection, 1,000 at a time (aggregations by timestamp, period activities by periodStart). */
export async function collect(
  url: string,
  field: string,
  where: string,
  selection: string,
  interval?: string,
): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor = "0";
  const key = interval ? "timestamp" : "periodStart";
  for (;;) {
    const q = `{ page: ${field}(${interval ? `interval: ${interval}, ` : ""}first: 1000, orderBy: ${key}, orderDirection: asc, where: { ${where}, ${key}_gt: "${cursor}" }) { ${selection} } }`;
    const { page } = await gql<{ page: Row[] }>(url, q);
    rows.push(...page);
    if (page.length < 1000) return rows;
    cursor = String(page[page.length - 1]?.[key]);
  }
}

/** An aggregation bucket's timestamp (microseconds) in seconds. */
export const dayOf = (micros: string | number) => Number(BigInt(micros) / 1_000_000n);

/** USD values and counts are summed as they are; amounts of a later fee asset are scaled by its rate. */
const UNSCALED = new Set(["feesUsd", "protocolTaxUsd", "feeEvents"]);

/** A protocol's daily fee buckets of every fee asset, in the first asset's units (as the ground truth books them). */
export async function feeDays(
  url: string,
  protocol: string,
  assets: string[],
  rates: bigint[],
): Promise<Row[]> {
  const perAsset = await Promise.all(
    assets.map((asset) =>
      collect(
        url,
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

export interface TruthCheck {
  /** Values compared (one per protocol × period × field, per asset × period × field for prices). */
  compared: number;
  /** "<what>: expected X, actual Y" for each value that differs. */
  mismatches: string[];
}

/** Every day of every field of one protocol (the daily rows of the ground truth). */
export async function compareDays(url: string, protocol: string, t: ProtocolTruth): Promise<TruthCheck> {
  const out: TruthCheck = { compared: 0, mismatches: [] };
  const flows = await collect(
    url,
    "tokenFlowStats_collection",
    `protocol: "${protocol}"`,
    `timestamp ${[...FLOW_FIELDS, ...STOCK_FIELDS].join(" ")}`,
    "day",
  );
  const { protocol: traits } = await gql<{
    protocol: { feeAssets: { id: string }[]; feeAssetRates: string[] };
  }>(url, `{ protocol(id: "${protocol}") { feeAssets { id } feeAssetRates } }`);
  const fees = await feeDays(
    url,
    protocol,
    traits.feeAssets.map((a) => a.id),
    traits.feeAssetRates.map(BigInt),
  );
  const activity = await collect(
    url,
    "periodActivities",
    `protocol: "${protocol}", period: "DAY"`,
    `periodStart ${COUNT_FIELDS.join(" ")}`,
  );
  const flowByDay = new Map(flows.map((r) => [dayOf(r.timestamp as string), r]));
  const feeByDay = new Map(fees.map((r) => [dayOf(r.timestamp as string), r]));
  const actByDay = new Map(activity.map((r) => [Number(r.periodStart), r]));
  const check = (day: Row, field: string, actual: unknown) => {
    out.compared++;
    const expected = BigInt(String(day[field]));
    if (BigInt(String(actual)) !== expected)
      out.mismatches.push(`${protocol} ${day.date} ${field}: expected ${expected}, actual ${String(actual)}`);
  };
  let prevStocks: Row | null = null;
  let prevFees: Row | null = null;
  for (const d of t.daily) {
    const day = d as unknown as Row;
    const f = flowByDay.get(d.timestamp);
    for (const field of FLOW_FIELDS) check(day, field, f ? f[field] : 0);
    // no bucket: graph-node saw no data point that day, so the stocks are carried forward
    const stocks = f ?? prevStocks;
    for (const field of STOCK_FIELDS) check(day, field, stocks ? stocks[field] : 0);
    if (f) prevStocks = f;
    const fee = feeByDay.get(d.timestamp);
    for (const field of FEE_FIELDS) check(day, field, fee ? fee[field] : 0);
    const cum = fee ?? prevFees;
    check(day, "cumulativeFees", cum ? cum.cumulativeFees : 0);
    if (fee) prevFees = fee;
    const act = actByDay.get(d.timestamp);
    for (const field of COUNT_FIELDS) check(day, field, act ? act[field] : 0);
  }
  return out;
}

/** Every hour of every flow field of one protocol. */
export async function compareHours(url: string, protocol: string, t: ProtocolTruth): Promise<TruthCheck> {
  const out: TruthCheck = { compared: 0, mismatches: [] };
  const hours = await collect(
    url,
    "tokenFlowStats_collection",
    `protocol: "${protocol}"`,
    `timestamp ${FLOW_FIELDS.join(" ")}`,
    "hour",
  );
  const byHour = new Map(hours.map((r) => [dayOf(r.timestamp as string), r]));
  for (const h of t.hourly) {
    const g = byHour.get(h.timestamp);
    for (const field of FLOW_FIELDS) {
      out.compared++;
      const expected = BigInt(String((h as unknown as Row)[field]));
      const actual = g ? BigInt(String(g[field])) : 0n;
      if (expected !== actual)
        out.mismatches.push(
          `${protocol} hour ${h.date} ${h.timestamp} ${field}: expected ${expected}, actual ${actual}`,
        );
    }
  }
  return out;
}

/** The weekly and monthly distinct counts of one protocol. */
export async function comparePeriods(url: string, protocol: string, t: ProtocolTruth): Promise<TruthCheck> {
  const out: TruthCheck = { compared: 0, mismatches: [] };
  for (const [period, rows] of [
    ["WEEK", t.weekly],
    ["MONTH", t.monthly],
  ] as const) {
    const got = await collect(
      url,
      "periodActivities",
      `protocol: "${protocol}", period: "${period}"`,
      `periodStart ${COUNT_FIELDS.join(" ")}`,
    );
    const byStart = new Map(got.map((r) => [Number(r.periodStart), r]));
    for (const row of rows) {
      const g = byStart.get(row.timestamp);
      for (const field of COUNT_FIELDS) {
        out.compared++;
        const actual = Number(g?.[field] ?? 0);
        if (actual !== row[field])
          out.mismatches.push(
            `${protocol} ${period} ${row.date} ${field}: expected ${row[field]}, actual ${actual}`,
          );
      }
    }
  }
  return out;
}

/** Every asset's hourly and daily close, low, high and observations (and no bucket missing). */
export async function comparePrices(url: string, prices: GroundTruth["prices"]): Promise<TruthCheck> {
  const out: TruthCheck = { compared: 0, mismatches: [] };
  for (const [asset, t] of Object.entries(prices)) {
    for (const [interval, rows] of [
      ["hour", t.hourly],
      ["day", t.daily],
    ] as const) {
      const got = await collect(
        url,
        "priceStats_collection",
        `asset: "${asset}"`,
        `timestamp ${PRICE_FIELDS.join(" ")}`,
        interval,
      );
      const byTs = new Map(got.map((r) => [dayOf(r.timestamp as string), r]));
      for (const row of rows) {
        const g = byTs.get(row.timestamp);
        for (const f of PRICE_FIELDS) {
          out.compared++;
          const expected = String((row as unknown as Row)[f]);
          if (!g || String(g[f]) !== expected)
            out.mismatches.push(
              `${t.name} ${interval} ${row.date} ${f}: expected ${expected}, actual ${g?.[f]}`,
            );
        }
      }
    }
  }
  return out;
}

/** Every value listed in the module comment, for one network's subgraph and its ground truth. */
export async function compareWithTruth(
  url: string,
  truth: GroundTruth | NetworkGroundTruth,
): Promise<TruthCheck> {
  const parts: TruthCheck[] = [];
  for (const [protocol, t] of Object.entries(truth.protocols)) {
    parts.push(await compareDays(url, protocol, t));
    parts.push(await compareHours(url, protocol, t));
    parts.push(await comparePeriods(url, protocol, t));
  }
  if (truth.prices && Object.keys(truth.prices).length > 0)
    parts.push(await comparePrices(url, truth.prices));
  return {
    compared: parts.reduce((a, p) => a + p.compared, 0),
    mismatches: parts.flatMap((p) => p.mismatches),
  };
}

/**
 * Every value of a stack's subgraphs (the main network's, and the second network's when its ground truth exists)
 * against the ground truths in its data folder.
 */
export async function compareDataFolder(
  dataDir: string,
  ports: { graphHttp: number; graph2Http: number },
): Promise<TruthCheck> {
  const main = JSON.parse(readFileSync(join(dataDir, "ground-truth.json"), "utf8")) as GroundTruth;
  const a = await compareWithTruth(
    `http://127.0.0.1:${ports.graphHttp}/subgraphs/name/${SUBGRAPH_NAME}`,
    main,
  );
  const pathB = join(dataDir, `ground-truth.${NETWORK_B}.json`);
  if (!existsSync(pathB)) return a;
  const second = JSON.parse(readFileSync(pathB, "utf8")) as NetworkGroundTruth;
  const b = await compareWithTruth(
    `http://127.0.0.1:${ports.graph2Http}/subgraphs/name/${SUBGRAPH_NAME_B}`,
    second,
  );
  return { compared: a.compared + b.compared, mismatches: [...a.mismatches, ...b.mismatches] };
}
