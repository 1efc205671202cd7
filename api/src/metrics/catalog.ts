/** The metric catalog: name, unit, which data it needs, which intervals it has, and its formula per period. */
import type { Interval, Period, PriceAt } from "../series/rollup.js";
import type { ProtocolInfo } from "../upstream/snapshot.js";
import { formatUnits } from "./amount.js";
import * as f from "./formulas.js";

export type UnitKind = "TOKEN" | "FEE_ASSET" | "USD" | "COUNT" | "RATIO" | "RATE_PER_YEAR";

/** USD amounts: 18 decimals, as the subgraph values events (docs/methodology.md, "Prices"). */
export const USD: AssetInfo = { address: "", symbol: "USD", decimals: 18 };
export type MetricKind = "FLOW" | "STOCK" | "RATIO" | "DISTINCT";
export type Source = "token" | "fee" | "activity" | "price";
export type MetricValue = bigint | number | null;

export interface AssetInfo {
  address: string;
  symbol: string;
  decimals: number;
}

/**
 * What a protocol has, read from its Protocol entity (subgraph/src/<slug>/protocol.json): its fee assets, its
 * revenue rule and the optional fields its mappings feed. No metric names a protocol.
 */
export interface ProtocolTraits {
  /** The first fee asset: the unit of the fee metrics. */
  feeAsset: AssetInfo;
  /** Every fee asset with the raw units of the first one a raw unit is worth (exact; 1 for the first). */
  feeAssets: (AssetInfo & { rate: bigint })[];
  /** Fees paid in the protocol's own token (fees and incentives comparable without prices). */
  sameAsset: boolean;
  /** Revenue definition: the protocol tax, all fees (they go to stakers), or none (no protocol cut: null). */
  revenue: "protocolTax" | "fees" | null;
  /** The optional fields the protocol's mappings feed (docs/adding-a-protocol.md). */
  fields: ReadonlySet<string>;
  /** false where the token on this network is a bridged copy of a canonical network's supply. */
  canonicalSupply: boolean;
}

export const ETH: AssetInfo = {
  address: "0x0000000000000000000000000000000000000000",
  symbol: "ETH",
  decimals: 18,
};

export function protocolTraits(p: ProtocolInfo): ProtocolTraits {
  const token = p.token.address.toLowerCase();
  const feeAssets = p.feeAssets.map((a, i) => ({
    address: a.address.toLowerCase(),
    symbol: a.symbol,
    decimals: a.decimals,
    rate: p.feeAssetRates[i] ?? 1n,
  }));
  // a subgraph without traits (older schema): fees in the token, no optional field
  const first = feeAssets[0] ?? {
    address: token,
    symbol: p.token.symbol,
    decimals: p.token.decimals,
    rate: 1n,
  };
  return {
    feeAsset: { address: first.address, symbol: first.symbol, decimals: first.decimals },
    feeAssets: feeAssets.length > 0 ? feeAssets : [first],
    sameAsset: first.address === token,
    revenue: p.revenueRule,
    fields: new Set(p.fields),
    canonicalSupply: p.canonicalSupply,
  };
}

/** Applies when the protocol feeds the field (docs/metrics.md, "Which protocol feeds which field"). */
const has =
  (...fields: string[]) =>
  (t: ProtocolTraits) =>
    fields.some((x) => t.fields.has(x));
const hasRevenue = (t: ProtocolTraits) => t.revenue !== null;

export interface MetricDef {
  name: string;
  description: string;
  group: "SUPPLY" | "DEMAND" | "STAKING" | "CIRCULATION";
  unit: UnitKind;
  kind: MetricKind;
  sources: readonly Source[];
  intervals: readonly Interval[];
  /** false → the metric is null for this protocol (never 0). */
  applies(t: ProtocolTraits): boolean;
  compute(p: Period, t: ProtocolTraits): MetricValue;
  /** Why an applicable value is null, when it can say (USD values without a usable price). */
  note?(p: Period, t: ProtocolTraits): string | null;
  /** The price a value uses: its source and bucket (metrics valued with a price at the period's end). */
  priceUsed?(p: Period): PriceAt | null;
}

const ALL: readonly Interval[] = ["HOUR", "DAY", "WEEK", "MONTH"];
const EXACT_PERIODS: readonly Interval[] = ["DAY", "WEEK", "MONTH"];
const always = () => true;
const secs = (p: Period) => p.end - p.start;
const revenueOf = (p: Period, t: ProtocolTraits) =>
  t.revenue === null ? null : t.revenue === "fees" ? p.fees.fees : p.fees.protocolTax;
