/**
 * The series engine: one SeriesResult per protocol × metric of a request, every upstream read batched. Dense
 * buckets are rolled up into the interval's periods (exact counts and prices attached), each metric computed per
 * period from the catalog's formula; null where the metric does not apply to the protocol or the period is before
 * its first data (with the reason). For compare, the whole window is also one period.
 */
import type { RequestContext } from "../core/context.js";
import type { ProtocolRef } from "../core/protocols.js";
import type { MetricDef, MetricValue } from "../metrics/define.js";
import { type DenseData, loadDense } from "./dense.js";
import { beforeFirstData, knownBuckets, unknownNote } from "./firstData.js";
import { attachPrices } from "./prices.js";
import { type SeriesRequest, validateSeriesArgs } from "./request.js";
import { type Interval, isoLabel, type Period, type PriceAt, rollup, toPeriod } from "./rollup.js";

export interface Point {
  timestamp: number;
  date: string;
  value: MetricValue;
  partial: boolean;
  /** Why an applicable value is null (MetricDef.note), else null. */
  note: string | null;
  /** The price a price-valued metric used (source and bucket), else null. */
  price: PriceAt | null;
}

export interface SeriesResult {
  /** The protocol id as asked ("morpheus", "local-b/morpheus"): what the answer is named by. */
  id: string;
  ref: ProtocolRef;
  metric: MetricDef;
  interval: Interval;
  points: Point[];
  /** The whole requested window as one period (for compare), from the protocol's first data on. */
  window: Period | null;
  /** Why there is no window although the metric applies: the window is wholly before the first data. */
  windowNote: string | null;
}

/** Periods of the interval with exact counts and prices attached where the data has them. */
export function periodsOf(data: DenseData, interval: Interval): Period[] {
  const periods = rollup(data.dense, interval, data.step);
  if (data.prices) for (const p of periods) attachPrices(p, data.prices);
  if (data.activity) {
    for (const p of periods) {
      p.activity = data.activity.get(p.start) ?? { payers: 0n, newPayers: 0n, activeStakers: 0n };
    }
  }
  return periods;
}

/** series(): one SeriesResult per protocol × metric, all upstream reads batched. */
export async function computeSeries(
  ctx: RequestContext,
  req: SeriesRequest,
  opts: { window?: boolean } = {},
): Promise<SeriesResult[]> {
  const { metrics, from, to } = validateSeriesArgs(req);
  const refs = await Promise.all(
    req.protocols.map(async (id) => ({ id, ref: await ctx.resolve(id, "protocols") })),
  );
  const sources = new Set(metrics.flatMap((m) => m.sources));
  const perProtocol = await Promise.all(
    refs.map(async ({ id, ref }) => {
      const data = await loadDense(ctx, ref, sources, req.interval, from, to);
      let windowPeriod: Period | null = null;
      const known = knownBuckets(data.dense, data.first);
      if (opts.window && known.length > 0) {
        const start = Math.max(data.start, known[0]?.start ?? data.start);
        windowPeriod = toPeriod(known, start, data.nominalEnd, data.step);
        attachPrices(windowPeriod, data.prices);
        if (metrics.some((m) => m.name === "payers" || m.name === "feePerPayer")) {
          const rows = await ctx.loadEach(ref, {
            kind: "payers",
            protocol: ref.protocol.id,
            from: windowPeriod.start,
            to: windowPeriod.end,
          });
          windowPeriod.activity = {
            payers: BigInt(new Set(rows.map((r) => String(r.payer))).size),
            newPayers: 0n,
            activeStakers: 0n,
          };
        }
      }
      // a window wholly before the first data is unknown (no window value, a note)
      const windowUnknown = !!opts.window && data.dense.length > 0 && known.length === 0;
      const periods = periodsOf(data, req.interval);
      return { id, ref, first: data.first, periods, windowPeriod, windowUnknown };
    }),
  );
  const out: SeriesResult[] = [];
  for (const { id, ref, first, periods, windowPeriod, windowUnknown } of perProtocol) {
    const dates = periods.map((p) => isoLabel(p.start, req.interval));
    const unknown = unknownNote(ref.protocol.name, first, req.interval);
    for (const metric of metrics) {
      const applies = metric.applies(ref.traits);
      out.push({
        id,
        ref,
        metric,
        interval: req.interval,
        points: periods.map((p, i) => {
          const before = beforeFirstData(p.nominalEnd, first);
          const value = applies && !before ? metric.compute(p, ref.traits) : null;
          return {
            timestamp: p.start,
            date: dates[i] ?? "",
            value,
            partial: p.partial,
            note: !applies
              ? null
              : before
                ? unknown
                : value === null && metric.note
                  ? metric.note(p, ref.traits)
                  : null,
            price: metric.priceUsed && !before ? metric.priceUsed(p) : null,
          };
        }),
        window:
          windowPeriod && applies && !(metric.kind === "DISTINCT" && metric.name !== "payers")
            ? windowPeriod
            : null,
        windowNote: applies && windowUnknown ? unknown : null,
      });
    }
  }
  return out;
}
