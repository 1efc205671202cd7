/**
 * The metric formulas of docs/metrics.md as pure functions. Amounts are bigint (smallest units, exact);
 * ratios and rates are numbers; a value that is undefined (zero denominator, not applicable) is null.
 */

export const YEAR_SECONDS = 365 * 86_400;

/** a / b as a number, exact to double precision even for 1e30-sized operands; null when b = 0. */
export function ratio(a: bigint, b: bigint): number | null {
  if (b === 0n) return null;
  // Scale to keep 18 significant digits through integer division, then one float division.
  const SCALE = 10n ** 18n;
  const q = (a * SCALE) / b;
  const r = (a * SCALE) % b;
  return (Number(q) + Number(r) / Number(b)) / 1e18;
}

/** Annualisation factor 365d / (t1 − t0). */
export function annualFactor(seconds: number): number {
  if (!(seconds > 0)) throw new Error("period length must be positive");
  return YEAR_SECONDS / seconds;
}

export const netEmission = (grossEmission: bigint, burned: bigint): bigint => grossEmission - burned;
export const netSupplyChange = (minted: bigint, burned: bigint): bigint => minted - burned;

/** burned − (fee tax + curation tax + slashing + bridge + migration): the burns without a known cause. */
export const burnedOther = (
  burned: bigint,
  feeTax: bigint,
  curationTax: bigint,
  slashing: bigint,
  bridge: bigint,
  migration: bigint,
): bigint => burned - feeTax - curationTax - slashing - bridge - migration;

/**
 * tokenIncentives = grossEmission + distributedIncentives. No overlap by definition: grossEmission counts tokens
 * minted as rewards, distributedIncentives rewards paid from pools funded with tokens that already existed
 * (a pool refilled by this protocol's own emission is counted at the mint, never again when it pays out).
 */
export const tokenIncentives = (grossEmission: bigint, distributedIncentives: bigint): bigint =>
  grossEmission + distributedIncentives;

/** Burns that are sinks: burned − bridge burns − migration burns (those tokens live on elsewhere). */
export const sinkBurns = (burned: bigint, bridge: bigint, migration: bigint): bigint =>
  burned - bridge - migration;

/** Supply change by issuance and sinks: (minted − bridge and migration mints) − sink burns. */
export const issuanceChange = (
  minted: bigint,
  mintedBridge: bigint,
  mintedMigration: bigint,
  burned: bigint,
  burnedBridge: bigint,
  burnedMigration: bigint,
): bigint => minted - mintedBridge - mintedMigration - sinkBurns(burned, burnedBridge, burnedMigration);

/** inflationRate = issuanceChange / totalSupply(t0) × 365d/(t1−t0). */
export function inflationRate(netChange: bigint, supplyAtStart: bigint, seconds: number): number | null {
  const r = ratio(netChange, supplyAtStart);
  return r === null ? null : r * annualFactor(seconds);
}

/** emissionRate = grossEmission / totalSupply(t0) × 365d/(t1−t0). */
export function emissionRate(grossEmission: bigint, supplyAtStart: bigint, seconds: number): number | null {
  const r = ratio(grossEmission, supplyAtStart);
  return r === null ? null : r * annualFactor(seconds);
}

/** sinkToEmission = burned / grossEmission; null when there was no emission. */
export const sinkToEmission = (burned: bigint, grossEmission: bigint): number | null =>
  ratio(burned, grossEmission);

/** feePerPayer = fees / payers in smallest units, rounded down; null without payers. */
export function feePerPayer(fees: bigint, payers: bigint): bigint | null {
  return payers === 0n ? null : fees / payers;
}

/** incentiveCoverage = fees / tokenIncentives when both are in the same asset; else null (unpriced). */
export function incentiveCoverage(fees: bigint, incentives: bigint, sameAsset: boolean): number | null {
  return sameAsset ? ratio(fees, incentives) : null;
}

/** earnings = revenue − tokenIncentives when both are in the same asset; else null (also without revenue). */
export function earnings(revenue: bigint | null, incentives: bigint, sameAsset: boolean): bigint | null {
  return sameAsset && revenue !== null ? revenue - incentives : null;
}

/**
 * A USD flow as the subgraph summed it (18 decimals, each event valued with its asset's price set before it),
 * or null when part of the flow had no usable price (`unpriced` > 0): never a partial sum, never 0 for unknown.
 */
