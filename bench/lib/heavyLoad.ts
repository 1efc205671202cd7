/**
 * The heavy-load scenario of the gateway bench: N heavy clients (the largest request the gateway allows,
 * every one a new question) and one light client (an ordinary scorecard) against a gateway with its load
 * protections (cost limit, per-client budgets, worker pool: the defaults) and, in the same run, against a
 * gateway without them (the baseline: everything on the event loop, no limits).
 */
import { loadavg } from "node:os";
import type { Logger } from "pino";
import type { GatewayConfigInput, UpstreamConfig } from "../../api/src/core/config.js";
import { parseConfig } from "../../api/src/core/config.js";
import { startGateway } from "../../api/src/http/server.js";
import { METRICS } from "../../api/src/metrics/catalog.js";
import { seriesCost } from "../../api/src/protections/cost.js";
import { contention, type HeavyResult, type LightResult } from "./contention.js";
import { round, type Summary, summarize } from "./stats.js";

const DAY = 86_400;

export interface HeavyLoadOptions {
  upstream: UpstreamConfig;
  protocols: string[];
  /** Last day of the heavy window (exclusive, 00:00 UTC) and the newest block's timestamp. */
  to: number;
  horizon: number;
  heavyClients: number;
  seconds: number;
  lightQuery: string;
  lightPauseMs: number;
  logger: Logger;
}

export interface ModeResult {
  mode: "without protections" | "with protections";
  light: Summary & { failed: number; refused: number; errors: string[] };
  heavy: HeavyResult & { latency: Summary; okPerSec: number; pointsPerSec: number; refusedRate: number };
  loadBefore: number[];
  loadAfter: number[];
}

export interface HeavyLoadResult {
  protocols: number;
  days: number;
  metrics: number;
  points: number;
  cost: number;
  limit: number;
  modes: ModeResult[];
}

/** The longest window of every DAY metric for these protocols whose estimated cost fits the limit. */
function largestRequest(protocols: string[], to: number, horizon: number, limit: number) {
  const metrics = METRICS.filter((m) => m.intervals.includes("DAY")).map((m) => m.name);
  const cost = (days: number) =>
    seriesCost("series", { protocols, metrics, interval: "DAY", from: to - days * DAY, to }, horizon);
  let days = 1;
  while (cost(days + 1).cost <= limit) days++;
  return { metrics, days, estimate: cost(days) };
}

export async function heavyLoad(o: HeavyLoadOptions): Promise<HeavyLoadResult> {
  const keys = Array.from(
    { length: o.heavyClients + 1 },
    (_, i) => `bench-client-${String(i).padStart(8, "0")}`,
  );
  const limit = parseConfig({ upstreams: [o.upstream] }).maxRequestCost;
  const { metrics, days, estimate } = largestRequest(o.protocols, o.to, o.horizon, limit);
  const template = JSON.stringify({
    query: `{ series(protocols: ${JSON.stringify(o.protocols)}, metrics: ${JSON.stringify(metrics)}, interval: DAY, from: "__FROM__", to: "__TO__") { protocol metric points { date value } } }`,
  });
  const modes: [ModeResult["mode"], Partial<GatewayConfigInput>][] = [
    // the baseline: what the gateway was before (everything on the event loop, no limits)
    [
      "without protections",
      { workers: 0, maxRequestCost: 0, clientConcurrentCost: 0, clientCostPerWindow: 0, apiKeys: keys },
    ],
    ["with protections", { apiKeys: keys }],
  ];
  const out: ModeResult[] = [];
  for (const [mode, config] of modes) {
    const gw = await startGateway({ port: 0, logger: o.logger, upstreams: [o.upstream], config });
    try {
      const loadBefore = loadavg().map((x) => round(x));
      const r = await contention(
        gw.graphqlUrl,
        o.seconds,
        // request k of client i: the window moved back k × clients + i days, every request a new question
        { clients: o.heavyClients, template, from: o.to - days * DAY, to: o.to, stride: 1, apiKeys: keys },
        {
          body: JSON.stringify({ query: o.lightQuery }),
          pauseMs: o.lightPauseMs,
          apiKey: keys[o.heavyClients] ?? null,
        },
      );
      const loadAfter = loadavg().map((x) => round(x));
      out.push(describe(mode, r.light, r.heavy, estimate.points, loadBefore, loadAfter));
    } finally {
      await gw.stop();
    }
    await new Promise((r) => setTimeout(r, 3000)); // let graph-node and PostgreSQL settle between modes
  }
  return {
    protocols: o.protocols.length,
    days,
    metrics: metrics.length,
    points: estimate.points,
    cost: estimate.cost,
    limit,
    modes: out,
  };
}

function describe(
  mode: ModeResult["mode"],
  light: LightResult,
  heavy: HeavyResult,
  points: number,
  loadBefore: number[],
  loadAfter: number[],
): ModeResult {
  return {
    mode,
    light: { ...summarize(light.ms), failed: light.failed, refused: light.refused, errors: light.errors },
    heavy: {
      ...heavy,
      latency: summarize(heavy.okMs),
      okPerSec: heavy.ok / heavy.elapsed,
      pointsPerSec: (heavy.ok * points) / heavy.elapsed,
      refusedRate: heavy.sent > 0 ? heavy.refused / heavy.sent : 0,
    },
    loadBefore,
    loadAfter,
  };
}
