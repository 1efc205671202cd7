import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, type StartOptions, startGateway } from "../src/http/server.js";
import { METRICS } from "../src/metrics/catalog.js";
import { type FakeGraphNode, startFakeGraphNode } from "./fakeGraphNode.js";
import { fixtureData, t } from "./fixtures.js";

const silent = pino({ level: "silent" });
const KEY_A = "client-a-key-0123456789";
const KEY_B = "client-b-key-0123456789";
const DAY_METRICS = METRICS.filter((m) => m.intervals.includes("DAY")).map((m) => m.name);

interface Reply {
  status: number;
  retryAfter: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

async function post(url: string, query: string, key?: string): Promise<Reply> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers["x-api-key"] = key;
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify({ query }) });
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as Reply["body"],
  };
}

const series = (
  metrics: string[],
  from: string,
  to = "2024-01-10",
  fields = "protocol metric points { date value }",
) =>
  `{ series(protocols: ["livepeer", "thegraph"], metrics: ${JSON.stringify(metrics)}, interval: DAY, from: "${from}", to: "${to}") { ${fields} } }`;

describe("load protections", () => {
  let up: FakeGraphNode;
  const gateways: GatewayHandle[] = [];
  const start = async (config: StartOptions["config"]) => {
    const gw = await startGateway({
      port: 0,
      logger: silent,
      upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
      config: { snapshotTtlMs: 0, ...config },
    });
    gateways.push(gw);
    return gw;
  };
  beforeAll(async () => {
    up = await startFakeGraphNode(fixtureData());
  });
  afterAll(async () => {
    for (const gw of gateways) await gw.stop();
    await up.stop();
  });

  it("refuses a request over the cost limit before any work, with its cost, the limit and how to split it", async () => {
    const gw = await start({ workers: 0 });
    const before = up.requests.length;
    const r = await post(gw.graphqlUrl, series(DAY_METRICS, "2014-01-10"));
    expect(r.status).toBe(400);
    const e = r.body.errors?.[0];
    expect(e?.extensions?.code).toBe("BAD_USER_INPUT");
    const cost = Number(e?.extensions?.cost);
    expect(e?.extensions?.limit).toBe(gw.gateway.config.maxRequestCost);
    expect(cost).toBeGreaterThan(gw.gateway.config.maxRequestCost);
    expect(e?.message).toContain(cost.toLocaleString("en-US"));
    expect(e?.message).toContain(gw.gateway.config.maxRequestCost.toLocaleString("en-US"));
    expect(e?.message).toMatch(/Split it into several requests/);
    expect(e?.message).toContain(`2 protocols × ${DAY_METRICS.length} metrics`);
    // nothing was read upstream for it (the snapshot at most)
    expect(up.requests.slice(before).some((q) => q.includes("tokenFlowStats"))).toBe(false);
    // the same data in requests under the limit passes: a 10-year daily series of a few metrics
    const ok = await post(
      gw.graphqlUrl,
      series(["fees", "grossEmission", "totalSupply", "payers"], "2014-01-10"),
    );
    expect(ok.status).toBe(200);
    expect(ok.body.errors).toBeUndefined();
    // the CSV route too
    const csv = await fetch(
      `${gw.baseUrl}/series.csv?protocol=livepeer,thegraph&metric=minted&interval=HOUR&from=2023-10-10&to=2024-01-10`,
    );
    expect(csv.status).toBe(200);
  });

  it("the limit is configurable", async () => {
    const gw = await start({ workers: 0, maxRequestCost: 100 });
    const q = series(["minted"], "2024-01-01");
    const small = await post(gw.graphqlUrl, q);
    expect(small.status).toBe(200);
    const r = await post(gw.graphqlUrl, series(["minted", "fees", "staked"], "2023-01-01"));
    expect(r.status).toBe(400);
    expect(r.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", limit: 100 });
    const csv = await fetch(
      `${gw.baseUrl}/series.csv?protocol=livepeer&metric=minted&interval=DAY&from=2023-01-01`,
    );
    expect(csv.status).toBe(400);
    expect(((await csv.json()) as { error: { message: string } }).error.message).toMatch(
      /exceeds the limit of 100/,
    );
  });

  it("a client over its cost budget gets 429 with Retry-After while another client's request succeeds", async () => {
    // a 9-day series of 2 protocols × 2 metrics costs 36 points + 38 rows: two fit in 160, not three
    const gw = await start({
      workers: 0,
      apiKeys: [KEY_A, KEY_B],
      clientCostPerWindow: 160,
      cacheEntries: 0,
    });
    const q = (i: number) => series(["minted", "fees"], `2024-01-0${i}`, "2024-01-10");
    expect((await post(gw.graphqlUrl, q(1), KEY_A)).status).toBe(200);
    expect((await post(gw.graphqlUrl, q(1), KEY_A)).status).toBe(200);
    const refused = await post(gw.graphqlUrl, q(1), KEY_A);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(gw.gateway.config.clientCostWindowSeconds);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", reason: "rate" });
    expect(refused.body.errors?.[0]?.message).toMatch(/retry after/);
    // another key, and a client without a key (budgeted by IP), are not affected
    const b = await post(gw.graphqlUrl, q(1), KEY_B);
    expect(b.status).toBe(200);
    expect(b.body.errors).toBeUndefined();
    expect((await post(gw.graphqlUrl, q(1))).status).toBe(200);
    // an unknown key is not an identity of its own: budgeted by IP with the keyless requests above
    expect((await post(gw.graphqlUrl, q(1), "not-a-configured-key-000")).status).toBe(200);
    expect((await post(gw.graphqlUrl, q(1), "another-unknown-key-0000")).status).toBe(429);
    const metrics = await (await fetch(`${gw.baseUrl}/metrics`)).text();
    expect(metrics).toContain('gateway_refused_total{reason="rate"} 2');
  });

  it("a client with too much in flight gets 429 at once; another client is answered meanwhile", async () => {
    const gw = await start({
      workers: 0,
      apiKeys: [KEY_A, KEY_B],
      clientConcurrentCost: 100,
      cacheEntries: 0,
    });
    up.data.dataDelayMs = 400;
    try {
      const q = series(["minted", "fees"], "2024-01-01");
      const first = post(gw.graphqlUrl, q, KEY_A); // in flight: the upstream answers late
      await new Promise((r) => setTimeout(r, 100));
      const second = await post(gw.graphqlUrl, q, KEY_A);
      expect(second.status).toBe(429);
      expect(second.retryAfter).toBe("1");
      expect(second.body.errors?.[0]?.extensions).toMatchObject({
        code: "RATE_LIMITED",
        reason: "concurrency",
      });
      const other = await post(gw.graphqlUrl, q, KEY_B);
      expect(other.status).toBe(200);
      expect((await first).status).toBe(200);
      // once its answer is sent, the client may send again
      expect((await post(gw.graphqlUrl, q, KEY_A)).status).toBe(200);
    } finally {
      up.data.dataDelayMs = 0;
    }
  });

  it("large requests run on the worker pool and answer exactly as on the event loop", async () => {
    const inline = await start({ workers: 0, cacheEntries: 0 });
    const pooled = await start({ workers: 1, offloadMinCost: 50 });
    const q = series(
      DAY_METRICS.slice(0, 12),
      "2023-12-01",
      "2024-01-10",
      "protocol metric points { date value raw partial }",
    );
    const a = await post(inline.graphqlUrl, q);
    const before = pooled.gateway.upstreamRequests();
    const b = await post(pooled.graphqlUrl, q);
    expect(a.body.errors).toBeUndefined();
    expect(b.body).toEqual(a.body);
    const metrics = await (await fetch(`${pooled.baseUrl}/metrics`)).text();
    expect(metrics).toContain('gateway_computed_total{where="worker"} 1');
    // the worker's upstream reads are counted (the snapshot is read on the main thread, the data in the worker)
    expect(pooled.gateway.upstreamRequests() - before).toBe(2);
    expect(metrics).toMatch(
      /gateway_upstream_requests_total\{kind="subgraph",outcome="ok",upstream="local"\} 2/,
    );
    // the worker's answer is kept by the response cache: the same request again runs nothing
    const hits = pooled.gateway.responseCacheHits;
    expect((await post(pooled.graphqlUrl, q)).body).toEqual(a.body);
    expect(pooled.gateway.responseCacheHits).toBe(hits + 1);
    // CSV too
    const csv = (g: GatewayHandle) =>
      fetch(
        `${g.baseUrl}/series.csv?protocol=livepeer&metric=minted&interval=DAY&from=2023-12-01&to=2024-01-10`,
      ).then((r) => r.text());
    expect(await csv(pooled)).toBe(await csv(inline));
  });

  it("a request that would wait too long for a worker is refused at once with 429 and Retry-After", async () => {
    const gw = await start({ workers: 1, maxWorkerWaitMs: 200, apiKeys: [KEY_A, KEY_B], cacheEntries: 0 });
    up.data.dataDelayMs = 3000;
    try {
      // the only worker is taken by a request estimated far longer than 200 ms
      const q = (from: string) => series(DAY_METRICS.slice(0, 40), from, "2024-01-10", "metric");
      const first = post(gw.graphqlUrl, q("2018-01-01"), KEY_A);
      await new Promise((r) => setTimeout(r, 100));
      const refused = await post(gw.graphqlUrl, q("2018-01-02"), KEY_B);
      expect(refused.status).toBe(429);
      expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "RATE_LIMITED", reason: "busy" });
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      // refused before any work: nothing was read for its window
      const itsWindow = String(BigInt(t("2018-01-02")) * 1_000_000n);
      expect(up.requests.some((r) => r.includes(itsWindow))).toBe(false);
      // a small request runs on the event loop meanwhile
      const small = await post(gw.graphqlUrl, `{ metrics { name } }`, KEY_B);
      expect(small.status).toBe(200);
      expect((await first).status).toBe(200);
    } finally {
      up.data.dataDelayMs = 0;
    }
  });

  it("allowStale works for requests run on workers (the same worker keeps the last good answer)", async () => {
    const gw = await start({ workers: 2, offloadMinCost: 1 });
    const saved = { ...up.data.block };
    const q = `{ series(protocols: ["livepeer"], metrics: ["minted"], interval: DAY, from: "2024-01-01", to: "2024-01-05", allowStale: true) { stale block { number } points { value } } }`;
    try {
      const fresh = await post(gw.graphqlUrl, q);
      expect(fresh.body.errors).toBeUndefined();
      up.data.block = { ...saved, number: saved.number + 1, hash: `${saved.hash}01` };
      up.data.failData = true;
      for (let i = 0; i < 4; i++) {
        const stale = (await post(gw.graphqlUrl, q)).body.data as { series: { stale: boolean }[] };
        expect(stale.series[0]?.stale).toBe(true);
      }
    } finally {
      up.data.block = saved;
      up.data.failData = false;
    }
  });
});
