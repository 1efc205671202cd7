/**
 * Period arithmetic (UTC hours, days, ISO weeks starting Monday, calendar months), gap filling of
 * graph-node buckets (days without data still appear: flows 0, stocks carried forward) and roll-ups of
 * dense buckets into periods. Pure functions on bigint.
 */

import {
  FEE_FIELDS,
  type FeeField,
  FLOW_FIELDS,
  type FlowField,
  STOCK_FIELDS,
  type StockField,
} from "../fields.js";

export type Interval = "HOUR" | "DAY" | "WEEK" | "MONTH";

export const HOUR = 3600;
export const DAY = 86_400;

export type Flows = Record<FlowField, bigint>;
export type Stocks = Record<StockField, bigint>;
export type Fees = Record<FeeField, bigint>;

export const zeroFlows = (): Flows => Object.fromEntries(FLOW_FIELDS.map((f) => [f, 0n])) as Flows;
export const zeroStocks = (): Stocks => Object.fromEntries(STOCK_FIELDS.map((f) => [f, 0n])) as Stocks;
export const zeroFees = (): Fees => Object.fromEntries(FEE_FIELDS.map((f) => [f, 0n])) as Fees;
/** Shared read-only zeros for empty buckets (never mutated: sums go into fresh accumulators). */
const ZERO_FLOWS: Readonly<Flows> = Object.freeze(zeroFlows());
/** USD values and counts are not scaled by a fee asset's rate; every other fee field is an amount of the asset. */
const UNSCALED: ReadonlySet<string> = new Set(["feesUsd", "protocolTaxUsd", "feeEvents"]);

/**
 * Fee buckets of several fee assets as one series in the first asset's raw units: each asset's amounts times its
 * exact rate (raw units of the first asset per raw unit), USD values and counts summed as they are.
 */
export function mergeFeeAssets(perAsset: [number, Fees][][], rates: bigint[]): Map<number, Fees> {
  if (perAsset.length === 1 && (rates[0] ?? 1n) === 1n) return new Map(perAsset[0]);
  const out = new Map<number, Fees>();
  perAsset.forEach((rows, i) => {
    const rate = rates[i] ?? 1n;
    for (const [ts, f] of rows) {
      const acc = out.get(ts) ?? zeroFees();
      for (const k of FEE_FIELDS) acc[k] += UNSCALED.has(k) ? f[k] : f[k] * rate;
      out.set(ts, acc);
    }
  });
  return out;
}

const ZERO_FEES: Readonly<Fees> = Object.freeze(zeroFees());

/** graph-node bucket timestamps are microseconds; accept seconds or milliseconds too. */
export function bucketSeconds(v: unknown): number {
  const n = BigInt(String(v));
  if (n >= 100_000_000_000_000n) return Number(n / 1_000_000n);
  if (n >= 100_000_000_000n) return Number(n / 1000n);
  return Number(n);
}

/** Start (seconds) of the period containing ts. */
export function periodStart(ts: number, interval: Interval): number {
  switch (interval) {
    case "HOUR":
      return Math.floor(ts / HOUR) * HOUR;
    case "DAY":
      return Math.floor(ts / DAY) * DAY;
    case "WEEK": {
      const day = Math.floor(ts / DAY);
      // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
      const weekday = (((day + 3) % 7) + 7) % 7;
      return (day - weekday) * DAY;
    }
    case "MONTH": {
      const d = new Date(ts * 1000);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
    }
  }
}

/** Start of the period after the one starting at start. */
export function nextPeriod(start: number, interval: Interval): number {
  switch (interval) {
    case "HOUR":
      return start + HOUR;
    case "DAY":
      return start + DAY;
    case "WEEK":
      return start + 7 * DAY;
    case "MONTH": {
      const d = new Date(start * 1000);
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 1000;
    }
  }
}

/** The graph-node bucket size a period is built from. */
export const baseInterval = (interval: Interval): "HOUR" | "DAY" => (interval === "HOUR" ? "HOUR" : "DAY");

/** ISO-8601 label: date for DAY/WEEK/MONTH, full timestamp for HOUR. */
export function isoLabel(ts: number, interval: Interval): string {
  const iso = new Date(ts * 1000).toISOString();
  return interval === "HOUR" ? iso.replace(".000Z", "Z") : iso.slice(0, 10);
}

/** One graph-node bucket, parsed. */
export interface Bucket {
  start: number;
  flows: Flows;
  /** Stocks at the end of the bucket. */
  stocks: Stocks;
}

