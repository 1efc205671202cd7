/**
 * The field names of the subgraph's aggregations and distinct-count rows (subgraph/schema.graphql), in one
 * place for every TypeScript reader: the gateway (which ships alone in its image, hence here), the tests and
 * the benches. tests/subgraph.manifest.test.ts checks them against
 * the schema, so a renamed field cannot drift.
 */

/** TokenFlowStats sums (flows of a bucket). */
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
  // USD at the event (18 decimals) and the amounts without a usable price (docs/methodology.md, Prices)
  "grossEmissionUsd",
  "grossEmissionUnpriced",
  "burnedUsd",
  "burnedUnpriced",
] as const;

/** TokenFlowStats cumulative aggregates (stocks at the end of a bucket). */
export const STOCK_FIELDS = ["totalSupply", "staked", "operators", "stakers", "holders"] as const;

/** FeeFlowStats sums (per protocol and fee asset); cumulativeFees is its cumulative aggregate. */
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

/** PriceStats (per asset, hour and day): the last, lowest and highest USD price and the number of observations. */
export const PRICE_FIELDS = ["close", "low", "high", "observations"] as const;

/** PeriodActivity exact distinct counts (DAY, WEEK, MONTH). */
export const COUNT_FIELDS = ["payers", "newPayers", "activeStakers"] as const;