const feesUsdOf = (p: Period) => f.pricedUsd(p.fees.feesUsd, p.fees.feesUnpriced);
const revenueUsdOf = (p: Period, t: ProtocolTraits) =>
  t.revenue === null
    ? null
    : t.revenue === "fees"
      ? feesUsdOf(p)
      : f.pricedUsd(p.fees.protocolTaxUsd, p.fees.feesUnpriced);
const incentivesUsdOf = (p: Period) =>
  p.flows.distributedIncentives > 0n
    ? null
    : f.pricedUsd(p.flows.grossEmissionUsd, p.flows.grossEmissionUnpriced);
/** Token incentives: emission paid as incentives plus incentives paid from pre-funded pools (docs/metrics.md). */
const incentivesOf = (p: Period) => f.tokenIncentives(p.flows.grossEmission, p.flows.distributedIncentives);
/** Burns that are sinks: all burns but those that move supply elsewhere (bridges, migrations). */
const sinkBurnsOf = (p: Period) => f.sinkBurns(p.flows.burned, p.flows.burnedBridge, p.flows.burnedMigration);
/** Supply change by issuance and sinks: minted − burned without bridge and migration mints and burns. */
const issuanceChangeOf = (p: Period) =>
  f.issuanceChange(
    p.flows.minted,
    p.flows.mintedBridge,
    p.flows.mintedMigration,
    p.flows.burned,
    p.flows.burnedBridge,
    p.flows.burnedMigration,
  );
const units = (v: bigint, a: AssetInfo) => `${formatUnits(v, a.decimals)} ${a.symbol}`;
const feesNote = (p: Period, t: ProtocolTraits) =>
  p.fees.feesUnpriced > 0n
    ? `${units(p.fees.feesUnpriced, t.feeAsset)} of fees had no price younger than the price sources' maxAgeSeconds (docs/methodology.md, Prices)`
    : null;
const emissionNote = (p: Period) =>
  p.flows.distributedIncentives > 0n
    ? "distributed incentives (paid from pre-funded pools) are not valued in USD yet"
    : p.flows.grossEmissionUnpriced > 0n
      ? `${formatUnits(p.flows.grossEmissionUnpriced, 18)} tokens of emission had no price younger than the price sources' maxAgeSeconds`
      : null;
const firstNote = (...notes: (string | null)[]) => notes.find((n) => n !== null) ?? null;
const usable = (x: PriceAt | null | undefined): bigint | null => (x && !x.stale ? x.usd : null);
const priceNote = (x: PriceAt | null | undefined, what: string): string | null =>
  !x
    ? `no ${what} price observed before the period's end`
    : x.stale
      ? `the last ${what} price (${new Date(x.bucketStart * 1000).toISOString()} bucket, ${x.source}) is older than the price sources' maxAgeSeconds at the period's end`
      : null;
const marketCapOf = (p: Period) => {
  const price = usable(p.prices?.token);
  return price === null ? null : (p.stocksEnd.totalSupply * price) / 10n ** 18n;
};
function priced(
  name: string,
  description: string,
  unit: UnitKind,
  kind: MetricKind,
  sources: readonly Source[],
  compute: (p: Period, t: ProtocolTraits) => MetricValue,
  note: (p: Period, t: ProtocolTraits) => string | null,
  priceUsed: (p: Period) => PriceAt | null,
  applies: (t: ProtocolTraits) => boolean = always,
): MetricDef {
  return {
    name,
    description,
    group: "DEMAND",
    unit,
    kind,
    sources,
    intervals: ALL,
    applies,
    compute,
    note,
    priceUsed,
  };
}

/**
 * A USD flow valued at its events. Its price source (priceUsed) is the valued asset's: the fee asset's for fees,
 * the token's otherwise; the time given is the bucket of that asset's last price at or before the period's end
 * (each event used the last price before it).
 */
