/** GraphQL resolvers: thin adapters from the schema to the gateway core. */
import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import type { RequestContext } from "../core/context.js";
import { badInput } from "../core/errors.js";
import type { Gateway } from "../core/gateway.js";
import { type ProtocolRef, readsOf } from "../core/protocols.js";
import { formatUnits } from "../metrics/amount.js";
import { METRICS } from "../metrics/catalog.js";
import type { MetricValue, UnitKind } from "../metrics/define.js";
import * as f from "../metrics/formulas.js";
import { type AssetInfo, USD } from "../metrics/traits.js";
import type { Scorecard } from "../scorecard/lines.js";
import { computeScorecard } from "../scorecard/scorecard.js";
import { supplyCounted } from "../series/merge.js";
import { validateSeriesArgs } from "../series/request.js";
import type { Interval } from "../series/rollup.js";
import { computeSeries, type SeriesResult } from "../series/series.js";
import type { BlockRef } from "../upstream/snapshot.js";
import { upstreamStatus } from "../upstream/status.js";

export interface GraphQLContext {
  gateway: Gateway;
  req: RequestContext;
  /** Set after execution: whether the response may be kept by the whole-response cache (http/server.ts). */
  response?: { cacheable: boolean | null };
}

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
  field: string;
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

function protocolOut(ref: ProtocolRef) {
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

const isUpstreamFailure = (e: unknown) =>
  e instanceof GraphQLError && String(e.extensions.code ?? "").startsWith("UPSTREAM_");

/**
 * A computed answer, reused while every upstream is at the same block (AnswerCache). The answer is also kept
 * as the last good one for its arguments: when an upstream fails and the user passed allowStale, that one is
 * returned with `stale: true` (markStale) instead of the error.
 */
async function answer<T>(
  ctx: GraphQLContext,
  field: string,
  args: { allowStale?: boolean | null },
  compute: () => Promise<T>,
  markStale: (v: T) => T,
): Promise<T> {
  const { allowStale, ...rest } = args;
  const question = `${field}\u0000${JSON.stringify(rest)}`;
  try {
    const value = await ctx.gateway.answers.getOrCompute(
      `${question}\u0000${await ctx.req.blocksKey()}`,
      compute,
    );
    ctx.gateway.lastGood.set(question, value);
    return value;
  } catch (e) {
    const last = allowStale && isUpstreamFailure(e) ? ctx.gateway.lastGood.get<T>(question) : undefined;
    if (last === undefined) throw e;
    if (ctx.response) ctx.response.cacheable = false; // a stale answer is never kept as the answer at a block
    ctx.gateway.logger?.warn(
      { field, error: (e as GraphQLError).message },
      "upstream failed: serving the last good answer (allowStale)",
    );
    return markStale(last);
  }
}

const staleSeries = <S extends object>(list: S[]) => list.map((s) => ({ ...s, stale: true }));

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

function scorecardOut(sc: Scorecard) {
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

interface SeriesArgs {
  protocols: string[];
  metrics: string[];
  interval: Interval;
  from: string;
  to: string;
  allowStale?: boolean | null;
}

export const UnixTime = new GraphQLScalarType({
  name: "UnixTime",
  description: "Seconds since the Unix epoch (UTC).",
  serialize: (v) => Number(v),
  parseValue: (v) => {
    if (typeof v !== "number" || !Number.isSafeInteger(v))
      throw badInput("UnixTime", "expected integer seconds");
    return v;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.INT) throw badInput("UnixTime", "expected integer seconds");
    return Number(ast.value);
  },
});

export const resolvers = {
  UnixTime,
  Query: {
    async protocols(_: unknown, __: unknown, ctx: GraphQLContext) {
      const index = await ctx.req.protocolIndex();
      if (index.all.length === 0 && index.errors[0]) throw index.errors[0].error;
      return index.all.map(protocolOut);
    },
    metrics() {
      return METRICS.map((m) => ({
        name: m.name,
        description: m.description,
        group: m.group,
        unit: m.unit,
        kind: m.kind,
        intervals: m.intervals,
      }));
    },
    async series(_: unknown, args: SeriesArgs, ctx: GraphQLContext) {
      return answer(
        ctx,
        "series",
        args,
        async () => (await computeSeries(ctx.req, args)).map(seriesOut),
        staleSeries,
      );
    },
    async compare(_: unknown, args: Omit<SeriesArgs, "metrics"> & { metric: string }, ctx: GraphQLContext) {
      const req = { ...args, metrics: [args.metric] };
      validateSeriesArgs(req, "metric");
      return answer(
        ctx,
        "compare",
        args,
        async () => {
          const results = await computeSeries(ctx.req, req, { window: true });
          return {
            metric: args.metric,
            interval: args.interval,
            series: results.map(seriesOut),
            window: results.map((s) => {
              const unit = unitOut(s.metric.unit, s.ref);
              const v = s.window ? s.metric.compute(s.window, s.ref.traits) : null;
              const note = !s.window
                ? s.windowNote
                : v === null && s.metric.note
                  ? s.metric.note(s.window, s.ref.traits)
                  : null;
              return {
                protocol: s.id,
                unit,
                note,
                ...formatValue(v, s.metric.unit, unit.asset),
              };
            }),
            stale: false,
          };
        },
        (c) => ({ ...c, stale: true, series: staleSeries(c.series) }),
      );
    },
    async scorecard(
      _: unknown,
      args: { protocol: string; window: number; allowStale?: boolean | null },
      ctx: GraphQLContext,
    ) {
      return answer(
        ctx,
        "scorecard",
        args,
        async () => scorecardOut(await computeScorecard(ctx.req, args.protocol, args.window)),
        (sc) => ({ ...sc, stale: true }),
      );
    },
    async status(_: unknown, __: unknown, ctx: GraphQLContext) {
      // Health and lag change without a new block: never served from the response cache (http/server.ts).
      const list = await Promise.all(ctx.gateway.clients.map((c) => upstreamStatus(ctx.req, c)));
      return list.map((s) => ({ ...s, block: s.block ? blockOut(s.block) : null }));
    },
  },
};
