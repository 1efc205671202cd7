/**
 * Values of a period that several metrics share (revenue, token incentives, sink burns, USD values, market cap)
 * and the notes that say why a value is null (no usable price).
 */
import type { Period, PriceAt } from "../series/rollup.js";
import { formatUnits } from "./amount.js";
import * as f from "./formulas.js";
import type { AssetInfo, ProtocolTraits } from "./traits.js";

export const secs = (p: Period) => p.end - p.start;
export const revenueOf = (p: Period, t: ProtocolTraits) =>
  t.revenue === null ? null : t.revenue === "fees" ? p.fees.fees : p.fees.protocolTax;
export const feesUsdOf = (p: Period) => f.pricedUsd(p.fees.feesUsd, p.fees.feesUnpriced);
export const revenueUsdOf = (p: Period, t: ProtocolTraits) =>
  t.revenue === null
    ? null
    : t.revenue === "fees"
      ? feesUsdOf(p)
      : f.pricedUsd(p.fees.protocolTaxUsd, p.fees.feesUnpriced);
export const incentivesUsdOf = (p: Period) =>
  p.flows.distributedIncentives > 0n
    ? null
    : f.pricedUsd(p.flows.grossEmissionUsd, p.flows.grossEmissionUnpriced);
/** Token incentives: emission paid as incentives plus incentives paid from pre-funded pools (docs/metrics.md). */
export const incentivesOf = (p: Period) =>
  f.tokenIncentives(p.flows.grossEmission, p.flows.distributedIncentives);
/** Burns that are sinks: all burns but those that move supply elsewhere (bridges, migrations). */
export const sinkBurnsOf = (p: Period) =>
  f.sinkBurns(p.flows.burned, p.flows.burnedBridge, p.flows.burnedMigration);
/** Supply change by issuance and sinks: minted − burned without bridge and migration mints and burns. */
export const issuanceChangeOf = (p: Period) =>
  f.issuanceChange(
    p.flows.minted,
    p.flows.mintedBridge,
    p.flows.mintedMigration,
    p.flows.burned,
    p.flows.burnedBridge,
    p.flows.burnedMigration,
  );
const units = (v: bigint, a: AssetInfo) => `${formatUnits(v, a.decimals)} ${a.symbol}`;
export const feesNote = (p: Period, t: ProtocolTraits) =>
  p.fees.feesUnpriced > 0n
    ? `${units(p.fees.feesUnpriced, t.feeAsset)} of fees had no price younger than the price sources' maxAgeSeconds (docs/methodology.md, Prices)`
    : null;
export const emissionNote = (p: Period) =>
  p.flows.distributedIncentives > 0n
    ? "distributed incentives (paid from pre-funded pools) are not valued in USD yet"
    : p.flows.grossEmissionUnpriced > 0n
      ? `${formatUnits(p.flows.grossEmissionUnpriced, 18)} tokens of emission had no price younger than the price sources' maxAgeSeconds`
      : null;
export const firstNote = (...notes: (string | null)[]) => notes.find((n) => n !== null) ?? null;
export const usable = (x: PriceAt | null | undefined): bigint | null => (x && !x.stale ? x.usd : null);
export const priceNote = (x: PriceAt | null | undefined, what: string): string | null =>
  !x
    ? `no ${what} price observed before the period's end`
    : x.stale
      ? `the last ${what} price (${new Date(x.bucketStart * 1000).toISOString()} bucket, ${x.source}) is older than the price sources' maxAgeSeconds at the period's end`
      : null;
export const marketCapOf = (p: Period) => {
  const price = usable(p.prices?.token);
  return price === null ? null : (p.stocksEnd.totalSupply * price) / 10n ** 18n;
};
