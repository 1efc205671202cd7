/**
 * GET /series.csv and /series.json: GraphQL's `series` as tidy rows, one per protocol × metric × period.
 * The request is parsed here (the same arguments as GraphQL: `protocols`, `metrics`, `interval`, `from`, `to`,
 * `allowStale`, plus `complete`), normalised into a canonical query string that the main thread hands to the
 * event loop or a worker (pool/executor.ts), and into the key the ETag is computed from.
 */

import type { RequestContext } from "../core/context.js";
import { badInput } from "../core/errors.js";
import type { Gateway } from "../core/gateway.js";
import { seriesOut } from "../graphql/output.js";
import { type SeriesRequest, validateSeriesArgs } from "../series/request.js";
import { type Interval, nextPeriod, periodStart } from "../series/rollup.js";
import { computeSeries } from "../series/series.js";
import { boolParam, listParam, onlyParams, timeParam } from "./params.js";

export type Format = "csv" | "json";

export interface SeriesQuery {
  /** from/to as GraphQL takes them: seconds (milliseconds already converted) or ISO-8601. */
  req: SeriesRequest;
  /** Drop the periods still open at the block (`partial`). */
  complete: boolean;
  allowStale: boolean;
  format: Format;
}

export const SERIES_PARAMS = [
  "protocols",
  "protocol",
  "metrics",
  "metric",
  "interval",
  "from",
  "to",
  "complete",
  "allowStale",
  "format",
] as const;

const INTERVALS: readonly Interval[] = ["HOUR", "DAY", "WEEK", "MONTH"];

/**
 * Parses a /series.csv or /series.json query string. `to` defaults to now. Throws BAD_USER_INPUT naming the
 * parameter (HTTP 400) for anything the series would refuse without reading an upstream.
 */
export function parseSeriesQuery(search: string, route: Format = "csv"): SeriesQuery {
  const q = new URLSearchParams(search);
  onlyParams(q, SERIES_PARAMS);
  const format = (q.get("format") ?? route).toLowerCase();
  if (format !== "csv" && format !== "json")
    throw badInput("format", `expected csv or json, got ${JSON.stringify(q.get("format"))}`);
  const interval = (q.get("interval") ?? "DAY").trim().toUpperCase();
  if (!INTERVALS.includes(interval as Interval))
    throw badInput("interval", `expected HOUR, DAY, WEEK or MONTH, got ${JSON.stringify(q.get("interval"))}`);
  const protocols = listParam(q, ["protocols", "protocol"]);
  if (protocols.length === 0)
    throw badInput(
      "protocols",
      "at least one protocol is required (protocols=a,b or protocol=a; see /protocols.csv)",
    );
  const metrics = listParam(q, ["metrics", "metric"]);
  if (metrics.length === 0)
    throw badInput("metrics", "at least one metric is required (metrics=a,b or metric=a; see /metrics.csv)");
  const fromText = q.get("from");
  if (fromText === null || fromText.trim() === "")
    throw badInput("from", "required: seconds, milliseconds or ISO-8601 (e.g. 2025-01-01)");
  const toText = q.get("to");
  const req: SeriesRequest = {
    protocols,
    metrics,
    interval: interval as Interval,
    from: timeParam("from", fromText),
    to:
      toText === null || toText.trim() === ""
        ? String(Math.floor(Date.now() / 1000))
        : timeParam("to", toText),
  };
  const { from, to } = validateSeriesArgs(req);
  return {
    req: wholePeriods(req, from, to),
    complete: boolParam(q, "complete", false),
    allowStale: boolParam(q, "allowStale", false),
    format,
  };
}

/** The query string a parsed request runs with (explicit `to`, canonical names): what the executor gets. */
export function canonicalSearch(s: SeriesQuery): string {
  const q = new URLSearchParams({
    protocols: s.req.protocols.join(","),
    metrics: s.req.metrics.join(","),
    interval: s.req.interval,
    from: String(s.req.from),
    to: String(s.req.to),
    complete: String(s.complete),
    allowStale: String(s.allowStale),
    format: s.format,
  });
  return `?${q.toString()}`;
}

/**
 * The request with from floored to the start of its period and to rounded up to the end of the period it
 * falls in: the same periods, hence the same answer (series/dense.ts reads [periodStart(from), end of to's
 * period)). So `to=now`, or Grafana's `${__to}`, asked again later in the same period is the same question
 * for the answer caches, allowStale and the ETag. Kept as asked when the rounded window would be over the
 * interval's limit.
 */
function wholePeriods(req: SeriesRequest, from: number, to: number): SeriesRequest {
  const rounded = {
    ...req,
    from: String(periodStart(from, req.interval)),
    to: String(nextPeriod(periodStart(to - 1, req.interval), req.interval)),
  };
  try {
    validateSeriesArgs(rounded);
    return rounded;
  } catch {
    return req;
  }
}

/** What the answer depends on besides the blocks (allowStale is not: a stale answer never gets an ETag). */
export function seriesKey(s: SeriesQuery): string {
  const { protocols, metrics, interval, from, to } = s.req;
  return JSON.stringify([s.format, protocols, metrics, interval, String(from), String(to), s.complete]);
}

/** Requests whose last good answer (allowStale) one worker keeps run on that worker (pool.ts). */
export function seriesPinKey(s: SeriesQuery): string | null {
  if (!s.allowStale) return null;
  const { protocols, metrics, interval, from, to } = s.req;
  return `series\u0000${JSON.stringify([protocols, metrics, interval, String(from), String(to)])}`;
}

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

export type Cell = string | number | boolean | null;
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

function csvCell(v: Cell): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 text: a header line, then one line per row; null is an empty cell. */
export function csvText<C extends string>(columns: readonly C[], rows: readonly Record<C, Cell>[]): string {
  const lines = [columns.join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return `${lines.join("\n")}\n`;
}

/** A JSON array of row objects, one row per line (null stays null; exact decimals stay strings). */
export function jsonText(rows: readonly object[]): string {
  if (rows.length === 0) return "[]\n";
  return `[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`;
}

const isUpstreamFailure = (e: unknown) =>
  e instanceof Error &&
  "extensions" in e &&
  String((e as { extensions: { code?: unknown } }).extensions.code ?? "").startsWith("UPSTREAM_");

/**
 * The series answer, through the same caches as GraphQL's `series` (graphql/resolvers.ts): reused while every
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
  try {
    const series = await gateway.answers.getOrCompute(`${question}\u0000${await ctx.blocksKey()}`, async () =>
      (await computeSeries(ctx, s.req)).map(seriesOut),
    );
    gateway.lastGood.set(question, series);
    return { series, stale: false };
  } catch (e) {
    const last =
      s.allowStale && isUpstreamFailure(e) ? gateway.lastGood.get<SeriesOut[]>(question) : undefined;
    if (last === undefined) throw e;
    gateway.logger?.warn(
      { route: `series.${s.format}`, error: (e as Error).message },
      "upstream failed: serving the last good answer (allowStale)",
    );
    return { series: last.map((x) => ({ ...x, stale: true })), stale: true };
  }
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