function usd(
  name: string,
  description: string,
  sources: readonly Source[],
  compute: (p: Period, t: ProtocolTraits) => MetricValue,
  note: (p: Period, t: ProtocolTraits) => string | null,
  group: MetricDef["group"] = "DEMAND",
  applies: (t: ProtocolTraits) => boolean = always,
): MetricDef {
  const asset = sources.includes("fee") ? "feeAsset" : "token";
  return {
    name,
    description,
    group,
    unit: "USD",
    kind: "FLOW",
    sources: [...sources, "price"],
    intervals: ALL,
    applies,
    compute,
    note,
    priceUsed: (p) => p.prices?.[asset] ?? null,
  };
}

function flow(
  name: string,
  field: keyof Period["flows"],
  description: string,
  group: MetricDef["group"],
  unit: UnitKind = "TOKEN",
  applies: (t: ProtocolTraits) => boolean = always,
): MetricDef {
  return {
    name,
    description,
    group,
    unit,
    kind: "FLOW",
    sources: ["token"],
    intervals: ALL,
    applies,
    compute: (p) => p.flows[field],
  };
}

function stock(
  name: string,
  field: keyof Period["stocksEnd"],
  description: string,
  group: MetricDef["group"],
  unit: UnitKind,
  applies: (t: ProtocolTraits) => boolean = always,
): MetricDef {
  return {
    name,
    description,
    group,
    unit,
    kind: "STOCK",
    sources: ["token"],
    intervals: ALL,
    applies,
    compute: (p) => p.stocksEnd[field],
  };
}

function fee(
  name: string,
  description: string,
  compute: (p: Period, t: ProtocolTraits) => MetricValue,
  applies: (t: ProtocolTraits) => boolean = always,
  unit: UnitKind = "FEE_ASSET",
): MetricDef {
  return {
    name,
    description,
    group: "DEMAND",
    unit,
    kind: "FLOW",
    sources: ["fee"],
    intervals: ALL,
    applies,
    compute,
  };
}

function distinct(
  name: string,
  field: "payers" | "newPayers" | "activeStakers",
  description: string,
  group: MetricDef["group"],
  applies: (t: ProtocolTraits) => boolean = always,
): MetricDef {
  return {
    name,
    description,
    group,
    unit: "COUNT",
    kind: "DISTINCT",
    sources: ["activity"],
    intervals: EXACT_PERIODS,
    applies,
    compute: (p) => (p.activity ? p.activity[field] : null),
  };
}

