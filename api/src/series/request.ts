/**
 * A series request and its checks that need no upstream: protocols and metrics given and known, the interval
 * one the metric has, the time range in order and within the interval's window limit.
 */
import { badInput } from "../core/errors.js";
import { parseTime } from "../core/time.js";
import { METRICS_BY_NAME } from "../metrics/catalog.js";
import type { MetricDef } from "../metrics/define.js";
import { DAY, type Interval } from "./rollup.js";

/** Window limits (days) per interval. */
export const MAX_WINDOW_DAYS: Record<Interval, number> = { HOUR: 92, DAY: 3700, WEEK: 3700, MONTH: 3700 };
export const MAX_PROTOCOLS = 10;
export const MAX_METRICS = 64;

export interface SeriesRequest {
  protocols: readonly string[];
  metrics: readonly string[];
  interval: Interval;
  from: string | number;
  to: string | number;
}

/** Validation that needs no upstream: metric names, intervals, time range. */
export function validateSeriesArgs(
  req: SeriesRequest,
  metricArg = "metrics",
): { metrics: MetricDef[]; from: number; to: number } {
  if (req.protocols.length === 0) throw badInput("protocols", "at least one protocol is required");
  if (req.protocols.length > MAX_PROTOCOLS) throw badInput("protocols", `at most ${MAX_PROTOCOLS} protocols`);
  if (req.metrics.length === 0) throw badInput(metricArg, "at least one metric is required");
  if (req.metrics.length > MAX_METRICS) throw badInput(metricArg, `at most ${MAX_METRICS} metrics`);
  const metrics = req.metrics.map((name) => {
    const m = METRICS_BY_NAME.get(name);
    if (!m) {
      const hint = ["nakamotoCoefficient", "topOperatorShare"].includes(name)
        ? " (a current value: see scorecard)"
        : "";
      throw badInput(metricArg, `unknown metric ${JSON.stringify(name)}${hint}; see the metrics query`);
    }
    if (!m.intervals.includes(req.interval)) {
      throw badInput(
        "interval",
        `metric ${name} has no ${req.interval} series (it has ${m.intervals.join(", ")})`,
      );
    }
    return m;
  });
  const from = parseTime("from", req.from);
  const to = parseTime("to", req.to);
  if (from >= to) throw badInput("from", "from must be before to");
  const maxDays = MAX_WINDOW_DAYS[req.interval];
  if (to - from > maxDays * DAY)
    throw badInput("to", `window too large: at most ${maxDays} days for ${req.interval}`);
  return { metrics, from, to };
}
