/**
 * Gateway bench on the real local stack (embedded PostgreSQL, anvil with a simulated history, graph-node
 * indexing our subgraph, the gateway): latency of the gateway's queries cold and cached against the same
 * rows fetched straight from graph-node in the same run, throughput under concurrent clients, and what a
 * notebook user does without the gateway (page every raw fee payment and sum client-side).
 *
 *   node --import tsx bench/gateway.ts [--days 365] [--seed 7] [--start 2025-01-06] [--protocol livepeer]
 *       [--runs 1000] [--repeat-runs 20] [--cold-runs 10] [--clients 50] [--seconds 5] [--notebook-runs 3]
 *       [--heavy-clients 10] [--load-seconds 60 (0: no heavy-load scenario)] [--light-pause-ms 20] [--load-only]
 *   node --import tsx bench/gateway.ts --fake              # old mode: in-process fake graph-node, 3 years
 *   node --import tsx bench/gateway.ts --upstream <url>    # old mode against an existing graph-node
 *
 * Cold: a question the gateway has not answered before, on a running gateway (caches off; its `_meta`
 * snapshot kept fresh by its poller, as by default): every cold sample shifts the window's start one more day
 * back (series, compare, fees: `from` - i days; scorecard: window 30 + i days), so that no cache of the
 * gateway (responses, answers, upstream rows) and not graph-node's own query cache can answer; the direct
 * baseline of that sample uses the same shifted window. First query after start: a new gateway per sample
 * (no snapshot yet; reported, no target). Cached: the stack's own gateway (default config) answering the
 * same query again, sent by one client in a worker thread (its own event loop and heap, as a real client's)
 * over node:http keep-alive. Floor: the same client against a bare node:http server that sends the cached
 * answer's bytes, in the same run: what the machine and the client cost for an answer of that size.
 * Heavy load (lib/heavyLoad.ts): N heavy clients sending the largest request the gateway allows (every one a
 * new window) and one light client sending an ordinary scorecard, against a gateway with its protections
 * (defaults) and, in the same run, one without them (the baseline). `--load-only` runs only this scenario.
 * Prints one JSON line per scenario, then a table with the targets.
 * Benches report; they never fail the build (exit code 0 unless the bench itself breaks).
 */
// First: graphql must load with NODE_ENV=production (see the module) in this process, which runs the gateway.
import "../api/src/production.js";
import { parseArgs } from "node:util";
import pino from "pino";
import { type GatewayHandle, startGateway } from "../api/src/http/server.js";
import { METRICS_BY_NAME } from "../api/src/metrics/catalog.js";
import { startFakeGraphNode } from "../api/test/fakeGraphNode.js";
import { startStack } from "../stack/src/harness.js";
import {
  activityDays,
  DAY,
  type Field,
  feeDays,
  fetchAll,
  notebookDailyFees,
  operators,
  payers,
  postGraphQL,
  priceDays,
  tokenDays,
} from "./lib/direct.js";
import { synthetic } from "./lib/fakeData.js";
import { type HeavyLoadResult, heavyLoad } from "./lib/heavyLoad.js";
import { loadTest, staticServer } from "./lib/load.js";
import { ms, round, type Summary, summarize } from "./lib/stats.js";

const { values } = parseArgs({
  options: {
    fake: { type: "boolean", default: false },
    upstream: { type: "string" },
    stack: { type: "boolean", default: false },
    days: { type: "string", default: "365" },
    seed: { type: "string", default: "7" },
    start: { type: "string", default: "2025-01-06" },
    protocol: { type: "string", default: "livepeer" },
    runs: { type: "string", default: "1000" },
    "repeat-runs": { type: "string", default: "20" },
    "cold-runs": { type: "string", default: "10" },
    clients: { type: "string", default: "50" },
    seconds: { type: "string", default: "5" },
    "notebook-runs": { type: "string", default: "3" },
    "compare-metric": { type: "string", default: "incentiveCoverage" },
    "scorecard-window": { type: "string", default: "30" },
    "heavy-clients": { type: "string", default: "10" },
    "load-seconds": { type: "string", default: "60" },
    "light-pause-ms": { type: "string", default: "20" },
    "load-only": { type: "boolean", default: false },
    // old mode only
    from: { type: "string", default: "2022-01-01" },
    to: { type: "string", default: "2025-01-01" },
  },
});

