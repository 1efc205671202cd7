/**
 * GENERATED from subgraph/schema.graphql by subgraph/scripts/fields.ts (`npm run fields`): do not edit.
 * The schema is the one source of these lists; every TypeScript reader (the gateway, which ships alone in its
 * image, the subgraph's manifest checks, the simulator's ledger, tests and benches) imports them from here.
 */

/** TokenFlowStats sums: the flows of a bucket. */
export const FLOW_FIELDS = [
  "minted",
  "burned",
  "burnedFeeTax",
  "burnedCurationTax",
  "burnedSlashing",
  "burnedBridge",
  "burnedMigration",
  "mintedBridge",
  "mintedMigration",
  "grossEmission",
  "treasuryEmission",
  "distributedIncentives",
  "stakeInflow",
  "stakeOutflow",
  "slashed",
  "slashedBurned",
  "slashedToFinder",
  "transferVolume",
  "transferCount",
  "grossEmissionUsd",
  "grossEmissionUnpriced",
  "burnedUsd",
  "burnedUnpriced",
] as const;

/** TokenFlowStats cumulative aggregates: the stocks at the end of a bucket. */
export const STOCK_FIELDS = ["totalSupply", "staked", "operators", "stakers", "holders"] as const;

/** FeeFlowStats sums (per protocol and fee asset). */
export const FEE_FIELDS = [
  "fees",
  "supplySideFees",
  "protocolTax",
  "curationFees",
  "feeEvents",
  "depositsFunded",
  "feesUsd",
  "protocolTaxUsd",
  "feesUnpriced",
] as const;

/** FeeFlowStats cumulative aggregates (per protocol and fee asset). */
export const FEE_STOCK_FIELDS = ["cumulativeFees"] as const;

/**
 * PriceStats (per asset, hour and day): the last, lowest and highest USD price and the number of
 * observations.
 */
export const PRICE_FIELDS = ["close", "low", "high", "observations"] as const;

/** PeriodActivity exact distinct counts (DAY, WEEK, MONTH). */
export const COUNT_FIELDS = ["payers", "newPayers", "activeStakers"] as const;

/**
 * The fields above whose schema type is Int or Int8: counts (numbers in the simulator's ledger), not amounts.
 */
export const INT_FIELDS = [
  "transferCount",
  "operators",
  "stakers",
  "holders",
  "feeEvents",
  "observations",
  "payers",
  "newPayers",
  "activeStakers",
] as const;

/**
 * enum OptionalField: An optional field (Protocol.fields; protocol.json fields): a protocol's mappings feed
 * only those its spec lists, and every metric needing another is null for it (docs/metrics.md, "Which
 * protocol feeds which field").
 */
export const OPTIONAL_FIELDS = [
  "grossEmission",
  "treasuryEmission",
  "distributedIncentives",
  "protocolTax",
  "curationFees",
  "depositsFunded",
  "burnedFeeTax",
  "burnedCurationTax",
  "burnedSlashing",
  "burnedBridge",
  "burnedMigration",
  "mintedBridge",
  "mintedMigration",
  "staking",
  "stakingRewards",
  "operators",
  "slashing",
] as const;

/**
 * enum SupplyBridge: How a token moves between networks (protocol.json token.bridge). burnMint: the source
 * network burns, the destination mints (LayerZero OFT): every network's supply is part of the total.
 * lockMint: the source locks the tokens in an escrow and the destination mints a copy (Arbitrum's canonical
 * bridge): a copy is not new supply.
 */
export const SUPPLY_BRIDGES = ["burnMint", "lockMint"] as const;

/**
 * enum RevenueRule: A protocol's revenue (protocol.json revenue): protocolTax, the protocol's cut of fees;
 * fees, all fees (they go to the stakers). No revenue rule (null): no protocol cut.
 */
export const REVENUE_RULES = ["protocolTax", "fees"] as const;

export type FlowField = (typeof FLOW_FIELDS)[number];
export type StockField = (typeof STOCK_FIELDS)[number];
export type FeeField = (typeof FEE_FIELDS)[number];
export type FeeStockField = (typeof FEE_STOCK_FIELDS)[number];
export type PriceField = (typeof PRICE_FIELDS)[number];
export type CountField = (typeof COUNT_FIELDS)[number];
export type IntField = (typeof INT_FIELDS)[number];
export type OptionalField = (typeof OPTIONAL_FIELDS)[number];
export type SupplyBridge = (typeof SUPPLY_BRIDGES)[number];
export type RevenueRule = (typeof REVENUE_RULES)[number];