export const METRICS: readonly MetricDef[] = [
  // Supply / emission
  flow("minted", "minted", "Tokens minted (Transfer from the zero address).", "SUPPLY"),
  flow("burned", "burned", "Tokens burned (Transfer to the zero address), all causes.", "SUPPLY"),
  flow(
    "burnedFeeTax",
    "burnedFeeTax",
    "Burned as protocol tax on fees.",
    "SUPPLY",
    "TOKEN",
    has("burnedFeeTax"),
  ),
  flow(
    "burnedCurationTax",
    "burnedCurationTax",
    "Burned as curation tax.",
    "SUPPLY",
    "TOKEN",
    has("burnedCurationTax"),
  ),
  flow(
    "burnedSlashing",
    "burnedSlashing",
    "Burned by slashing (the part not paid to a finder).",
    "SUPPLY",
    "TOKEN",
    has("burnedSlashing"),
  ),
  flow(
    "burnedBridge",
    "burnedBridge",
    "Burned when bridged out of this chain's supply (the tokens exist on the other chain: not a sink).",
    "SUPPLY",
    "TOKEN",
    has("burnedBridge"),
  ),
  flow(
    "burnedMigration",
    "burnedMigration",
    "Burned by a migration to another token (e.g. AGIX swapped for FET/ASI): not a sink.",
    "SUPPLY",
    "TOKEN",
    has("burnedMigration"),
  ),
  flow(
    "mintedBridge",
    "mintedBridge",
    "Minted when bridged into this chain (a copy of supply that left another chain): not issuance.",
    "SUPPLY",
    "TOKEN",
    has("mintedBridge"),
  ),
  flow(
    "mintedMigration",
    "mintedMigration",
    "Minted by a migration from another token (e.g. FET for AGIX at the 2024 fixed ratio): not issuance.",
    "SUPPLY",
    "TOKEN",
    has("mintedMigration"),
  ),
  {
    name: "burnedOther",
    description:
      "Burns without a known cause: burned − fee tax − curation tax − slashing − bridge − migration.",
    group: "SUPPLY",
    unit: "TOKEN",
    kind: "FLOW",
    sources: ["token"],
    intervals: ALL,
    applies: always,
    compute: (p) =>
      f.burnedOther(
        p.flows.burned,
        p.flows.burnedFeeTax,
        p.flows.burnedCurationTax,
        p.flows.burnedSlashing,
        p.flows.burnedBridge,
        p.flows.burnedMigration,
      ),
  },
  stock("totalSupply", "totalSupply", "Total supply at the end of the period (stock).", "SUPPLY", "TOKEN"),
  flow(
    "grossEmission",
    "grossEmission",
    "Tokens newly minted as rewards (reward events).",
    "SUPPLY",
    "TOKEN",
    has("grossEmission"),
  ),
  flow(
    "treasuryEmission",
    "treasuryEmission",
    "Part of the gross emission sent to a treasury.",
    "SUPPLY",
    "TOKEN",
    has("treasuryEmission"),
  ),
  flow(
    "distributedIncentives",
    "distributedIncentives",
    "Incentives paid from pools funded with existing tokens (not minted for them).",
    "SUPPLY",
    "TOKEN",
    has("distributedIncentives"),
  ),
  {
    name: "tokenIncentives",
    description:
      "Token incentives paid to the supply side: grossEmission + distributedIncentives (no overlap).",
    group: "SUPPLY",
    unit: "TOKEN",
    kind: "FLOW",
    sources: ["token"],
    intervals: ALL,
    applies: has("grossEmission", "distributedIncentives"),
    compute: incentivesOf,
  },
  {
    name: "netEmission",
    description: "grossEmission − sink burns (burns other than bridge and migration burns).",
    group: "SUPPLY",
    unit: "TOKEN",
    kind: "FLOW",
    sources: ["token"],
    intervals: ALL,
    applies: has("grossEmission"),
    compute: (p) => f.netEmission(p.flows.grossEmission, sinkBurnsOf(p)),
  },
  {
    name: "netSupplyChange",
    description: "minted − burned.",
    group: "SUPPLY",
    unit: "TOKEN",
    kind: "FLOW",
    sources: ["token"],
    intervals: ALL,
    applies: always,
    compute: (p) => f.netSupplyChange(p.flows.minted, p.flows.burned),
  },
  {
    name: "inflationRate",
    description:
      "(minted − burned, without bridge and migration mints and burns) / totalSupply at the start of the period, annualised (365 d).",
    group: "SUPPLY",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: always,
    compute: (p) => f.inflationRate(issuanceChangeOf(p), p.stocksStart.totalSupply, secs(p)),
  },
  {
    name: "emissionRate",
    description: "grossEmission / totalSupply at the start of the period, annualised (365 d).",
    group: "SUPPLY",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("grossEmission"),
    compute: (p) => f.emissionRate(p.flows.grossEmission, p.stocksStart.totalSupply, secs(p)),
  },
  {
    name: "sinkToEmission",
    description: "sink burns (no bridge or migration burns) / grossEmission; null when nothing was emitted.",
    group: "SUPPLY",
    unit: "RATIO",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("grossEmission"),
    compute: (p) => f.sinkToEmission(sinkBurnsOf(p), p.flows.grossEmission),
  },
  // Demand / fees
  fee(
    "fees",
    "Fees paid by users, in the first fee asset (other fee assets converted at their fixed rate).",
    (p) => p.fees.fees,
  ),
  fee(
    "supplySideFees",
    "Fees kept by the supply side (operators and delegators).",
    (p) => p.fees.supplySideFees,
  ),
  fee("protocolTax", "The protocol's cut of fees.", (p) => p.fees.protocolTax, has("protocolTax")),
  fee(
    "revenue",
    "Protocol revenue: the protocol's cut, or all fees where they all go to stakers; null without a cut.",
    revenueOf,
    hasRevenue,
  ),
  fee("curatorFees", "Fees paid to curators.", (p) => p.fees.curationFees, has("curationFees")),
  fee("feeEvents", "Number of fee payments.", (p) => p.fees.feeEvents, always, "COUNT"),
  fee(
    "depositsFunded",
    "Prepaid deposits and escrow funded by payers (a demand signal, not a fee).",
    (p) => p.fees.depositsFunded,
    has("depositsFunded"),
  ),
  distinct("payers", "payers", "Distinct accounts that paid a fee in the period (exact).", "DEMAND"),
  distinct("newPayers", "newPayers", "Payers whose first payment ever is in the period.", "DEMAND"),
  {
    name: "feePerPayer",
    description: "fees / payers (smallest units, rounded down); null without payers.",
    group: "DEMAND",
    unit: "FEE_ASSET",
    kind: "RATIO",
    sources: ["fee", "activity"],
    intervals: EXACT_PERIODS,
    applies: always,
    compute: (p) => (p.activity ? f.feePerPayer(p.fees.fees, p.activity.payers) : null),
  },
  {
    name: "incentiveCoverage",
    description:
      "fees / tokenIncentives: in the token when fees are paid in it, else in USD (feesUsd / tokenIncentivesUsd).",
    group: "DEMAND",
    unit: "RATIO",
    kind: "RATIO",
    sources: ["fee", "token"],
    intervals: ALL,
    applies: has("grossEmission", "distributedIncentives"),
    compute: (p, t) =>
      t.sameAsset
        ? f.incentiveCoverage(p.fees.fees, incentivesOf(p), true)
        : f.incentiveCoverageUsd(feesUsdOf(p), incentivesUsdOf(p)),
    note: (p, t) => (t.sameAsset ? null : firstNote(feesNote(p, t), emissionNote(p))),
  },
  usd("feesUsd", "Fees valued in USD at each fee's event (18 decimals).", ["fee"], feesUsdOf, feesNote),
  usd(
    "revenueUsd",
    "Revenue valued in USD at the events (the protocol's cut, or all fees where they go to stakers).",
    ["fee"],
    revenueUsdOf,
    feesNote,
    "DEMAND",
    hasRevenue,
  ),
  usd(
    "tokenIncentivesUsd",
    "Token incentives valued in USD at each reward event (emission; distributed incentives are not valued yet).",
    ["token"],
    incentivesUsdOf,
    emissionNote,
    "SUPPLY",
    has("grossEmission", "distributedIncentives"),
  ),
  usd(
    "earningsUsd",
    "revenueUsd − tokenIncentivesUsd (Token Terminal's earnings).",
    ["fee", "token"],
    (p, t) => f.earningsUsd(revenueUsdOf(p, t), incentivesUsdOf(p)),
    (p, t) => firstNote(feesNote(p, t), emissionNote(p)),
    "DEMAND",
    (t) => hasRevenue(t) && has("grossEmission", "distributedIncentives")(t),
  ),
  priced(
    "price",
    "The token's USD price at the end of the period: the close of the last hour/day with a price observation.",
    "USD",
    "STOCK",
    ["price"],
    (p) => usable(p.prices?.token),
    (p) => priceNote(p.prices?.token, "token"),
    (p) => p.prices?.token ?? null,
  ),
  priced(
    "feeAssetPrice",
    "The fee asset's USD price at the end of the period (Livepeer ETH, The Graph GRT).",
    "USD",
    "STOCK",
    ["price"],
    (p) => usable(p.prices?.feeAsset),
    (p) => priceNote(p.prices?.feeAsset, "fee asset"),
    (p) => p.prices?.feeAsset ?? null,
  ),
  priced(
    "marketCap",
    "totalSupply × price, both at the end of the period (total, not circulating, supply: docs/metrics.md).",
    "USD",
    "STOCK",
    ["token", "price"],
    marketCapOf,
    (p) => priceNote(p.prices?.token, "token"),
    (p) => p.prices?.token ?? null,
  ),
  priced(
    "priceToFees",
    "marketCap / feesUsd annualised (365 d / period length); null without fees or a price.",
    "RATIO",
    "RATIO",
    ["token", "price", "fee"],
    (p) => f.priceTo(marketCapOf(p), feesUsdOf(p), secs(p)),
    (p, t) => firstNote(priceNote(p.prices?.token, "token"), feesNote(p, t)),
    (p) => p.prices?.token ?? null,
  ),
  priced(
    "priceToSales",
    "marketCap / revenueUsd annualised; null without revenue or a price.",
    "RATIO",
    "RATIO",
    ["token", "price", "fee"],
    (p, t) => f.priceTo(marketCapOf(p), revenueUsdOf(p, t), secs(p)),
    (p, t) => firstNote(priceNote(p.prices?.token, "token"), feesNote(p, t)),
    (p) => p.prices?.token ?? null,
    hasRevenue,
  ),
  usd(
    "burnedUsd",
    "Burns valued in USD at each burn.",
    ["token"],
    (p) => f.pricedUsd(p.flows.burnedUsd, p.flows.burnedUnpriced),
    (p) =>
      p.flows.burnedUnpriced > 0n
        ? `${formatUnits(p.flows.burnedUnpriced, 18)} tokens of burns had no price younger than the price sources' maxAgeSeconds`
        : null,
    "SUPPLY",
  ),
  {
    name: "earnings",
    description: "revenue − tokenIncentives when both are in the token; null otherwise.",
    group: "DEMAND",
    unit: "TOKEN",
    kind: "FLOW",
    sources: ["fee", "token"],
    intervals: ALL,
    applies: (t) => t.sameAsset && hasRevenue(t) && has("grossEmission", "distributedIncentives")(t),
    compute: (p, t) => f.earnings(revenueOf(p, t), incentivesOf(p), t.sameAsset),
  },
  // Staking
  stock(
    "staked",
    "staked",
    "Tokens staked at the end of the period (stock).",
    "STAKING",
    "TOKEN",
    has("staking"),
  ),
  flow(
    "stakeInflow",
    "stakeInflow",
    "Principal staked or delegated in the period.",
    "STAKING",
    "TOKEN",
    has("staking"),
  ),
  flow(
    "stakeOutflow",
    "stakeOutflow",
    "Principal unstaked or undelegated in the period.",
    "STAKING",
    "TOKEN",
    has("staking"),
  ),
  flow("slashed", "slashed", "Stake slashed.", "STAKING", "TOKEN", has("slashing")),
  flow(
    "slashedBurned",
    "slashedBurned",
    "Part of the slashed stake that was burned.",
    "STAKING",
    "TOKEN",
    has("slashing"),
  ),
  flow(
    "slashedToFinder",
    "slashedToFinder",
    "Part of the slashed stake paid to the finder / fisherman.",
    "STAKING",
    "TOKEN",
    has("slashing"),
  ),
  {
    name: "stakingRatio",
    description: "staked / totalSupply, both at the end of the period.",
    group: "STAKING",
    unit: "RATIO",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("staking"),
    compute: (p) => f.stakingRatio(p.stocksEnd.staked, p.stocksEnd.totalSupply),
  },
  {
    name: "rewardYield",
    description:
      "tokenIncentives / average staked, annualised (average = trapezoid over the period's buckets).",
    group: "STAKING",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("stakingRewards"),
    compute: (p) =>
      f.rewardYield(
        incentivesOf(p),
        p.stockPoints.map((s) => s.staked),
        secs(p),
      ),
  },
  {
    name: "realYield",
    description: "(1 + rewardYield) / (1 + inflationRate) − 1.",
    group: "STAKING",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("stakingRewards"),
    compute: (p) =>
      f.realYield(
        f.rewardYield(
          incentivesOf(p),
          p.stockPoints.map((s) => s.staked),
          secs(p),
        ),
        f.inflationRate(issuanceChangeOf(p), p.stocksStart.totalSupply, secs(p)),
      ),
  },
  stock(
    "operators",
    "operators",
    "Operators with stake > 0 at the end of the period.",
    "STAKING",
    "COUNT",
    has("operators"),
  ),
  stock(
    "stakers",
    "stakers",
    "Accounts with stake > 0 at the end of the period.",
    "STAKING",
    "COUNT",
    has("staking"),
  ),
  distinct(
    "activeStakers",
    "activeStakers",
    "Distinct accounts whose stake changed by their own action in the period.",
    "STAKING",
    has("staking"),
  ),
  // Circulation
  flow("transferVolume", "transferVolume", "Tokens transferred, excluding mints and burns.", "CIRCULATION"),
  flow(
    "transferCount",
    "transferCount",
    "Number of transfers, excluding mints and burns.",
    "CIRCULATION",
    "COUNT",
  ),
  {
    name: "velocity",
    description: "transferVolume / average totalSupply, annualised.",
    group: "CIRCULATION",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: always,
    compute: (p) =>
      f.velocity(
        p.flows.transferVolume,
        p.stockPoints.map((s) => s.totalSupply),
        secs(p),
      ),
  },
  stock(
    "holders",
    "holders",
    "Accounts with a token balance > 0 at the end of the period.",
    "CIRCULATION",
    "COUNT",
  ),
];

export const METRICS_BY_NAME: ReadonlyMap<string, MetricDef> = new Map(METRICS.map((m) => [m.name, m]));
