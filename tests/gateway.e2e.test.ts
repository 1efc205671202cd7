/**
 * End to end: the real stack (chain + graph-node + subgraph, stack/src/harness.ts) and the gateway.
 * Compares the gateway's DAY, WEEK (and MONTH) series to the simulator's ground truth exactly, and counts
 * upstream requests. Skipped while the harness does not exist.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRICS_BY_NAME } from "../api/src/metrics/catalog.js";
import { type GatewayHandle, startGateway } from "../api/src/server.js";

const harnessPath = fileURLToPath(new URL("../stack/src/harness.ts", import.meta.url));
const hasHarness = existsSync(harnessPath);

interface StackHandle {
  graphqlUrl: string;
  statusUrl: string;
  groundTruthPath: string;
  stop(): Promise<void>;
}
type GtRow = Record<string, unknown> & { timestamp: number | string; date?: string };
interface GroundTruth {
  protocols: Record<
    string,
    {
      token: { address: string; symbol: string; decimals: number };
      feeAsset: unknown;
      daily: GtRow[];
      weekly?: GtRow[];
      monthly?: GtRow[];
    }
  >;
}
interface SeriesOut {
  protocol: string;
  metric: string;
  points: { timestamp: number; date: string; value: string | null; raw: string | null; partial: boolean }[];
}

const DAY = 86_400;
const seconds = (v: number | string) => {
  const n = Number(v);
  return n > 1e14 ? Math.floor(n / 1e6) : n > 1e11 ? Math.floor(n / 1e3) : n;
};
const isoDate = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

/** Ground-truth keys the gateway has as a metric with an exact integer value (amount or count). */
function comparableKeys(rows: GtRow[], interval: "DAY" | "WEEK" | "MONTH"): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  return [...keys].filter((k) => {
    const m = METRICS_BY_NAME.get(k);
    if (!m) return false;
    return m.intervals.includes(interval) && m.unit !== "RATIO" && m.unit !== "RATE_PER_YEAR";
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, SeriesOut[]>; errors?: unknown[] };
}

const QUERY = `query E2E($p: [String!]!, $md: [String!]!, $mw: [String!]!, $from: String!, $to: String!) {
  day: series(protocols: $p, metrics: $md, interval: DAY, from: $from, to: $to) { protocol metric points { timestamp date value raw partial } }
  week: series(protocols: $p, metrics: $mw, interval: WEEK, from: $from, to: $to) { protocol metric points { timestamp date value raw partial } }
}`;

describe.skipIf(!hasHarness)("gateway against the real stack", () => {
  let stack: StackHandle;
  let gw: GatewayHandle;
  let gt: GroundTruth;

  beforeAll(async () => {
    const mod = (await import(harnessPath)) as {
      startStack(o: { days?: number; seed?: number; gateway?: boolean }): Promise<StackHandle>;
    };
    stack = await mod.startStack({ days: 21, seed: 7, gateway: false });
    gt = JSON.parse(readFileSync(stack.groundTruthPath, "utf8")) as GroundTruth;
    gw = await startGateway({
      port: 0,
      logger: pino({ level: "warn" }),
      upstreams: [{ name: "stack", url: stack.graphqlUrl, statusUrl: stack.statusUrl, network: "local" }],
      config: { snapshotTtlMs: 0, cacheEntries: 0 },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await stack?.stop();
  });

  it("matches the ground truth DAY and WEEK series exactly, in two upstream requests", async () => {
    const protocols = Object.keys(gt.protocols);
    expect(protocols.length).toBeGreaterThan(0);
    const allDaily = protocols.flatMap((p) => gt.protocols[p]?.daily ?? []);
    const allWeekly = protocols.flatMap((p) => gt.protocols[p]?.weekly ?? []);
    const dayKeys = comparableKeys(allDaily, "DAY");
    const weekKeys = comparableKeys(allWeekly, "WEEK");
    expect(dayKeys.length).toBeGreaterThan(3);
    const first = Math.min(...allDaily.map((r) => seconds(r.timestamp)));
    const last = Math.max(...allDaily.map((r) => seconds(r.timestamp)));

    const before = gw.gateway.upstreamRequests();
    const res = await gql(gw.url, QUERY, {
      p: protocols,
      md: dayKeys,
      mw: weekKeys.length > 0 ? weekKeys : ["minted"],
      from: String(first),
      to: String(last + DAY),
    });
    expect(res.errors).toBeUndefined();
    // One snapshot (_meta + protocols) and one batched data request for every protocol, metric and interval.
    expect(gw.gateway.upstreamRequests() - before).toBe(2);

    const mismatches: string[] = [];
    for (const p of protocols) {
      const truth = gt.protocols[p];
      if (!truth) continue;
      for (const metric of dayKeys) {
        const s = res.data?.day?.find((x) => x.protocol === p && x.metric === metric);
        const byDate = new Map(s?.points.map((pt) => [pt.date, pt]) ?? []);
        for (const row of truth.daily) {
          const date = row.date ?? isoDate(seconds(row.timestamp));
          const pt = byDate.get(date);
          if (!pt) {
            // Only the last day may still be open at the indexed block.
            if (seconds(row.timestamp) !== last) mismatches.push(`${p} ${metric} ${date}: missing`);
            continue;
          }
          const want = row[metric] === null || row[metric] === undefined ? null : String(row[metric]);
          if (want !== pt.raw) mismatches.push(`${p} DAY ${metric} ${date}: gateway ${pt.raw} truth ${want}`);
        }
      }
      for (const metric of weekKeys) {
        const s = res.data?.week?.find((x) => x.protocol === p && x.metric === metric);
        const byStart = new Map(s?.points.map((pt) => [pt.timestamp, pt]) ?? []);
        for (const row of truth.weekly ?? []) {
          const pt = byStart.get(seconds(row.timestamp));
          if (!pt) continue;
          const want = row[metric] === null || row[metric] === undefined ? null : String(row[metric]);
          if (want !== pt.raw)
            mismatches.push(`${p} WEEK ${metric} ${isoDate(pt.timestamp)}: gateway ${pt.raw} truth ${want}`);
        }
      }
    }
    expect(mismatches.slice(0, 40)).toEqual([]);
  });

  it("reports upstream status", async () => {
    const res = await fetch(gw.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: "{ status { ok health synced block { number } lagBlocks errors { code message } } }",
      }),
    });
    const body = (await res.json()) as { data: { status: { ok: boolean; errors: unknown[] }[] } };
    expect(body.data.status[0]?.ok).toBe(true);
    expect(body.data.status[0]?.errors).toEqual([]);
  });
});
