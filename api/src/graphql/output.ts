/**
 * The GraphQL answers' shapes: values formatted exactly (decimal text for amounts, integer text for counts), units,
 * blocks and reads, and the Protocol, Series and Scorecard objects built from the gateway's results. Shared with
 * the /series.csv and /series.json routes (http/seriesRoute.ts), so both say the same thing.
 */
import type { ProtocolRef } from "../core/protocols.js";
import { readsOf } from "../core/protocols.js";
import type { OptionalField } from "../fields.js";
import { formatUnits } from "../metrics/amount.js";
import type { MetricValue, UnitKind } from "../metrics/define.js";
import * as f from "../metrics/formulas.js";
import { type AssetInfo, USD } from "../metrics/traits.js";
import type { Scorecard } from "../scorecard/lines.js";
import { supplyCounted } from "../series/merge.js";
import type { SeriesResult } from "../series/series.js";
import type { BlockRef } from "../upstream/snapshot.js";

export interface FormattedValue {
  value: string | null;
  raw: string | null;
  float: number | null;
}

/** Formats a metric value: exact decimal for amounts, integer text for counts, number text for ratios. */
export function formatValue(v: MetricValue, unit: UnitKind, asset: AssetInfo | null): FormattedValue {
  if (v === null) return { value: null, raw: null, float: null };
  if (typeof v === "number") {
    return Number.isFinite(v)
      ? { value: String(v), raw: null, float: v }
      : { value: null, raw: null, float: null };
  }
  if ((unit === "TOKEN" || unit === "FEE_ASSET" || unit === "USD") && asset) {
    const value = formatUnits(v, asset.decimals);
    return { value, raw: v.toString(), float: Number(value) };
  }
  return { value: v.toString(), raw: v.toString(), float: Number(v) };
}

export const blockOut = (b: BlockRef) => ({ ...b, iso: new Date(b.timestamp * 1000).toISOString() });

/** The upstreams and blocks an answer about a protocol read (one per network), and whose supply it counted. */
export const readsOut = (ref: ProtocolRef) => {
  const reads = readsOf(ref);
  const counted = ref.parts ? supplyCounted(reads) : reads.map(() => true);
  return reads.map((r, i) => ({
    upstream: r.client.name,
    network: r.protocol.network,
    block: blockOut(r.snapshot.block),
    canonicalSupply: r.protocol.canonicalSupply,
    supplyCounted: counted[i] ?? false,
  }));
};

export function tokenAsset(ref: ProtocolRef): AssetInfo {
  return {
    address: ref.protocol.token.address,
    symbol: ref.protocol.token.symbol,
    decimals: ref.protocol.token.decimals,
  };
}

export function unitOut(kind: UnitKind, ref: ProtocolRef) {
  const asset =
    kind === "TOKEN"
      ? tokenAsset(ref)
      : kind === "FEE_ASSET"
        ? ref.traits.feeAsset
        : kind === "USD"
          ? USD
          : null;
  return { kind, symbol: asset?.symbol ?? null, decimals: asset?.decimals ?? null, asset };
}

const amount = (raw: bigint, a: AssetInfo) => ({
  raw: raw.toString(),
  value: formatUnits(raw, a.decimals),
  symbol: a.symbol,
});

/**
 * The Protocol type's values that apply only where the protocol feeds a field (docs/metrics.md, "Which protocol
 * feeds which field"), and why they are null elsewhere.
 */
const NEEDS_FIELD: readonly {
  value: string;
  field: OptionalField;
  reason: (p: ProtocolRef["protocol"]) => string;
}[] = [
  { value: "staked", field: "staking", reason: (p) => `${p.name} has no staking indexed on ${p.network}` },
  {
    value: "stakingRatio",
    field: "staking",
    reason: (p) => `${p.name} has no staking indexed on ${p.network}`,
  },
  {
    value: "operators",
    field: "operators",
    reason: (p) => `${p.name} has no operators holding stake on ${p.network}`,
  },
  { value: "stakers", field: "staking", reason: (p) => `${p.name} has no staking indexed on ${p.network}` },
  {
    value: "cumulativeGrossEmission",
    field: "grossEmission",
    reason: (p) => `${p.name} mints no rewards on ${p.network}`,
  },
];

export function protocolOut(ref: ProtocolRef) {
  const p = ref.protocol;
  const token = tokenAsset(ref);
  const nulls = NEEDS_FIELD.filter((n) => !ref.traits.fields.has(n.field)).map((n) => ({
    field: n.value,
    reason: n.reason(p),
  }));
  const or = <T>(value: string, v: T): T | null => (nulls.some((n) => n.field === value) ? null : v);
  return {
    id: p.id,
    name: p.name,
    network: p.network,
    upstream: ref.client.name,
    reads: readsOut(ref),
    deployment: ref.snapshot.deployment,
    block: blockOut(ref.snapshot.block),
    token,
    feeAsset: ref.traits.feeAsset,
    schemaVersion: p.schemaVersion,
    methodologyVersion: p.methodologyVersion,
    totalSupply: amount(p.totalSupply, token),
    staked: or("staked", amount(p.staked, token)),
    stakingRatio: or("stakingRatio", f.stakingRatio(p.staked, p.totalSupply)),
    operators: or("operators", p.operatorCount),
    stakers: or("stakers", p.stakerCount),
    holders: p.holderCount,
    cumulativeMinted: amount(p.cumulativeMinted, token),
    cumulativeBurned: amount(p.cumulativeBurned, token),
    cumulativeGrossEmission: or("cumulativeGrossEmission", amount(p.cumulativeGrossEmission, token)),
    nulls,
  };
}

export function seriesOut(s: SeriesResult) {
  const unit = unitOut(s.metric.unit, s.ref);
  return {
    protocol: s.id,
    metric: s.metric.name,
    interval: s.interval,
    unit,
    applicable: s.metric.applies(s.ref.traits),
    block: blockOut(s.ref.snapshot.block),
    reads: readsOut(s.ref),
    stale: false,
    points: s.points.map((p) => ({
      timestamp: p.timestamp,
      date: p.date,
      partial: p.partial,
      note: p.note,
      priceSource: p.price?.source ?? null,
      priceTime: p.price?.bucketStart ?? null,
      ...formatValue(p.value, s.metric.unit, unit.asset),
    })),
  };
}

export function scorecardOut(sc: Scorecard) {
  const block = blockOut(sc.ref.snapshot.block);
  return {
    protocol: sc.id,
    windowDays: sc.windowDays,
    from: sc.from,
    to: sc.to,
    block,
    reads: readsOut(sc.ref),
    stale: false,
    lines: sc.lines.map((l) => {
      const asset =
        l.unit.symbol !== null && l.unit.decimals !== null
          ? { address: "", symbol: l.unit.symbol, decimals: l.unit.decimals }
          : null;
      return { ...l, note: l.note ?? null, ...formatValue(l.value, l.unit.kind as UnitKind, asset), block };
    }),
  };
}
