/**
 * GraphQL resolvers: thin adapters from the schema to the gateway core. Each computed answer goes through the
 * answer caches (one per block, the last good one for allowStale); its shape is output.ts's.
 */
import { GraphQLScalarType, Kind } from "graphql";
import { cachedAnswer } from "../core/answerCache.js";
import type { RequestContext } from "../core/context.js";
import { badInput } from "../core/errors.js";
import type { Gateway } from "../core/gateway.js";
import { METRICS } from "../metrics/catalog.js";
import { computeScorecard } from "../scorecard/scorecard.js";
import { validateSeriesArgs } from "../series/request.js";
import type { Interval } from "../series/rollup.js";
import { computeSeries } from "../series/series.js";
import { upstreamStatus } from "../upstream/status.js";
import { blockOut, formatValue, protocolOut, scorecardOut, seriesOut, unitOut } from "./output.js";

export interface GraphQLContext {
  gateway: Gateway;
  req: RequestContext;
  /** Set after execution: whether the response may be kept by the whole-response cache (http/server.ts). */
  response?: { cacheable: boolean | null };
}

/**
 * A computed answer through the answer caches (core/answerCache.ts); a last good answer served because an
 * upstream is down is marked stale (markStale) and never kept as the answer at a block.
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
  const { value, stale } = await cachedAnswer(ctx.gateway, ctx.req, question, !!allowStale, compute, {
    field,
  });
  if (!stale) return value;
  if (ctx.response) ctx.response.cacheable = false; // a stale answer is never kept as the answer at a block
  return markStale(value);
}

const staleSeries = <S extends object>(list: S[]) => list.map((s) => ({ ...s, stale: true }));

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
