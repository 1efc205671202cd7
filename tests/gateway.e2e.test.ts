/**
 * End to end: the real stack (chain + graph-node + subgraph, stack/src/harness.ts) and the gateway.
 * Compares the gateway's HOUR, DAY, WEEK and MONTH series to the simulator's ground truth exactly, and
 * counts upstream requests. Skipped while the harness does not exist.
 */
import { existsSync, readFileSync } from "node:fs";
import { type AddressInfo, connect, createServer as createNetServer, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, startGateway } from "../api/src/http/server.js";
import { parseUnits } from "../api/src/metrics/amount.js";
import { METRICS_BY_NAME } from "../api/src/metrics/catalog.js";

const harnessPath = fileURLToPath(new URL("../stack/src/harness.ts", import.meta.url));
const hasHarness = existsSync(harnessPath);

interface StackHandle {
  graphqlUrl: string;
  statusUrl: string;
  groundTruthPath: string;
  stop(): Promise<void>;
}
type GtRow = Record<string, unknown> & { timestamp: number; date?: string };
interface ProtocolTruth {
  token: { address: string; symbol: string; decimals: number };
  feeAsset: unknown;
  daily: GtRow[];
  hourly?: GtRow[];
  weekly?: GtRow[];
  monthly?: GtRow[];
}
interface GroundTruth {
  protocols: Record<string, ProtocolTruth>;
  prices: Record<string, { name: string; daily: { timestamp: number; close: string }[] }>;
}
interface SeriesOut {
  protocol: string;
  metric: string;
  applicable: boolean;
  points: { timestamp: number; date: string; value: string | null; raw: string | null; partial: boolean }[];
}

const DAY = 86_400;
/** Ground-truth keys named differently from the gateway's metrics. */
const ALIASES: Record<string, string> = {
  curationFees: "curatorFees",
  grossEmissionUsd: "tokenIncentivesUsd",
};
/** A USD metric is null when part of its flow had no usable price (docs/metrics.md, "In USD"). */
const UNPRICED: Record<string, string> = {
  feesUsd: "feesUnpriced",
  burnedUsd: "burnedUnpriced",
  grossEmissionUsd: "grossEmissionUnpriced",
};
/** The value the gateway must answer for a truth key of a row (or rolled-up row). */
const want = (row: Record<string, unknown> | undefined, key: string, fallback: unknown = null): unknown => {
  if (!row) return fallback;
  const u = UNPRICED[key];
  if (u && String(row[u] ?? "0") !== "0") return null;
  // tokenIncentivesUsd values emission only: null in a period with distributed incentives (docs/metrics.md)
  if (key === "grossEmissionUsd" && String(row.distributedIncentives ?? "0") !== "0") return null;
  return row[key];
};
const metricOf = (key: string) => ALIASES[key] ?? key;
const isoDate = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);

/** Ground-truth keys the gateway has as a metric with an exact integer value for the interval. */
function comparableKeys(
  rows: GtRow[],
  interval: "HOUR" | "DAY" | "WEEK" | "MONTH",
  kinds?: string[],
): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  return [...keys].filter((k) => {
    const m = METRICS_BY_NAME.get(metricOf(k));
    if (!m) return false;
    if (kinds && !kinds.includes(m.kind)) return false;
    return m.intervals.includes(interval) && m.unit !== "RATIO" && m.unit !== "RATE_PER_YEAR";
  });
}

const weekOf = (ts: number) => {
  const day = Math.floor(ts / DAY);
  return (day - ((day + 3) % 7)) * DAY;
};
const monthOf = (ts: number) => {
  const d = new Date(ts * 1000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 1000;
};

/** Weekly / monthly rows derived from the ground truth's daily rows (flows summed, stocks at the last day). */
function rollupTruth(
  daily: GtRow[],
  key: (ts: number) => number,
  stockKeys: string[],
): Map<number, Record<string, bigint>> {
  const out = new Map<number, Record<string, bigint>>();
  for (const r of daily) {
    const k = key(r.timestamp);
    const acc = out.get(k) ?? {};
    for (const [f, v] of Object.entries(r)) {
      if (f === "timestamp" || f === "date" || typeof v === "boolean" || v === null) continue;
      if (!/^-?\d+$/.test(String(v))) continue;
      acc[f] = stockKeys.includes(f) ? BigInt(String(v)) : (acc[f] ?? 0n) + BigInt(String(v));
    }
    out.set(k, acc);
  }
  return out;
}

async function gql(url: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: Record<string, SeriesOut[]>; errors?: unknown[] };
}