const say = (s = "") => process.stdout.write(`${s}\n`);
const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const silent = pino({ level: "silent" });

/** Series metrics of the single-protocol scenario: token stocks and flows, fees, exact daily payers. */
const SERIES_METRICS = ["grossEmission", "totalSupply", "inflationRate", "fees", "payers"];
/** Metrics in USD (issue 12): event-time values, and values with the price at the period's end. */
const USD_METRICS = ["feesUsd", "tokenIncentivesUsd", "incentiveCoverage", "price", "marketCap"];
const CACHED_P99_TARGET_MS = 5;
const LIGHT_P99_TARGET_MS = 100;
const COLD_RATIO_TARGET = 1.5;

interface Scenario {
  name: string;
  /** The gateway query of cold sample `shift` (0: the cached query). */
  query(shift: number): string;
  /** The direct graph-node fields that fetch the same rows as the gateway does for `shift`. */
  direct(shift: number): Field[];
}

interface GatewayAnswer {
  data?: Record<string, unknown>;
  errors?: { message: string }[];
}

async function askGateway(url: string, query: string): Promise<GatewayAnswer> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as GatewayAnswer;
  if (body.errors?.length) throw new Error(`gateway: ${body.errors.map((e) => e.message).join("; ")}`);
  return body;
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

/** Sum of gateway_upstream_requests_total from a gateway's /metrics. */
async function upstreamCount(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let n = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith("gateway_upstream_requests_total{")) n += Number(line.split(" ").pop());
  }
  return n;
}

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

