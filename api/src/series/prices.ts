/**
 * Prices of a period: the USD price of the token and of the fee asset at the end of each period, from the
 * subgraph's price buckets (PriceStats close), stale past the price source's maxAge.
 */
import type { Period, PriceAt } from "./rollup.js";

/** One asset's price buckets and what the subgraph says about its source (AssetPrice). */
export interface PriceSeries {
  rows: { start: number; close: bigint }[];
  bucketSeconds: number;
  maxAge: number;
  source: string;
}

/** The price at the end of a period: the last bucket that began before `end`, stale past maxAge. */
export function priceAt(s: PriceSeries | undefined, end: number): PriceAt | null {
  if (!s) return null;
  let lo = 0;
  let hi = s.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((s.rows[mid] as { start: number }).start < end) lo = mid + 1;
    else hi = mid;
  }
  const row = s.rows[lo - 1];
  if (!row) return null;
  const stale = end - (row.start + s.bucketSeconds) > s.maxAge;
  return { usd: row.close, bucketStart: row.start, bucketSeconds: s.bucketSeconds, stale, source: s.source };
}

/** Sets a period's token and fee-asset prices at its end (when the data carries prices). */
export function attachPrices(
  p: Period,
  prices: { token: PriceSeries; feeAsset: PriceSeries } | undefined,
): void {
  if (!prices) return;
  p.prices = { token: priceAt(prices.token, p.end), feeAsset: priceAt(prices.feeAsset, p.end) };
}
