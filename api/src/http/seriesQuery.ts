/**
 * The request of GET /series.csv and /series.json: the same arguments as GraphQL's `series` (`protocols`,
 * `metrics`, `interval`, `from`, `to`, `allowStale`, plus `complete` and `format`), checked as the series would
 * without reading an upstream, normalised into a canonical query string that the main thread hands to the event
 * loop or a worker (pool/executor.ts), and into the key the ETag is computed from.
 */
import { badInput } from "../core/errors.js";
import { type SeriesRequest, validateSeriesArgs } from "../series/request.js";
import { type Interval, nextPeriod, periodStart } from "../series/rollup.js";
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
