/**
 * Dense buckets of one protocol over a window: its hourly or daily token and fee buckets read at the request's
 * block (days without data filled: flows 0, stocks carried), the exact distinct counts of each period, the price
 * buckets when a metric needs prices, and the start of its first data. A protocol on several networks is read
 * per network and merged (merge.ts).
 */
import type { RequestContext } from "../core/context.js";
import type { ProtocolRef } from "../core/protocols.js";
import { FEE_FIELDS, FLOW_FIELDS, STOCK_FIELDS } from "../fields.js";
import type { Row } from "../upstream/loaders.js";
import { firstDataNeeds, firstDataStart } from "./firstData.js";
import { canonicalIndex, mergeDense, supplyCounted } from "./merge.js";
import type { PriceSeries } from "./prices.js";
import {
  type Bucket,
  baseInterval,
  bucketSeconds,
  DAY,
  type DenseBucket,
  type Fees,
  gapFill,
  HOUR,
  type Interval,
  mergeFeeAssets,
  nextPeriod,
  periodStart,
  type Stocks,
} from "./rollup.js";

export interface DenseData {
  dense: DenseBucket[];
  step: number;
  /** Period starts in range and the nominal end of the last one. */
  start: number;
  nominalEnd: number;
  activity: Map<number, { payers: bigint; newPayers: bigint; activeStakers: bigint }> | null;
  /** Start of the protocol's first bucket: periods wholly before it are unknown (firstData.ts). */
  first: number | null;
  /** Price buckets (start, close) of the token and the fee asset, oldest first, with the last one before the range. */
  prices?: { token: PriceSeries; feeAsset: PriceSeries };
}

/** A graph-node number (BigInt or Int8 as text; absent as 0). */
export const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(String(v)));

function pick<K extends string>(r: Row, keys: readonly K[]): Record<K, bigint> {
  const out = {} as Record<K, bigint>;
  for (const k of keys) out[k] = big(r[k]);
  return out;
}

export function parseTokenBucket(r: Row): Bucket {
  return {
    start: bucketSeconds(r.timestamp),
    flows: pick(r, FLOW_FIELDS),
    stocks: pick(r, STOCK_FIELDS) as Stocks,
  };
}

export function parseFeeBucket(r: Row): [number, Fees] {
  return [bucketSeconds(r.timestamp), pick(r, FEE_FIELDS) as Fees];
}

/** Loads the dense buckets (and exact period counts) of one protocol over [from, to) for an interval. */
export async function loadDense(
  ctx: RequestContext,
  ref: ProtocolRef,
  sources: ReadonlySet<string>,
  interval: Interval,
  from: number,
  to: number,
): Promise<DenseData> {
  const base = baseInterval(interval);
  const step = base === "HOUR" ? HOUR : DAY;
  const agg = base === "HOUR" ? "hour" : "day";
  const start = periodStart(from, interval);
  const nominalEnd = nextPeriod(periodStart(to - 1, interval), interval);
  // The bucket containing the snapshot block is still open: graph-node has not written it yet.
  const closedUntil = periodStart(ref.snapshot.block.timestamp, base);
  const dataEnd = Math.min(nominalEnd, closedUntil);
  if (ref.parts) {
    const parts = await Promise.all(
      ref.parts.map((part) => loadDense(ctx, part, sources, interval, from, to)),
    );
    return mergeDense(parts, canonicalIndex(ref.parts), supplyCounted(ref.parts));
  }
  if (dataEnd <= start) return { dense: [], step, start, nominalEnd, activity: null, first: null };
  const p = ref.protocol.id;
  const wantToken = sources.has("token");
  const wantFee = sources.has("fee");
  const wantActivity = sources.has("activity") && interval !== "HOUR";
  const wantPrice = sources.has("price");
  // started now, so its reads join the same upstream request as the token and fee buckets (one DataLoader tick)
  const pricesLoad = wantPrice ? loadPrices(ctx, ref, agg, step, start, dataEnd) : undefined;
  // awaited below; when the reads below fail first, its own failure must not become an unhandled rejection
  pricesLoad?.catch(() => {});
  const feeAssets = ref.traits.feeAssets.map((a) => a.address);
  const [firstRows, tokenRows, prevRows, feeRowsByAsset, activityRows] = await Promise.all([
    Promise.all(firstDataNeeds(p, agg, feeAssets).map((n) => ctx.load(ref, n))),
    wantToken
      ? ctx.load(ref, { kind: "tokenFlows", protocol: p, interval: agg, from: start, to: dataEnd })
      : [],
    wantToken ? ctx.load(ref, { kind: "tokenPrev", protocol: p, interval: agg, before: start }) : [],
    // one read per fee asset (each asset's FeeFlowStats are apart), merged into the first asset's units
    Promise.all(
      (wantFee ? ref.traits.feeAssets : []).map((a) =>
        ctx.load(ref, {
          kind: "feeFlows",
          protocol: p,
          interval: agg,
          asset: a.address,
          from: start,
          to: dataEnd,
        }),
      ),
    ),
    wantActivity
      ? ctx.load(ref, {
          kind: "activity",
          protocol: p,
          period: interval as "DAY" | "WEEK" | "MONTH",
          from: start,
          to: nominalEnd,
        })
      : [],
  ]);
  const buckets = tokenRows.map(parseTokenBucket);
  const prev = prevRows[0] ? parseTokenBucket(prevRows[0]).stocks : null;
  const fees = mergeFeeAssets(
    feeRowsByAsset.map((rows) => rows.map(parseFeeBucket)),
    ref.traits.feeAssets.map((a) => a.rate),
  );
  const dense = gapFill(buckets, fees, start, dataEnd, step, prev);
  const prices = await pricesLoad;
  const activity = wantActivity
    ? new Map(
        activityRows.map((r) => [
          Number(r.periodStart),
          { payers: big(r.payers), newPayers: big(r.newPayers), activeStakers: big(r.activeStakers) },
        ]),
      )
    : null;
  return { dense, step, start, nominalEnd, activity, first: firstDataStart(firstRows), prices };
}

/** The token's and the fee asset's price buckets over [from, to) and the last one before. */
async function loadPrices(
  ctx: RequestContext,
  ref: ProtocolRef,
  agg: "hour" | "day",
  step: number,
  from: number,
  to: number,
): Promise<{ token: PriceSeries; feeAsset: PriceSeries }> {
  const token = ref.protocol.token.address.toLowerCase();
  const fee = ref.traits.feeAsset.address.toLowerCase();
  const assets = [...new Set([token, fee])];
  const [info, ...rows] = await Promise.all([
    ctx.load(ref, { kind: "assetPrices", assets }),
    ...assets.flatMap((asset) => [
      ctx.load(ref, { kind: "pricePrev", asset, interval: agg, before: from }),
      ctx.load(ref, { kind: "prices", asset, interval: agg, from, to }),
    ]),
  ]);
  const series = (asset: string): PriceSeries => {
    const i = assets.indexOf(asset);
    const a = info.find((r) => String(r.id).toLowerCase() === asset);
    return {
      rows: [...(rows[2 * i] ?? []), ...(rows[2 * i + 1] ?? [])].map((r) => ({
        start: bucketSeconds(r.timestamp),
        close: big(r.close),
      })),
      bucketSeconds: step,
      maxAge: a ? Number(a.maxAge) : 0,
      source: a ? String(a.sourceName) : "none",
    };
  };
  return { token: series(token), feeAsset: series(fee) };
}
