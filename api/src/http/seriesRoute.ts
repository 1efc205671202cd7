/**
 * The answer of GET /series.csv and /series.json: GraphQL's `series` (computed through the same answer caches)
 * as tidy rows, one per protocol × metric × period, in CSV or JSON. The request is parsed in seriesQuery.ts.
 */
import { cachedAnswer } from "../core/answerCache.js";
import type { RequestContext } from "../core/context.js";
import type { Gateway } from "../core/gateway.js";
import { seriesOut } from "../graphql/output.js";
import { computeSeries } from "../series/series.js";
import type { SeriesQuery } from "./seriesQuery.js";
import { type Cell, csvText, jsonText } from "./tables.js";

/** Columns of /series.csv, in order (the first twelve as before; interval, decimals, stale added at the end). */
export const SERIES_COLUMNS = [
  "protocol",
  "metric",
  "unit",
  "timestamp",
  "date",
  "value",
  "raw",
  "partial",
  "block",
  "note",
  "priceSource",
  "priceTime",
  "interval",
  "decimals",
  "stale",
] as const;

export type SeriesRow = Record<(typeof SERIES_COLUMNS)[number], Cell>;

type SeriesOut = ReturnType<typeof seriesOut>;

/** One row per point; `complete` drops the periods still open at the block. */
export function seriesRows(list: readonly SeriesOut[], stale: boolean, complete: boolean): SeriesRow[] {
  const rows: SeriesRow[] = [];
  for (const s of list) {
    for (const p of s.points) {
      if (complete && p.partial) continue;
      rows.push({
        protocol: s.protocol,
        metric: s.metric,
        unit: s.unit.symbol ?? s.unit.kind,
        timestamp: p.timestamp,
        date: p.date,
        value: p.value,
        raw: p.raw,
        partial: p.partial,
        block: s.block.number,
        note: p.note,
        priceSource: p.priceSource,
        priceTime: p.priceTime,
        interval: s.interval,
        decimals: s.unit.decimals,
        stale,
      });
    }
  }
  return rows;
}

/**
 * The series answer, through the same caches as GraphQL's `series` (core/answerCache.ts): reused while every
 * upstream is at the same block, and kept as the last good answer for `allowStale`.
 */
export async function seriesAnswer(
  gateway: Gateway,
  ctx: RequestContext,
  s: SeriesQuery,
): Promise<{ series: SeriesOut[]; stale: boolean }> {
  const { protocols, metrics, interval, from, to } = s.req;
  // The same question text as the GraphQL resolver's, so either can reuse the other's answer.
  const question = `series\u0000${JSON.stringify({ protocols, metrics, interval, from: String(from), to: String(to) })}`;
  const { value, stale } = await cachedAnswer(
    gateway,
    ctx,
    question,
    s.allowStale,
    async () => (await computeSeries(ctx, s.req)).map(seriesOut),
    { route: `series.${s.format}` },
  );
  return { series: stale ? value.map((x) => ({ ...x, stale: true })) : value, stale };
}

export interface RouteBody {
  type: string;
  body: string;
  /** A last good answer served because an upstream is down (allowStale): read at other blocks, never tagged. */
  stale?: boolean;
}

/** Computes the body of a parsed series request (CSV or JSON rows). */
export async function seriesBody(gateway: Gateway, ctx: RequestContext, s: SeriesQuery): Promise<RouteBody> {
  const { series, stale } = await seriesAnswer(gateway, ctx, s);
  const rows = seriesRows(series, stale, s.complete);
  return s.format === "json"
    ? { type: "application/json; charset=utf-8", body: jsonText(rows), stale }
    : { type: "text/csv; charset=utf-8", body: csvText(SERIES_COLUMNS, rows), stale };
}