const POINTS = "protocol metric applicable points { timestamp date value raw partial }";
const QUERY = `query E2E($p: [String!]!, $mh: [String!]!, $md: [String!]!, $mw: [String!]!, $from: String!, $to: String!) {
  hour: series(protocols: $p, metrics: $mh, interval: HOUR, from: $from, to: $to) { ${POINTS} }
  day: series(protocols: $p, metrics: $md, interval: DAY, from: $from, to: $to) { ${POINTS} }
  week: series(protocols: $p, metrics: $mw, interval: WEEK, from: $from, to: $to) { ${POINTS} }
  month: series(protocols: $p, metrics: $mw, interval: MONTH, from: $from, to: $to) { ${POINTS} }
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

  it("matches the ground truth exactly (HOUR, DAY, WEEK, MONTH) in two upstream requests", async () => {
    const protocols = Object.keys(gt.protocols);
    expect(protocols.length).toBeGreaterThan(0);
    const truths = protocols.map((p) => gt.protocols[p] as ProtocolTruth);
    const allDaily = truths.flatMap((t) => t.daily);
    const dayKeys = comparableKeys(allDaily, "DAY");
    const hourKeys = comparableKeys(allDaily, "HOUR", ["FLOW"]);
    const weekKeys = comparableKeys(allDaily, "WEEK");
    expect(dayKeys.length).toBeGreaterThan(10);
    const first = Math.min(...allDaily.map((r) => r.timestamp));
    const last = Math.max(...allDaily.map((r) => r.timestamp));

    const before = gw.gateway.upstreamRequests();
    const res = await gql(gw.graphqlUrl, QUERY, {
      p: protocols,
      mh: hourKeys.map(metricOf),
      md: dayKeys.map(metricOf),
      mw: weekKeys.map(metricOf),
      from: String(first),
      to: String(last + DAY),
    });
    expect(res.errors).toBeUndefined();
    // One snapshot (_meta + protocols) and one batched data request for every protocol, metric and interval.
    expect(gw.gateway.upstreamRequests() - before).toBe(2);

    const mismatches: string[] = [];
    const stockKeys = ["totalSupply", "staked", "operators", "stakers", "holders", "cumulativeFees"];
    const check = (
      interval: string,
      p: string,
      key: string,
      s: SeriesOut | undefined,
      ts: number,
      want: unknown,
    ) => {
      if (!s) {
        mismatches.push(`${p} ${interval} ${key}: no series`);
        return;
      }
      if (!s.applicable) {
        // null by design (e.g. Livepeer protocolTax): the truth must not have moved it (else the spec misses a field)
        if (want !== null && want !== undefined && String(want) !== "0")
          mismatches.push(
            `${p} ${interval} ${key} ${isoDate(ts)}: not applicable, but the truth has ${String(want)}`,
          );
        return;
      }
      const pt = s.points.find((x) => x.timestamp === ts);
      const w = want === null || want === undefined ? null : String(want);
      if (!pt) mismatches.push(`${p} ${interval} ${key} ${isoDate(ts)}: missing (truth ${w})`);
      else if (pt.raw !== w)
        mismatches.push(`${p} ${interval} ${key} ${pt.date}: gateway ${pt.raw} truth ${w}`);
    };
    const find = (list: SeriesOut[] | undefined, p: string, key: string) =>
      list?.find((x) => x.protocol === p && x.metric === metricOf(key));

    for (const p of protocols) {
      const truth = gt.protocols[p] as ProtocolTruth;
      for (const key of dayKeys) {
        for (const row of truth.daily)
          check("DAY", p, key, find(res.data?.day, p, key), row.timestamp, want(row, key));
      }
      // Hours: the truth lists hours with events; every other hour must be 0, but those before the protocol's
      // first hour with an event, which are unknown (null, not 0: docs/metrics.md, "Unknown is not 0").
      const firstHour = Math.min(...(truth.hourly ?? []).map((r) => r.timestamp));
      for (const key of hourKeys) {
        const s = find(res.data?.hour, p, key);
        const byTs = new Map((truth.hourly ?? []).map((r) => [r.timestamp, r]));
        for (const pt of s?.points ?? []) {
          if (pt.timestamp < first || pt.timestamp >= last + DAY) continue;
          const truthValue = pt.timestamp < firstHour ? null : want(byTs.get(pt.timestamp), key, "0");
          check("HOUR", p, key, s, pt.timestamp, truthValue);
        }
      }
      // Weeks and months: distinct counts from the truth's own rows; flows and stocks rolled up from its days.
      for (const [interval, list, rows, keyFn] of [
        ["WEEK", res.data?.week, truth.weekly ?? [], weekOf],
        ["MONTH", res.data?.month, truth.monthly ?? [], monthOf],
      ] as const) {
        const rolled = rollupTruth(truth.daily, keyFn, stockKeys);
        for (const key of weekKeys) {
          const m = METRICS_BY_NAME.get(metricOf(key));
          if (m?.kind === "DISTINCT") {
            for (const row of rows) check(interval, p, key, find(list, p, key), row.timestamp, row[key]);
          } else {
            for (const [ts, acc] of rolled) check(interval, p, key, find(list, p, key), ts, want(acc, key));
          }
        }
      }
    }
    expect(mismatches.slice(0, 40)).toEqual([]);
  });

  it("prices: price, feeAssetPrice and marketCap per day equal the ground truth's last close (stale after maxAge), with their source and time", async () => {
    const MAX_AGE = 90_000; // the local deployment's prices.maxAgeSeconds
    const protocols = Object.keys(gt.protocols);
    const allDaily = protocols.flatMap((p) => (gt.protocols[p] as ProtocolTruth).daily);
    const first = Math.min(...allDaily.map((r) => r.timestamp));
    const last = Math.max(...allDaily.map((r) => r.timestamp));
    const q = `query($p: [String!]!, $from: String!, $to: String!) {
      s: series(protocols: $p, metrics: ["price", "feeAssetPrice", "marketCap"], interval: DAY, from: $from, to: $to) {
        protocol metric points { timestamp raw note priceSource priceTime }
      } }`;
    const res = (await (
      await fetch(gw.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: q,
          variables: { p: protocols, from: String(first), to: String(last + DAY) },
        }),
      })
    ).json()) as {
      data?: {
        s: {
          protocol: string;
          metric: string;
          points: {
            timestamp: number;
            raw: string | null;
            note: string | null;
            priceSource: string | null;
            priceTime: number | null;
          }[];
        }[];
      };
      errors?: unknown[];
    };
    expect(res.errors).toBeUndefined();
    const mismatches: string[] = [];
    let priced = 0;
    let stale = 0;
    for (const s of res.data?.s ?? []) {
      const truth = gt.protocols[s.protocol] as ProtocolTruth;
      const asset = s.metric === "feeAssetPrice" ? String(truth.feeAsset) : truth.token.address;
      const rows = gt.prices[asset.toLowerCase()]?.daily ?? [];
      const supply = new Map(truth.daily.map((r) => [r.timestamp, BigInt(String(r.totalSupply))]));
      for (const pt of s.points) {
        const end = pt.timestamp + DAY;
        const row = [...rows].reverse().find((r) => r.timestamp < end);
        const usable = row && end - (row.timestamp + DAY) <= MAX_AGE ? BigInt(row.close) : null;
        const want =
          usable === null
            ? null
            : s.metric === "marketCap"
              ? String(((supply.get(pt.timestamp) ?? 0n) * usable) / 10n ** 18n)
              : String(usable);
        if (pt.raw !== want)
          mismatches.push(`${s.protocol} ${s.metric} ${pt.timestamp}: gateway ${pt.raw}, truth ${want}`);
        if (usable !== null) {
          priced++;
          if (pt.priceTime !== row?.timestamp || !pt.priceSource)
            mismatches.push(
              `${s.protocol} ${s.metric} ${pt.timestamp}: price time ${pt.priceTime}, source ${pt.priceSource}`,
            );
        } else {
          stale++;
          if (!pt.note) mismatches.push(`${s.protocol} ${s.metric} ${pt.timestamp}: null without a note`);
        }
      }
    }
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(priced).toBeGreaterThan(50);
    // (a daily close is stale only after more than a day without observations: none in this history)
    expect(priced + stale).toBe(3 * protocols.length * 21);
  });

  it("compare: the whole-window value equals the sum of the truth's days", async () => {
    const protocols = Object.keys(gt.protocols);
    const allDaily = protocols.flatMap((p) => (gt.protocols[p] as ProtocolTruth).daily);
    const first = Math.min(...allDaily.map((r) => r.timestamp));
    const last = Math.max(...allDaily.map((r) => r.timestamp));
    const res = await fetch(gw.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ compare(protocols: ${JSON.stringify(protocols)}, metric: "grossEmission", interval: WEEK, from: "${first}", to: "${last + DAY}") { window { protocol value unit { decimals } } } }`,
      }),
    });
    const body = (await res.json()) as {
      data: { compare: { window: { protocol: string; value: string | null; unit: { decimals: number } }[] } };
    };
    for (const w of body.data.compare.window) {
      const truth = gt.protocols[w.protocol] as ProtocolTruth;
      const sum = truth.daily.reduce((a, r) => a + BigInt(String(r.grossEmission)), 0n);
      // null for a protocol that mints no rewards (SingularityNET on Ethereum): its truth never moved it
      if (w.value === null) expect(sum, w.protocol).toBe(0n);
      else expect(parseUnits(w.value, w.unit.decimals)).toBe(sum);
    }
    expect(body.data.compare.window.filter((w) => w.value !== null).length).toBeGreaterThanOrEqual(3);
  });

  it("reports upstream status", async () => {
    const res = await fetch(gw.graphqlUrl, {
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

  it("an upstream that goes down: UPSTREAM_UNAVAILABLE, or with allowStale the last good answer marked stale", async () => {
    // A TCP proxy in front of the real graph-node, closed mid-test: the upstream goes down for real.
    const target = new URL(stack.graphqlUrl);
    const sockets = new Set<Socket>();
    const proxy = createNetServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on("error", () => s.destroy());
        s.on("close", () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
    const proxyPort = (proxy.address() as AddressInfo).port;
    const flaky = await startGateway({
      port: 0,
      logger: pino({ level: "silent" }),
      upstreams: [
        {
          name: "flaky",
          url: `http://127.0.0.1:${proxyPort}${target.pathname}`,
          network: "local",
        },
      ],
      config: { snapshotTtlMs: 0, snapshotKeepWarmMs: 0, retries: 0, timeoutMs: 3000, cacheEntries: 50 },
    });
    try {
      const protocol = Object.keys(gt.protocols)[0] as string;
      const days = gt.protocols[protocol]?.daily ?? [];
      const from = String(days[0]?.timestamp);
      const to = String((days.at(-1)?.timestamp ?? 0) + DAY);
      const series = (allowStale: boolean, start = from) =>
        gql(
          flaky.graphqlUrl,
          `query S($p: [String!]!, $from: String!, $to: String!, $s: Boolean) {
            series(protocols: $p, metrics: ["fees", "totalSupply"], interval: DAY, from: $from, to: $to, allowStale: $s) {
              metric stale block { number } points { timestamp value } } }`,
          { p: [protocol], from: start, to, s: allowStale },
        ) as Promise<{
          data?: { series: { stale: boolean; block: { number: number }; points: unknown[] }[] } | null;
          errors?: { extensions?: { code?: string } }[];
        }>;
      const fresh = await series(true);
      expect(fresh.errors).toBeUndefined();
      expect(fresh.data?.series.map((x) => x.stale)).toEqual([false, false]);
      expect(fresh.data?.series[0]?.points.length).toBe(days.length);

      await new Promise<void>((r) => {
        proxy.close(() => r());
        for (const s of sockets) s.destroy();
      });

      const down = await series(false);
      expect(down.data ?? null).toBeNull();
      expect(down.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");

      const stale = await series(true);
      expect(stale.errors).toBeUndefined();
      expect(stale.data?.series.map((x) => x.stale)).toEqual([true, true]);
      expect(stale.data?.series.map((x) => ({ ...x, stale: false }))).toEqual(fresh.data?.series);

      // Nothing was answered before for another window: still the error.
      const never = await series(true, String(Number(from) + DAY));
      expect(never.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    } finally {
      await flaky.stop();
      if (proxy.listening) await new Promise<void>((r) => proxy.close(() => r()));
    }
  });
});