async function runStack(): Promise<void> {
  const days = Number(values.days);
  const seed = Number(values.seed);
  const simStart = Date.parse(`${values.start}T00:00:00Z`) / 1000;
  const protocol = values.protocol ?? "livepeer";
  const runs = Number(values.runs);
  const repeatRuns = Number(values["repeat-runs"]);
  const coldRuns = Number(values["cold-runs"]);
  const clients = Number(values.clients);
  const seconds = Number(values.seconds);
  const notebookRuns = Number(values["notebook-runs"]);
  const compareMetric = values["compare-metric"] ?? "incentiveCoverage";
  const scoreWindow = Number(values["scorecard-window"]);

  say(`gateway bench on the local stack: ${days} days simulated from ${iso(simStart)} (seed ${seed})`);
  say(
    `runs: ${runs} cached, ${coldRuns} cold, ${notebookRuns} notebook; load: ${clients} clients × ${seconds} s`,
  );
  const boot = await timed(() => startStack({ days, seed, start: simStart, gateway: true }));
  const stack = boot.value;
  say(`stack ready in ${(boot.ms / 1000).toFixed(0)} s`);
  const fresh: GatewayHandle[] = [];
  try {
    if (!stack.gatewayUrl) throw new Error("the stack started without a gateway");
    const gatewayBase = stack.gatewayUrl;
    const gatewayGraphql = `${gatewayBase}/graphql`;
    const upstream = { name: "local", url: stack.graphqlUrl, statusUrl: stack.statusUrl, network: "local" };

    const head = await postGraphQL<{
      _meta: { block: { number: number; timestamp: number } };
      protocols: { id: string; token: { id: string } }[];
    }>(
      stack.graphqlUrl,
      "{ _meta { block { number timestamp } } protocols(orderBy: id) { id token { id } } }",
    );
    const block = head._meta.block.number;
    const closedUntil = Math.floor(head._meta.block.timestamp / DAY) * DAY;
    const all = head.protocols.map((p) => p.id);
    // The fee asset as the gateway's catalog defines it: ETH for Livepeer tickets, the token elsewhere.
    const feeAsset = new Map(
      head.protocols.map((p) => [
        p.id,
        p.id === "livepeer" ? "0x0000000000000000000000000000000000000000" : p.token.id,
      ]),
    );
    const asset = (p: string) => feeAsset.get(p) ?? "";
    const tokenOf = (p: string) => head.protocols.find((x) => x.id === p)?.token.id ?? "";
    if (!all.includes(protocol)) throw new Error(`protocol ${protocol} not indexed; have ${all.join(", ")}`);
    const to = simStart + days * DAY;
    const dataEnd = Math.min(to, closedUntil);
    say(
      `graph-node at block ${block} (${new Date(head._meta.block.timestamp * 1000).toISOString()}); protocols: ${all.join(", ")}`,
    );

    /** Heavy clients and a light client, with and without the load protections (lib/heavyLoad.ts). */
    const heavyLoadScenario = async () => {
      const heavyClients = Number(values["heavy-clients"]);
      const r = await heavyLoad({
        upstream,
        protocols: all,
        to: Math.floor(dataEnd / DAY) * DAY,
        horizon: head._meta.block.timestamp,
        heavyClients,
        seconds: Number(values["load-seconds"]),
        lightQuery: `{ scorecard(protocol: "${protocol}", window: ${scoreWindow}) { block { number } from to lines { category metric value windowDays finding } } }`,
        lightPauseMs: Number(values["light-pause-ms"]),
        logger: silent,
      });
      printHeavyLoad(r, heavyClients, protocol, scoreWindow);
    };
    if (values["load-only"]) {
      await heavyLoadScenario();
      return;
    }

    const sourcesOf = (metrics: string[]) =>
      new Set(metrics.flatMap((m) => METRICS_BY_NAME.get(m)?.sources ?? []));
    const seriesFields = (p: string, from: number, sources: Set<string>, tag: string): Field[] => [
      ...(sources.has("token") ? tokenDays(`${tag}t`, p, from, dataEnd, block) : []),
      ...(sources.has("fee") ? [feeDays(`${tag}f`, p, asset(p), from, dataEnd, block)] : []),
      ...(sources.has("activity") ? [activityDays(`${tag}a`, p, from, to, block)] : []),
      ...(sources.has("price")
        ? [...new Set([tokenOf(p), asset(p)])].flatMap((a, k) =>
            priceDays(`${tag}p${k}`, a, from, dataEnd, block),
          )
        : []),
    ];
    const list = (xs: string[]) => JSON.stringify(xs);

    const scenarios: Scenario[] = [
      {
        name: `series ${protocol} DAY × ${SERIES_METRICS.length} metrics`,
        query: (i) =>
          `{ series(protocols: ["${protocol}"], metrics: ${list(SERIES_METRICS)}, interval: DAY, from: "${iso(simStart - i * DAY)}", to: "${iso(to)}") { protocol metric points { date value } } }`,
        direct: (i) => seriesFields(protocol, simStart - i * DAY, sourcesOf(SERIES_METRICS), "s"),
      },
      {
        name: `series ${protocol} DAY × ${USD_METRICS.length} USD metrics`,
        query: (i) =>
          `{ series(protocols: ["${protocol}"], metrics: ${list(USD_METRICS)}, interval: DAY, from: "${iso(simStart - i * DAY)}", to: "${iso(to)}") { protocol metric points { date value } } }`,
        direct: (i) => seriesFields(protocol, simStart - i * DAY, sourcesOf(USD_METRICS), "u"),
      },
      {
        name: `compare ${all.length} protocols ${compareMetric} DAY`,
        query: (i) =>
          `{ compare(protocols: ${list(all)}, metric: "${compareMetric}", interval: DAY, from: "${iso(simStart - i * DAY)}", to: "${iso(to)}") { series { protocol points { date value } } window { protocol value } } }`,
        direct: (i) =>
          all.flatMap((p, k) => {
            const from = simStart - i * DAY;
            const fields = seriesFields(p, from, sourcesOf([compareMetric]), `p${k}`);
            // compare's window value of a payers metric counts distinct payers over the whole window
            if (compareMetric === "payers" || compareMetric === "feePerPayer")
              fields.push(payers(`p${k}w`, p, from, dataEnd, block));
            return fields;
          }),
      },
      {
        name: `scorecard ${protocol} ${scoreWindow}d`,
        query: (i) =>
          `{ scorecard(protocol: "${protocol}", window: ${scoreWindow + i}) { block { number } from to lines { category metric value windowDays finding } } }`,
        direct: (i) => {
          const w = scoreWindow + i;
          const fetchFrom = closedUntil - Math.max(2 * w, 180) * DAY;
          return [
            ...tokenDays("t", protocol, fetchFrom, closedUntil, block),
            feeDays("f", protocol, asset(protocol), fetchFrom, closedUntil, block),
            payers("p", protocol, closedUntil - w * DAY, closedUntil, block),
            operators("o", protocol, block),
          ];
        },
      },
    ];

    /**
     * A long-running gateway for the cold samples: every sample asks a new question, and its caches are off
     * (scorecard windows up to 90 days share their 180-day data read, which a result cache would answer).
     * Its `_meta` snapshot is polled as configured by default.
     */
    const coldGw = await startGateway({
      port: 0,
      logger: silent,
      upstreams: [upstream],
      config: { cacheEntries: 0 },
    });
    fresh.push(coldGw);
    const coldSample = async (query: string) => {
      const before = coldGw.gateway.upstreamRequests();
      const t = await timed(() => askGateway(coldGw.graphqlUrl, query));
      return { ms: t.ms, upstream: coldGw.gateway.upstreamRequests() - before, answer: t.value };
    };
    /** A new gateway (no snapshot, empty caches), the query of `shift`, its upstream requests. */
    const firstQuerySample = async (query: string) => {
      const gw = await startGateway({ port: 0, logger: silent, upstreams: [upstream] });
      fresh.push(gw);
      try {
        const t = await timed(() => askGateway(gw.graphqlUrl, query));
        return { ms: t.ms, upstream: gw.gateway.upstreamRequests() };
      } finally {
        await gw.stop();
        fresh.splice(fresh.indexOf(gw), 1);
      }
    };

    // Warm-up (JIT, PostgreSQL buffers, connections): every query once, cold and direct, not measured.
    const warmShift = coldRuns + 5;
    for (const s of scenarios) {
      await coldSample(s.query(warmShift));
      await firstQuerySample(s.query(warmShift + 1));
      await fetchAll(stack.graphqlUrl, s.direct(warmShift));
      await askGateway(gatewayGraphql, s.query(0));
    }

    interface Result {
      scenario: string;
      cold: Summary;
      coldUpstream: number;
      firstQuery: Summary;
      firstQueryUpstream: number;
      direct: Summary;
      directRequests: number;
      directRows: number;
      directRepeated: Summary;
      cached: Summary;
      cachedUpstream: number;
      floor: Summary;
      answerBytes: number;
    }
    const results: Result[] = [];
    for (const s of scenarios) {
      const cold: number[] = [];
      const direct: number[] = [];
      let coldUpstream = 0;
      let directRequests = 0;
      let directRows = 0;
      for (let i = 1; i <= coldRuns; i++) {
        // alternate which side goes first, so neither always meets the other's warmed buffers
        const doCold = async () => {
          const c = await coldSample(s.query(i));
          cold.push(c.ms);
          coldUpstream += c.upstream;
        };
        const doDirect = async () => {
          const d = await timed(() => fetchAll(stack.graphqlUrl, s.direct(i)));
          direct.push(d.ms);
          directRequests += d.value.requests;
          directRows = Object.values(d.value.rows).reduce((a, r) => a + r.length, 0);
        };
        if (i % 2) {
          await doCold();
          await doDirect();
        } else {
          await doDirect();
          await doCold();
        }
      }
      // a new gateway per sample, windows no other sample used (graph-node's cache cannot answer either)
      const firstQuery: number[] = [];
      let firstQueryUpstream = 0;
      for (let i = 1; i <= coldRuns; i++) {
        const c = await firstQuerySample(s.query(warmShift + 1 + i));
        firstQuery.push(c.ms);
        firstQueryUpstream += c.upstream;
      }
      // graph-node answering the identical direct query again (its own query cache, if any): context only
      const repeated: number[] = [];
      for (let i = 0; i < repeatRuns; i++)
        repeated.push((await timed(() => fetchAll(stack.graphqlUrl, s.direct(0)))).ms);
      // cached: the stack's gateway, the same query again (warmed above)
      // (one client in a worker thread: the client's own parsing and garbage collection of a 1,825-point
      // answer must not run on the gateway's event loop and heap, which a real client never shares)
      const before = await upstreamCount(gatewayBase);
      const cachedRun = await loadTest(gatewayGraphql, JSON.stringify({ query: s.query(0) }), 1, 120, runs);
      if (cachedRun.errors > 0) throw new Error(`${s.name}: ${cachedRun.errors} cached requests failed`);
      const cached = cachedRun.latenciesMs;
      const cachedUpstream = ((await upstreamCount(gatewayBase)) - before) / cached.length;
      // floor: the same client and samples against a bare server sending the cached answer's bytes
      const answer = await fetch(gatewayGraphql, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: s.query(0) }),
      });
      const answerBytes = Buffer.from(await answer.arrayBuffer());
      const bare = await staticServer(answerBytes, {
        "content-type": answer.headers.get("content-type") ?? "application/json",
      });
      const floorRun = await loadTest(bare.url, JSON.stringify({ query: s.query(0) }), 1, 120, runs).finally(
        () => bare.close(),
      );
      const r: Result = {
        scenario: s.name,
        cold: summarize(cold),
        coldUpstream: coldUpstream / coldRuns,
        firstQuery: summarize(firstQuery),
        firstQueryUpstream: firstQueryUpstream / coldRuns,
        direct: summarize(direct),
        directRequests: directRequests / coldRuns,
        directRows,
        directRepeated: summarize(repeated),
        cached: summarize(cached),
        cachedUpstream,
        floor: summarize(floorRun.latenciesMs),
        answerBytes: answerBytes.length,
      };
      results.push(r);
      const sm = (x: Summary) => ({ n: x.n, p50ms: round(x.p50), p99ms: round(x.p99), maxms: round(x.max) });
      say(
        JSON.stringify({
          scenario: r.scenario,
          days,
          cold: { ...sm(r.cold), upstreamRequestsPerQuery: r.coldUpstream },
          firstQueryAfterStart: { ...sm(r.firstQuery), upstreamRequestsPerQuery: r.firstQueryUpstream },
          direct: { ...sm(r.direct), requestsPerQuery: r.directRequests, rows: r.directRows },
          directRepeated: sm(r.directRepeated),
          cached: { ...sm(r.cached), upstreamRequestsPerQuery: round(r.cachedUpstream, 3) },
          floorSameBytes: { ...sm(r.floor), answerBytes: r.answerBytes },
          coldOverDirectP50: round(r.cold.p50 / r.direct.p50),
          coldOverDirectP99: round(r.cold.p99 / r.direct.p99),
        }),
      );
    }

    // Throughput: concurrent clients on the cached series query of the stack's gateway.
    const seriesBody = JSON.stringify({ query: scenarios[0]?.query(0) });
    const before = await upstreamCount(gatewayBase);
    const load = await loadTest(gatewayGraphql, seriesBody, clients, seconds);
    const loadUpstream = (await upstreamCount(gatewayBase)) - before;
    const loadLat = summarize(load.latenciesMs);
    say(
      JSON.stringify({
        scenario: "throughput cached series",
        days,
        clients,
        seconds: round(load.seconds),
        requests: load.requests,
        errors: load.errors,
        reqPerSec: round(load.reqPerSec, 1),
        p50ms: round(loadLat.p50),
        p99ms: round(loadLat.p99),
        upstreamRequests: loadUpstream,
      }),
    );

    // Notebook: every raw fee payment, summed per day client-side, vs the gateway's cold fees series.
    const notebook: number[] = [];
    let nb: Awaited<ReturnType<typeof notebookDailyFees>> | null = null;
    for (let k = 1; k <= notebookRuns; k++) {
      const t = await timed(() => notebookDailyFees(stack.graphqlUrl, protocol, simStart - k * DAY));
      notebook.push(t.ms);
      nb = t.value;
    }
    const feesQuery = (i: number) =>
      `{ series(protocols: ["${protocol}"], metrics: ["fees"], interval: DAY, from: "${iso(simStart - i * DAY)}", to: "${iso(to)}") { points { timestamp raw } } }`;
    const feesCold: number[] = [];
    let feesAnswer: GatewayAnswer | null = null;
    for (let i = 1; i <= coldRuns; i++) {
      const c = await coldSample(feesQuery(i));
      feesCold.push(c.ms);
      feesAnswer = c.answer;
    }
    // Same numbers? Days with fees in the gateway's answer against the notebook's sums.
    const points =
      (feesAnswer?.data?.series as { points: { timestamp: number; raw: string | null }[] }[] | undefined)?.[0]
        ?.points ?? [];
    const gwDays = new Map(
      points.filter((p) => p.raw && p.raw !== "0").map((p) => [p.timestamp, BigInt(p.raw ?? 0)]),
    );
    const nbDays = new Map([...(nb?.perDay ?? new Map<number, bigint>())].filter(([d]) => d < dataEnd));
    const same = gwDays.size === nbDays.size && [...gwDays].every(([d, v]) => nbDays.get(d) === v);
    const nbSum = summarize(notebook);
    const feesSum = summarize(feesCold);
    const ratio = nbSum.p50 / feesSum.p50;
    say(
      JSON.stringify({
        scenario: `notebook daily fees ${protocol}`,
        days,
        notebook: { n: nbSum.n, p50ms: round(nbSum.p50), rows: nb?.rows, requests: nb?.requests },
        gatewayColdFees: { n: feesSum.n, p50ms: round(feesSum.p50), p99ms: round(feesSum.p99) },
        notebookOverGateway: round(ratio, 1),
        sameDailyFees: same,
      }),
    );

    // --- table -------------------------------------------------------------------------------------
    say();
    say(
      `Gateway on the local stack: ${days} days, ${all.length} protocols, graph-node block ${block} (times in ms)`,
    );
    const pad = (s: string, n: number) => s.padEnd(n);
    const lpad = (s: string, n: number) => s.padStart(n);
    const row = (a: string, b: string, n: string, p50: string, p99: string, up: string, note: string) =>
      say(
        `${pad(a, 42)} ${pad(b, 33)} ${lpad(n, 4)} ${lpad(p50, 8)} ${lpad(p99, 8)} ${lpad(up, 8)}  ${note}`,
      );
    row("scenario", "path", "n", "p50", "p99", "req/q", "");
    for (const r of results) {
      row(
        r.scenario,
        "gateway cold",
        String(r.cold.n),
        ms(r.cold.p50),
        ms(r.cold.p99),
        r.coldUpstream.toFixed(1),
        "new question (window shifted), running gateway",
      );
      row(
        "",
        "gateway, first query after start",
        String(r.firstQuery.n),
        ms(r.firstQuery.p50),
        ms(r.firstQuery.p99),
        r.firstQueryUpstream.toFixed(1),
        "new gateway per sample (reads _meta first)",
      );
      row(
        "",
        "graph-node direct (baseline)",
        String(r.direct.n),
        ms(r.direct.p50),
        ms(r.direct.p99),
        r.directRequests.toFixed(1),
        `${r.directRows} rows, same shifted window`,
      );
      row(
        "",
        "graph-node direct, repeated",
        String(r.directRepeated.n),
        ms(r.directRepeated.p50),
        ms(r.directRepeated.p99),
        r.directRequests.toFixed(1),
        "identical query again",
      );
      row(
        "",
        "gateway cached",
        String(r.cached.n),
        ms(r.cached.p50),
        ms(r.cached.p99),
        r.cachedUpstream.toFixed(2),
        "stack gateway, same query",
      );
      row(
        "",
        "floor: bare server, same bytes",
        String(r.floor.n),
        ms(r.floor.p50),
        ms(r.floor.p99),
        "",
        `${(r.answerBytes / 1024).toFixed(0)} KiB answer, same client`,
      );
    }
    row(
      "throughput cached series",
      `${clients} clients, ${load.seconds.toFixed(1)} s`,
      String(load.requests),
      ms(loadLat.p50),
      ms(loadLat.p99),
      (loadUpstream / Math.max(1, load.requests)).toFixed(3),
      `${load.reqPerSec.toFixed(0)} req/s, ${load.errors} errors`,
    );
    row(
      `notebook daily fees ${protocol}`,
      "page raw feePayments, sum",
      String(nbSum.n),
      ms(nbSum.p50),
      ms(nbSum.p99),
      String(nb?.requests ?? 0),
      `${nb?.rows ?? 0} rows`,
    );
    row(
      "",
      "gateway cold fees series",
      String(feesSum.n),
      ms(feesSum.p50),
      ms(feesSum.p99),
      "",
      `same daily fees: ${same ? "yes" : "NO"}`,
    );

    say();
    say("targets");
    for (const r of results) {
      const x50 = r.cold.p50 / r.direct.p50;
      const x99 = r.cold.p99 / r.direct.p99;
      say(
        `  ${pad(r.scenario, 42)} cold within ${COLD_RATIO_TARGET}x of direct: p50 ${x50.toFixed(2)}x (${ms(r.cold.p50)} vs ${ms(r.direct.p50)}) ${verdict(x50 <= COLD_RATIO_TARGET)}; p99 ${x99.toFixed(2)}x ${verdict(x99 <= COLD_RATIO_TARGET)}`,
      );
    }
    for (const r of results)
      say(
        `  ${pad(r.scenario, 42)} cached p99 < ${CACHED_P99_TARGET_MS} ms: ${ms(r.cached.p99)} ms ${verdict(r.cached.p99 < CACHED_P99_TARGET_MS)} (floor, bare server with the same bytes: ${ms(r.floor.p99)} ms)`,
      );
    say(
      `  throughput, ${clients} concurrent clients (cached series): ${load.reqPerSec.toFixed(0)} req/s, p99 ${ms(loadLat.p99)} ms (reported, no target)`,
    );
    say(
      `  notebook (page ${nb?.rows ?? 0} raw fee payments, sum per day) / gateway cold fees series: ${ratio.toFixed(1)}x (${ms(nbSum.p50)} vs ${ms(feesSum.p50)} ms)`,
    );
    say();
    if (Number(values["load-seconds"]) > 0) await heavyLoadScenario(); // --load-seconds 0: skip it
  } finally {
    for (const gw of fresh) await gw.stop().catch(() => {});
    await stack.stop();
  }
}

