/**
 * The served value of every calibration target (contracts/src/calibration/targets.ts), read through the gateway as an
 * analyst reads it: the dashboard's default window (the last DEFAULT_WINDOW_DAYS days to the newest indexed block),
 * `scorecard`, `compare` window values, `series` and `protocols`. Values are numbers (exact decimal strings parsed:
 * bands are approximate) or null where the gateway answers null.
 */
import {
  DEFAULT_WINDOW_DAYS,
  type ProtocolCalibration,
  type Read,
  readId,
  type Target,
} from "../../contracts/src/calibration/targets.js";
import { gql } from "../../stack/src/harness.js";

const DAY = 86_400;
const isoDay = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
const num = (v: string | number | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

interface ProtocolRow {
  id: string;
  block: { timestamp: number };
  totalSupply: { value: string };
  staked: { value: string } | null;
  stakingRatio: number | null;
  operators: number | null;
  stakers: number | null;
  holders: number;
}

/** The default window as the dashboard computes it from the newest indexed block. */
export interface Window {
  from: string;
  to: string;
  days: number;
}

export interface Served {
  window: Window;
  /** Key `<protocol>/<target id>`; only targets the gateway serves. */
  values: Map<string, number | null>;
}

export const servedKey = (protocol: string, t: Target) => `${protocol}/${t.id}`;

/** Reads every served target's value; one query per scorecard, window metric and series. */
export async function readServed(url: string, cals: readonly ProtocolCalibration[]): Promise<Served> {
  const { protocols } = await gql<{ protocols: ProtocolRow[] }>(
    url,
    "{ protocols { id block { timestamp } totalSupply { value } staked { value } stakingRatio operators stakers holders } }",
  );
  const blockTs = Math.max(...protocols.map((p) => p.block.timestamp));
  const window: Window = {
    from: isoDay(blockTs - DEFAULT_WINDOW_DAYS * DAY),
    to: String(blockTs),
    days: DEFAULT_WINDOW_DAYS,
  };
  const reads = cals.flatMap((c) =>
    c.targets.flatMap((t) =>
      t.read ? [{ key: servedKey(c.protocol, t), read: t.read, id: readId(t.read, c.protocol) }] : [],
    ),
  );

  const scorecards = new Map<string, Map<string, number | null>>();
  const scorecard = async (id: string) => {
    const have = scorecards.get(id);
    if (have) return have;
    const d = await gql<{ scorecard: { lines: { metric: string; value: string | null }[] } }>(
      url,
      "query($p: String!, $w: Int!) { scorecard(protocol: $p, window: $w) { lines { metric value } } }",
      { p: id, w: DEFAULT_WINDOW_DAYS },
    );
    const lines = new Map(d.scorecard.lines.map((l) => [l.metric, num(l.value)]));
    scorecards.set(id, lines);
    return lines;
  };
  const windowValues = new Map<string, number | null>();
  const windowValue = async (id: string, metric: string) => {
    const k = `${id}|${metric}`;
    if (!windowValues.has(k)) {
      const d = await gql<{ compare: { window: { protocol: string; value: string | null }[] } }>(
        url,
        "query($ps: [String!]!, $m: String!, $f: String!, $t: String!) { compare(protocols: $ps, metric: $m, interval: DAY, from: $f, to: $t) { window { protocol value } } }",
        { ps: [id], m: metric, f: window.from, t: window.to },
      );
      windowValues.set(k, num(d.compare.window.find((w) => w.protocol === id)?.value));
    }
    return windowValues.get(k) ?? null;
  };
  const seriesValues = async (id: string, metric: string) => {
    const d = await gql<{ series: { points: { value: string | null }[] }[] }>(
      url,
      "query($ps: [String!]!, $ms: [String!]!, $f: String!, $t: String!) { series(protocols: $ps, metrics: $ms, interval: DAY, from: $f, to: $t) { points { value } } }",
      { ps: [id], ms: [metric], f: window.from, t: window.to },
    );
    return (d.series[0]?.points ?? []).map((p) => num(p.value)).filter((v): v is number => v !== null);
  };

  const servedValue = async (read: Read, id: string): Promise<number | null> => {
    switch (read.from) {
      case "scorecard": {
        const lines = await scorecard(id);
        if (!lines.has(read.line)) throw new Error(`scorecard of ${id} has no line "${read.line}"`);
        return lines.get(read.line) ?? null;
      }
      case "protocol": {
        const p = protocols.find((x) => x.id === id);
        if (!p)
          throw new Error(`protocols has no id "${id}" (ids: ${protocols.map((x) => x.id).join(", ")})`);
        const v = p[read.field];
        return typeof v === "object" && v !== null ? num(v.value) : num(v);
      }
      case "window": {
        const v = await windowValue(id, read.metric);
        return v === null || read.per !== "day" ? v : v / window.days;
      }
      case "windowRatio": {
        const a = await windowValue(id, read.numerator);
        const b = await windowValue(id, read.denominator);
        return a === null || b === null || b === 0 ? null : a / b;
      }
      case "series": {
        const vs = await seriesValues(id, read.metric);
        const max = vs.length > 0 ? Math.max(...vs) : 0;
        return max > 0 ? (vs[vs.length - 1] as number) / max : null;
      }
    }
  };

  const values = new Map<string, number | null>();
  for (const r of reads) values.set(r.key, await servedValue(r.read, r.id));
  return { window, values };
}
