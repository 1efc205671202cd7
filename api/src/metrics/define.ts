/**
 * What a metric is (MetricDef: name, unit, the data it needs, its intervals, when it applies, its formula per
 * period) and the builders of the common shapes: a flow or a stock field, a fee, a distinct count, a USD flow
 * valued at its events, a value at the period's price.
 */
import type { Interval, Period, PriceAt } from "../series/rollup.js";
import type { ProtocolTraits } from "./traits.js";

export type UnitKind = "TOKEN" | "FEE_ASSET" | "USD" | "COUNT" | "RATIO" | "RATE_PER_YEAR";
export type MetricKind = "FLOW" | "STOCK" | "RATIO" | "DISTINCT";
export type Source = "token" | "fee" | "activity" | "price";
export type MetricValue = bigint | number | null;

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

export const ALL: readonly Interval[] = ["HOUR", "DAY", "WEEK", "MONTH"];
export const EXACT_PERIODS: readonly Interval[] = ["DAY", "WEEK", "MONTH"];
export const always = () => true;

export function priced(
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
export function usd(
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

export function flow(
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

export function stock(
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

export function fee(
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

export function distinct(
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