function printHeavyLoad(r: HeavyLoadResult, clients: number, protocol: string, window: number): void {
  for (const m of r.modes)
    say(
      JSON.stringify({
        scenario: "heavy load",
        mode: m.mode,
        heavyClients: clients,
        request: { days: r.days, metrics: r.metrics, points: r.points, cost: r.cost, limit: r.limit },
        light: {
          n: m.light.n,
          p50ms: round(m.light.p50),
          p99ms: round(m.light.p99),
          maxms: round(m.light.max),
          failed: m.light.failed,
          refused: m.light.refused,
          errors: m.light.errors,
        },
        heavy: {
          sent: m.heavy.sent,
          ok: m.heavy.ok,
          refused429: m.heavy.refused,
          failed: m.heavy.failed,
          okPerSec: round(m.heavy.okPerSec, 3),
          pointsPerSec: Math.round(m.heavy.pointsPerSec),
          refusedRate: round(m.heavy.refusedRate, 3),
          p50ms: round(m.heavy.latency.p50),
          p99ms: round(m.heavy.latency.p99),
          megabytes: round(m.heavy.bytes / 1e6, 1),
          seconds: round(m.heavy.elapsed, 1),
          errors: m.heavy.errors,
        },
        loadavgBefore: m.loadBefore,
        loadavgAfter: m.loadAfter,
      }),
    );
  say();
  say(
    `Heavy load: ${clients} heavy clients, each request series(${r.protocols} protocols × ${r.metrics} DAY metrics × ${r.days} days) = ${r.points} points, cost ${r.cost} of ${r.limit}, a new window every time; light client: scorecard ${protocol} ${window}d`,
  );
  const pad = (x: string, n: number) => x.padStart(n);
  say(
    `${"mode".padEnd(20)} ${pad("light n", 7)} ${pad("p50", 8)} ${pad("p99", 8)} ${pad("max", 8)}   ${pad("heavy sent", 10)} ${pad("200", 5)} ${pad("429", 5)} ${pad("429 rate", 8)} ${pad("200/s", 6)} ${pad("points/s", 9)} ${pad("p50", 7)} ${pad("p99", 7)}   load avg (1 min) before → after`,
  );
  for (const m of r.modes)
    say(
      `${m.mode.padEnd(20)} ${pad(String(m.light.n), 7)} ${pad(ms(m.light.p50), 8)} ${pad(ms(m.light.p99), 8)} ${pad(ms(m.light.max), 8)}   ${pad(String(m.heavy.sent), 10)} ${pad(String(m.heavy.ok), 5)} ${pad(String(m.heavy.refused), 5)} ${pad(`${(100 * m.heavy.refusedRate).toFixed(0)}%`, 8)} ${pad(m.heavy.okPerSec.toFixed(2), 6)} ${pad(String(Math.round(m.heavy.pointsPerSec)), 9)} ${pad(ms(m.heavy.latency.p50), 7)} ${pad(ms(m.heavy.latency.p99), 7)}   ${m.loadBefore[0]} → ${m.loadAfter[0]}`,
    );
  const on = r.modes.find((m) => m.mode === "with protections");
  const off = r.modes.find((m) => m.mode === "without protections");
  if (on && off)
    say(
      `  light client p99 < ${LIGHT_P99_TARGET_MS} ms with ${clients} heavy clients: ${ms(on.light.p99)} ms ${verdict(on.light.p99 < LIGHT_P99_TARGET_MS)} (without protections, same run: ${ms(off.light.p99)} ms)`,
    );
}

