/**
 * Demand and fees: fees and their split, revenue, distinct payers, incentive coverage, the USD values
 * (fees, revenue, incentives, earnings, burns) and the values at the period's price (price, market cap, P/F, P/S)
 * (docs/metrics.md, "Demand and fees").
 */
import { formatUnits } from "./amount.js";
import { ALL, always, distinct, EXACT_PERIODS, fee, type MetricDef, priced, usd } from "./define.js";
import * as f from "./formulas.js";
import { has, hasRevenue } from "./traits.js";
import {
  emissionNote,
  feesNote,
  feesUsdOf,
  firstNote,
  incentivesOf,
  incentivesUsdOf,
  marketCapOf,
  priceNote,
  revenueOf,
  revenueUsdOf,
  secs,
  usable,
} from "./values.js";

export const DEMAND_METRICS: readonly MetricDef[] = [
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
];