export const pricedUsd = (usd: bigint, unpriced: bigint): bigint | null => (unpriced === 0n ? usd : null);

/** earningsUsd = revenueUsd − tokenIncentivesUsd; null when either has no price. */
export const earningsUsd = (revenueUsd: bigint | null, incentivesUsd: bigint | null): bigint | null =>
  revenueUsd === null || incentivesUsd === null ? null : revenueUsd - incentivesUsd;

/** incentiveCoverage in USD = feesUsd / tokenIncentivesUsd; null when either has no price or nothing was emitted. */
export const incentiveCoverageUsd = (feesUsd: bigint | null, incentivesUsd: bigint | null): number | null =>
  feesUsd === null || incentivesUsd === null ? null : ratio(feesUsd, incentivesUsd);

/** Price-to-X = marketCap / (flow × 365 d / period length); null without a market cap or a flow. */
export function priceTo(marketCap: bigint | null, flowUsd: bigint | null, seconds: number): number | null {
  if (marketCap === null || flowUsd === null) return null;
  const r = ratio(marketCap, flowUsd);
  return r === null ? null : r / annualFactor(seconds);
}

/** stakingRatio = staked / totalSupply, both at t1. */
export const stakingRatio = (staked: bigint, totalSupply: bigint): number | null =>
  ratio(staked, totalSupply);

/**
 * Time-weighted average of a stock given its value at the start and at the end of each of n equal
 * buckets (trapezoid rule), as an exact fraction [numerator, denominator].
 */
export function trapezoidMean(points: readonly bigint[]): [bigint, bigint] {
  if (points.length < 2) throw new Error("need at least the start and one end point");
  let twice = 0n;
  points.forEach((p, i) => {
    twice += i === 0 || i === points.length - 1 ? p : 2n * p;
  });
  return [twice, 2n * BigInt(points.length - 1)];
}

/** flow / average stock × 365d/(t1−t0), the average being the trapezoid mean of the points. */
export function perAverageStock(
  flow: bigint,
  stockPoints: readonly bigint[],
  seconds: number,
): number | null {
  const [num, den] = trapezoidMean(stockPoints);
  const r = ratio(flow * den, num);
  return r === null ? null : r * annualFactor(seconds);
}

/** rewardYield = grossEmission / average staked × 365d/(t1−t0). */
export const rewardYield = (grossEmission: bigint, stakedPoints: readonly bigint[], seconds: number) =>
  perAverageStock(grossEmission, stakedPoints, seconds);

/** velocity = transferVolume / average totalSupply × 365d/(t1−t0). */
export const velocity = (transferVolume: bigint, supplyPoints: readonly bigint[], seconds: number) =>
  perAverageStock(transferVolume, supplyPoints, seconds);

/** realYield = (1 + rewardYield) / (1 + inflationRate) − 1. */
export function realYield(rewardYieldValue: number | null, inflation: number | null): number | null {
  if (rewardYieldValue === null || inflation === null || inflation === -1) return null;
  return (1 + rewardYieldValue) / (1 + inflation) - 1;
}

/**
 * Fewest operators whose stake together exceeds num/den of the total (default 1/3); null when nothing is staked.
 */
export function nakamotoCoefficient(stakes: readonly bigint[], num = 1n, den = 3n): number | null {
  const sorted = stakes.filter((s) => s > 0n).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const total = sorted.reduce((a, b) => a + b, 0n);
  if (total === 0n) return null;
  let acc = 0n;
  for (let i = 0; i < sorted.length; i++) {
    acc += sorted[i] ?? 0n;
    if (acc * den > total * num) return i + 1;
  }
  return null;
}

/** Share of the total stake held by the top n operators (default 10); null when nothing is staked. */
export function topOperatorShare(stakes: readonly bigint[], n = 10): number | null {
  const sorted = stakes.filter((s) => s > 0n).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const total = sorted.reduce((a, b) => a + b, 0n);
  const top = sorted.slice(0, n).reduce((a, b) => a + b, 0n);
  return ratio(top, total);
}

/** Relative change of a flow between two equal windows: current / previous − 1; null without a previous value. */
export function trend(current: bigint, previous: bigint): number | null {
  const r = ratio(current, previous);
  return r === null ? null : r - 1;
}