/** The old mode: an in-process fake graph-node (or --upstream <url>), latency and upstream requests per query. */
async function runFake(): Promise<void> {
  const fake = values.upstream ? null : await startFakeGraphNode(synthetic());
  const url = values.upstream ?? fake?.url ?? "";
  const gw = await startGateway({
    port: 0,
    logger: pino({ level: "warn" }),
    upstreams: [{ name: "bench", url, network: "arbitrum-one" }],
    config: { snapshotTtlMs: 0 },
  });
  const protocols = values.upstream ? [values.protocol ?? "livepeer"] : ["livepeer", "thegraph"];
  const scenarios: Record<string, string> = {
    "DAY 6 metrics": `{ series(protocols: ${JSON.stringify(protocols)}, metrics: ["minted","totalSupply","fees","inflationRate","rewardYield","payers"], interval: DAY, from: "${values.from}", to: "${values.to}") { points { value } } }`,
    "WEEK+MONTH": `{ w: series(protocols: ${JSON.stringify(protocols)}, metrics: ["grossEmission","staked"], interval: WEEK, from: "${values.from}", to: "${values.to}") { points { value } } m: series(protocols: ${JSON.stringify(protocols)}, metrics: ["grossEmission"], interval: MONTH, from: "${values.from}", to: "${values.to}") { points { value } } }`,
  };
  const runs = Number(values.runs);
  try {
    for (const [name, query] of Object.entries(scenarios)) {
      const times: number[] = [];
      const before = gw.gateway.upstreamRequests();
      for (let i = 0; i < runs; i++) times.push((await timed(() => askGateway(gw.graphqlUrl, query))).ms);
      const s = summarize(times);
      const p95 = [...times].sort((a, b) => a - b)[
        Math.min(times.length - 1, Math.floor(0.95 * times.length))
      ];
      say(
        JSON.stringify({
          scenario: name,
          runs,
          p50ms: Math.round(s.p50),
          p95ms: Math.round(p95 ?? 0),
          maxms: Math.round(s.max),
          upstreamRequestsPerQuery: (gw.gateway.upstreamRequests() - before) / runs,
          cacheHits: gw.gateway.cache.hits,
        }),
      );
    }
  } finally {
    await gw.stop();
    await fake?.stop();
  }
}

(values.fake || values.upstream ? runFake() : runStack()).catch((e) => {
  console.error(e);
  process.exit(1);
});