/** One bucket of a dense (gap-filled) sequence. */
export interface DenseBucket extends Bucket {
  /** Stocks at the start of the bucket (end of the previous one). */
  stocksStart: Stocks;
  fees: Fees;
}

/**
 * Every bucket start in [from, to) by step, in order. Missing buckets get zero flows and the stocks of the
 * bucket before (or `prev`, the last bucket before `from`, or zero).
 */
export function gapFill(
  buckets: readonly Bucket[],
  fees: ReadonlyMap<number, Fees>,
  from: number,
  to: number,
  step: number,
  prev: Stocks | null,
): DenseBucket[] {
  const byStart = new Map(buckets.map((b) => [b.start, b]));
  const out: DenseBucket[] = [];
  let carry = prev ?? zeroStocks();
  for (let t = from; t < to; t += step) {
    const b = byStart.get(t);
    const stocks = b ? b.stocks : carry;
    out.push({
      start: t,
      flows: b ? b.flows : ZERO_FLOWS,
      stocks,
      stocksStart: carry,
      fees: fees.get(t) ?? ZERO_FEES,
    });
    carry = stocks;
  }
  return out;
}

/** An asset's USD price at the end of a period: the close of the last price bucket that began before it. */
export interface PriceAt {
  /** USD per unit, 18 decimals. */
  usd: bigint;
  /** Start (seconds) and length of the bucket whose close it is. */
  bucketStart: number;
  bucketSeconds: number;
  /** Older than the source's maxAgeSeconds at the period's end: not usable. */
  stale: boolean;
  source: string;
}

/** A period built from consecutive dense buckets. */
export interface Period {
  start: number;
  /** End of the data in the period (exclusive); < nominalEnd when the period is not complete yet. */
  end: number;
  nominalEnd: number;
  partial: boolean;
  flows: Flows;
  fees: Fees;
  stocksStart: Stocks;
  stocksEnd: Stocks;
  /** Stocks at the start and at the end of every bucket: the points of the trapezoid average. */
  stockPoints: Stocks[];
  /** Exact distinct counts of the period (PeriodActivity), null where no exact source exists. */
  activity: { payers: bigint; newPayers: bigint; activeStakers: bigint } | null;
  /** The token's and the fee asset's price at the end (only when a metric needs prices). */
  prices?: { token: PriceAt | null; feeAsset: PriceAt | null };
}

function addInto<T extends Record<string, bigint>>(acc: T, x: T): void {
  for (const k of Object.keys(x) as (keyof T)[])
    acc[k] = ((acc[k] as bigint) + (x[k] as bigint)) as T[keyof T];
}

/** Builds one period from dense buckets (non-empty, consecutive). */
export function toPeriod(
  dense: readonly DenseBucket[],
  start: number,
  nominalEnd: number,
  step: number,
): Period {
  const first = dense[0];
  const last = dense[dense.length - 1];
  if (!first || !last) throw new Error("empty period");
  const end = last.start + step;
  if (dense.length === 1) {
    // One bucket (every DAY period, every HOUR period): its sums are the bucket's own, shared read-only.
    return {
      start,
      end,
      nominalEnd,
      partial: end < nominalEnd,
      flows: first.flows,
      fees: first.fees,
      stocksStart: first.stocksStart,
      stocksEnd: first.stocks,
      stockPoints: [first.stocksStart, first.stocks],
      activity: null,
    };
  }
  const flows = zeroFlows();
  const fees = zeroFees();
  const stockPoints: Stocks[] = [first.stocksStart];
  for (const d of dense) {
    addInto(flows, d.flows);
    addInto(fees, d.fees);
    stockPoints.push(d.stocks);
  }
  return {
    start,
    end,
    nominalEnd,
    partial: end < nominalEnd,
    flows,
    fees,
    stocksStart: first.stocksStart,
    stocksEnd: last.stocks,
    stockPoints,
    activity: null,
  };
}

/**
 * Groups dense buckets (hour or day) into periods of the interval: flows summed, stocks at the end of the
 * last bucket, start stocks from the bucket before.
 */
export function rollup(dense: readonly DenseBucket[], interval: Interval, step: number): Period[] {
  const groups = new Map<number, DenseBucket[]>();
  for (const d of dense) {
    const p = periodStart(d.start, interval);
    let g = groups.get(p);
    if (!g) {
      g = [];
      groups.set(p, g);
    }
    g.push(d);
  }
  return [...groups.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, g]) => toPeriod(g, start, nextPeriod(start, interval), step));
}
