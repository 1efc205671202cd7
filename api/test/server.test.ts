import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, startGateway } from "../src/http/server.js";
import { closedPort, type FakeGraphNode, startFakeGraphNode } from "./fakeGraphNode.js";
import { E18, fixtureData } from "./fixtures.js";

const silent = pino({ level: "silent" });

interface GqlResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; argument?: string } }[];
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}): Promise<GqlResult> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as GqlResult;
}

const SERIES = `query S($p: [String!]!, $m: [String!]!, $i: Interval!, $from: String!, $to: String!) {
  series(protocols: $p, metrics: $m, interval: $i, from: $from, to: $to) {
    protocol metric interval applicable unit { kind symbol decimals } block { number }
    points { timestamp date value raw float partial }
  }
}`;

type SeriesOut = {
  protocol: string;
  metric: string;
  applicable: boolean;
  unit: { kind: string; symbol: string | null };
  block: { number: number };
  points: {
    date: string;
    value: string | null;
    raw: string | null;
    float: number | null;
    partial: boolean;
    note?: string | null;
  }[];
};

describe("gateway with an upstream that is down", () => {
  let gw: GatewayHandle;
  beforeAll(async () => {
    const port = await closedPort();
    gw = await startGateway({
      port: 0,
      logger: silent,
      upstreams: [
        {
          name: "down",
          url: `http://127.0.0.1:${port}/api/0123456789abcdef0123456789abcdef/subgraphs/id/x`,
          network: "arbitrum-one",
        },
      ],
      config: { retries: 1, backoffMs: 5, timeoutMs: 2000, maxBodyBytes: 2000 },
    });
  });
  afterAll(async () => {
    await gw.stop();
  });

  const bad = async (vars: Record<string, unknown>) => {
    const r = await gql(gw.graphqlUrl, SERIES, {
      p: ["livepeer"],
      m: ["minted"],
      i: "DAY",
      from: "2024-01-01",
      to: "2024-01-10",
      ...vars,
    });
    return r.errors?.[0];
  };

  it("unknown metric → BAD_USER_INPUT naming metrics", async () => {
    const e = await bad({ m: ["mintedd"] });
    expect(e?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(e?.extensions?.argument).toBe("metrics");
    expect(e?.message).toMatch(/mintedd/);
  });
  it("from after to → BAD_USER_INPUT naming from", async () => {
    const e = await bad({ from: "2024-02-01", to: "2024-01-01" });
    expect(e?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "from" });
  });
  it("unparsable time → BAD_USER_INPUT naming to", async () => {
    const e = await bad({ to: "yesterday" });
    expect(e?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "to" });
  });
  it("window too large → BAD_USER_INPUT naming to", async () => {
    const e = await bad({ i: "HOUR", from: "2023-01-01", to: "2024-01-01" });
    expect(e?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "to" });
    expect(e?.message).toMatch(/window too large/);
  });
  it("interval a metric cannot have → BAD_USER_INPUT naming interval", async () => {
    const e = await bad({ m: ["payers"], i: "HOUR" });
    expect(e?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "interval" });
  });
  it("compare with an unknown metric names metric", async () => {
    const r = await gql(
      gw.graphqlUrl,
      `{ compare(protocols: ["livepeer"], metric: "nope", interval: DAY, from: "2024-01-01", to: "2024-01-02") { metric } }`,
    );
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "metric" });
  });
  it("scorecard window too large → BAD_USER_INPUT naming window", async () => {
    const r = await gql(gw.graphqlUrl, `{ scorecard(protocol: "livepeer", window: 1000) { protocol } }`);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "window" });
  });
  it("valid input reaching the down upstream → UPSTREAM_UNAVAILABLE without the key", async () => {
    const e = await bad({});
    expect(e?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(e?.message).toMatch(/upstream down/);
    expect(JSON.stringify(e)).not.toContain("0123456789abcdef");
  });
  it("status reports the upstream as not ok, with a redacted URL", async () => {
    const r = await gql(gw.graphqlUrl, "{ status { name ok url errors { code message } } }");
    const list = r.data?.status as { ok: boolean; url: string; errors: { code: string }[] }[];
    const s = list[0];
    expect(s?.ok).toBe(false);
    expect(s?.errors[0]?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(s?.url).toContain("/api/***/");
  });
  it("rejects an oversized body with 413", async () => {
    const res = await fetch(gw.graphqlUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `{ metrics { name } } # ${"x".repeat(5000)}` }),
    });
    expect(res.status).toBe(413);
  });
  it("rejects too deep queries", async () => {
    const r = await gql(
      gw.graphqlUrl,
      "{ __schema { types { fields { type { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } } } } }",
    );
    // Apollo reports validation-rule errors as GRAPHQL_VALIDATION_FAILED.
    expect(r.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(r.errors?.[0]?.message).toMatch(/query depth 11 exceeds the limit of 10/);
  });
  it("serves health, metrics and CORS", async () => {
    const h = await fetch(`${gw.baseUrl}/health`);
    expect(h.status).toBe(200);
    expect(h.headers.get("access-control-allow-origin")).toBe("*");
    const m = await (await fetch(`${gw.baseUrl}/metrics`)).text();
    expect(m).toContain(
      'gateway_upstream_requests_total{kind="subgraph",outcome="unavailable",upstream="down"}',
    );
    expect(m).toContain("gateway_upstream_request_seconds_bucket");
    const csv = await fetch(
      `${gw.baseUrl}/series.csv?protocol=livepeer&metric=bogus&interval=DAY&from=2024-01-01&to=2024-01-05`,
    );
    expect(csv.status).toBe(400);
  });
});

describe("gateway under NODE_ENV=production (as main.ts and npm start run it)", () => {
  let gw: GatewayHandle;
  beforeAll(async () => {
    // Apollo reads NODE_ENV when the server is built: its production defaults must not change the API.
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      gw = await startGateway({
        port: 0,
        logger: silent,
        upstreams: [{ name: "down", url: `http://127.0.0.1:${await closedPort()}/x`, network: "local" }],
        config: { retries: 0, timeoutMs: 2000 },
      });
    } finally {
      process.env.NODE_ENV = before;
    }
  });
  afterAll(async () => {
    await gw.stop();
  });

  it("keeps the Sandbox landing page, introspection and errors without stack traces", async () => {
    const page = await fetch(gw.baseUrl, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    // the Sandbox script itself (the production default page only names its host in a CSP header)
    expect(await page.text()).toMatch(/<script[^>]+embeddable-sandbox[^>]*\.js/);
    const intro = await gql(gw.graphqlUrl, '{ __type(name: "Series") { description } }');
    expect(intro.errors).toBeUndefined();
    expect((intro.data?.__type as { description?: string } | undefined)?.description).toBeTruthy();
    const down = await gql(gw.graphqlUrl, SERIES, {
      p: ["livepeer"],
      m: ["minted"],
      i: "DAY",
      from: "2024-01-01",
      to: "2024-01-10",
    });
    expect(down.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
    expect(Object.keys(down.errors?.[0]?.extensions ?? {})).not.toContain("stacktrace");
  });
});

describe("gateway against a fake graph-node", () => {
  let gw: GatewayHandle;
  let up: FakeGraphNode;
  beforeAll(async () => {
    up = await startFakeGraphNode(fixtureData());
    gw = await startGateway({
      port: 0,
      logger: silent,
      upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
      config: { snapshotTtlMs: 0, cacheEntries: 0 },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await up.stop();
  });

  it("serves GraphQL at the base URL too", async () => {
    const r = await gql(gw.url, "{ metrics { name } }");
    const metrics = (r.data?.metrics ?? []) as unknown[];
    expect(metrics.length).toBeGreaterThan(30);
  });

  it("lists protocols with stocks at the block", async () => {
    const r = await gql(
      gw.graphqlUrl,
      "{ protocols { id token { symbol } feeAsset { symbol } totalSupply { raw value } stakingRatio block { number } } }",
    );
    expect(r.errors).toBeUndefined();
    const ps = r.data?.protocols as {
      id: string;
      feeAsset: { symbol: string };
      totalSupply: { value: string };
      block: { number: number };
    }[];
    expect(ps.map((p) => p.id)).toEqual(["livepeer", "thegraph"]);
    expect(ps[0]?.feeAsset.symbol).toBe("ETH");
    expect(ps[1]?.feeAsset.symbol).toBe("GRT");
    expect(ps[0]?.totalSupply.value).toBe("1012");
    expect(ps[0]?.block.number).toBe(4242);
  });

  it("DAY and WEEK series for two protocols in one upstream data request, gap-filled, at one block", async () => {
    const before = up.requests.length;
    up.blocksSeen.length = 0;
    const r = await gql(
      gw.graphqlUrl,
      `query {
        d: series(protocols: ["livepeer", "thegraph"], metrics: ["minted", "totalSupply", "fees", "payers", "inflationRate", "protocolTax", "sinkToEmission", "incentiveCoverage", "earnings"], interval: DAY, from: "2024-01-01", to: "2024-01-11") {
          protocol metric applicable unit { kind symbol } block { number } points { date value raw partial note }
        }
        w: series(protocols: ["livepeer"], metrics: ["minted", "totalSupply", "payers", "fees"], interval: WEEK, from: "2024-01-01", to: "2024-01-11") {
          protocol metric points { date value raw partial }
        }
      }`,
    );
    expect(r.errors).toBeUndefined();
    // One snapshot read plus one batched data read.
    expect(up.requests.length - before).toBe(2);
    expect(new Set(up.blocksSeen)).toEqual(new Set([4242]));
    const d = r.data?.d as SeriesOut[];
    const get = (p: string, m: string) => d.find((s) => s.protocol === p && s.metric === m);
    const minted = get("livepeer", "minted");
    // 2024-01-10 is still open at the block (12:00): not included.
    expect(minted?.points.map((p) => p.date)).toEqual([
      "2024-01-01",
      "2024-01-02",
      "2024-01-03",
      "2024-01-04",
      "2024-01-05",
      "2024-01-06",
      "2024-01-07",
      "2024-01-08",
      "2024-01-09",
    ]);
    expect(minted?.points.map((p) => p.value)).toEqual(["10", "5", "0", "0", "0", "0", "0", "2", "0"]);
    expect(minted?.points[0]?.raw).toBe(String(10n * E18));
    expect(get("livepeer", "totalSupply")?.points.map((p) => p.value)).toEqual([
      "1009",
      "1014",
      "1014",
      "1010",
      "1010",
      "1010",
      "1010",
      "1012",
      "1012",
    ]);
    expect(get("livepeer", "fees")?.unit.symbol).toBe("ETH");
    expect(get("livepeer", "fees")?.points.map((p) => p.value)).toEqual([
      "0",
      "0.3",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0.1",
      "0",
    ]);
    expect(get("livepeer", "payers")?.points.map((p) => p.value)).toEqual([
      "0",
      "2",
      "0",
      "0",
      "0",
      "0",
      "0",
      "1",
      "0",
    ]);
    // (10 − 1) / 1000 × 365
    expect(Number(get("livepeer", "inflationRate")?.points[0]?.value)).toBeCloseTo(3.285, 12);
    // Not applicable → null, never 0.
    expect(get("livepeer", "protocolTax")?.applicable).toBe(false);
    expect(get("livepeer", "protocolTax")?.points.every((p) => p.value === null)).toBe(true);
    // Livepeer's fees (ETH) against its incentives (LPT) in USD at the events' prices: $0 / $100 on Jan 1,
    // $600 / $50 on Jan 2, nothing either side (null, no note) until Jan 8, whose emission had no price: null
    // with the reason.
    const cov = get("livepeer", "incentiveCoverage")?.points ?? [];
    expect(get("livepeer", "incentiveCoverage")?.applicable).toBe(true);
    expect(cov.map((p) => p.value)).toEqual(["0", "12", null, null, null, null, null, null, null]);
    expect(cov[7]?.note).toMatch(/^2 tokens of emission had no price/);
    expect(cov[3]?.note).toBeNull();
    // The Graph: no bucket before 2024-01-03 → supply 0 → inflation null; burns without emission → sinkToEmission null.
    expect(get("thegraph", "inflationRate")?.points[0]?.value).toBeNull();
    expect(get("thegraph", "sinkToEmission")?.points[2]?.value).toBeNull();
    expect(get("thegraph", "protocolTax")?.points[2]?.value).toBe("1");
    expect(get("thegraph", "earnings")?.points[2]?.value).toBe("1");
    expect(get("thegraph", "incentiveCoverage")?.points[2]?.value).toBeNull();

    const w = r.data?.w as SeriesOut[];
    const wm = w.find((s) => s.metric === "minted");
    expect(wm?.points.map((p) => [p.date, p.value, p.partial])).toEqual([
      ["2024-01-01", "15", false],
      ["2024-01-08", "2", true],
    ]);
    expect(w.find((s) => s.metric === "totalSupply")?.points.map((p) => p.value)).toEqual(["1010", "1012"]);
    expect(w.find((s) => s.metric === "payers")?.points.map((p) => p.value)).toEqual(["2", "1"]);
  });

  /** A gateway with caches on that reads the snapshot per request: it sees a changed fake block at once. */
  const perRequestSnapshotGateway = () =>
    startGateway({
      port: 0,
      logger: silent,
      upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
      config: { snapshotTtlMs: 0 },
    });

  it("answers a repeated question at the same block from its caches, and recomputes at a new block", async () => {
    const cached = await perRequestSnapshotGateway();
    const saved = { ...up.data.block };
    try {
      const args = `protocols: ["livepeer"], metrics: ["minted", "fees"], interval: DAY, from: "2024-01-01", to: "2024-01-09"`;
      const q = `{ series(${args}) { protocol metric block { number } points { date value } } }`;
      const first = await gql(cached.graphqlUrl, q);
      expect(first.errors).toBeUndefined();
      const hits = cached.gateway.answers.hits;
      const responseHits = cached.gateway.responseCacheHits;
      let before = up.requests.length;
      // The same query again: the whole response, without executing it.
      const again = await gql(cached.graphqlUrl, q);
      expect(again.data).toEqual(first.data);
      expect(cached.gateway.responseCacheHits).toBe(responseHits + 1);
      expect(cached.gateway.answers.hits).toBe(hits);
      expect(up.requests.length - before).toBe(1); // the snapshot (_meta) read only, no data read
      // The same body as a "simple" cross-site request (media type text/plain): Apollo refuses it, and so
      // must the cache.
      const simple = await fetch(cached.graphqlUrl, {
        method: "POST",
        headers: { "content-type": 'text/plain; x="application/json"' },
        body: JSON.stringify({ query: q }),
      });
      expect(simple.status).toBe(400);
      expect(cached.gateway.responseCacheHits).toBe(responseHits + 1);
      // Same body, another accept header: its own entry, with the content type that header asked for.
      const post = (accept: string) =>
        fetch(cached.graphqlUrl, {
          method: "POST",
          headers: { "content-type": "application/json", accept },
          body: JSON.stringify({ query: q, variables: {} }),
        });
      const gqlType = "application/graphql-response+json";
      const r1 = await post(gqlType);
      const r2 = await post(gqlType);
      expect(r1.headers.get("content-type")).toContain(gqlType);
      expect(r2.headers.get("content-type")).toContain(gqlType);
      expect(await r2.json()).toEqual(first);
      expect(cached.gateway.responseCacheHits).toBe(responseHits + 2);
      expect(cached.gateway.answers.hits).toBe(hits + 1); // r1 executed, from the computed answer
      // The same series asked with another selection: the computed answer, no data read.
      before = up.requests.length;
      const reshaped = await gql(cached.graphqlUrl, `{ series(${args}) { metric points { value date } } }`);
      expect(reshaped.errors).toBeUndefined();
      expect(cached.gateway.answers.hits).toBe(hits + 2);
      expect(up.requests.length - before).toBe(1);
      up.data.block = { ...saved, number: saved.number + 1, hash: `${saved.hash.slice(0, -4)}beef` };
      up.blocksSeen.length = 0;
      const later = await gql(cached.graphqlUrl, q);
      expect(later.errors).toBeUndefined();
      expect(up.blocksSeen).toContain(saved.number + 1); // recomputed at the new block
      expect(cached.gateway.answers.hits).toBe(hits + 2);
      expect(cached.gateway.responseCacheHits).toBe(responseHits + 2);
      // status (live health) is never served from the response cache
      const s1 = cached.gateway.responseCacheHits;
      const metrics1 = await (await fetch(`${cached.url}/metrics`)).text();
      expect((await gql(cached.graphqlUrl, "{ status { name ok } }")).errors).toBeUndefined();
      expect((await gql(cached.graphqlUrl, "{ status { name ok } }")).errors).toBeUndefined();
      const viaFragment = "{ ...Live } fragment Live on Query { ... on Query { status { name } } }";
      expect((await gql(cached.graphqlUrl, viaFragment)).errors).toBeUndefined();
      expect((await gql(cached.graphqlUrl, viaFragment)).errors).toBeUndefined();
      expect(cached.gateway.responseCacheHits).toBe(s1);
      const metrics2 = await (await fetch(`${cached.url}/metrics`)).text();
      const misses = (t: string) =>
        Number(/gateway_response_cache_total\{outcome="miss"\} (\d+)/.exec(t)?.[1] ?? 0);
      expect(misses(metrics2) - misses(metrics1)).toBe(4);
    } finally {
      up.data.block = saved;
      await cached.stop();
    }
  });

  it("failing data reads of a USD metric are an upstream error, not a crash (prices are read alongside)", async () => {
    const gw2 = await perRequestSnapshotGateway();
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on("unhandledRejection", onRejection);
    try {
      up.data.failData = true;
      const q = `{ series(protocols: ["livepeer"], metrics: ["feesUsd", "minted"], interval: DAY, from: "2024-01-01", to: "2024-01-05") { points { value } } }`;
      const r = await gql(gw2.graphqlUrl, q);
      expect(r.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rejections).toEqual([]);
      up.data.failData = false;
      expect((await gql(gw2.graphqlUrl, q)).errors).toBeUndefined();
    } finally {
      process.off("unhandledRejection", onRejection);
      up.data.failData = false;
      await gw2.stop();
    }
  });

  it("a stale answer (allowStale) is never kept by the response cache", async () => {
    const gw2 = await perRequestSnapshotGateway();
    const saved = { ...up.data.block };
    try {
      const q = `{ series(protocols: ["livepeer"], metrics: ["minted"], interval: DAY, from: "2024-01-01", to: "2024-01-05", allowStale: true) { stale block { number } points { value } } }`;
      const fresh = await gql(gw2.graphqlUrl, q);
      expect(fresh.errors).toBeUndefined();
      // A new block arrives, then the data reads fail while _meta still answers.
      up.data.block = { ...saved, number: saved.number + 1, hash: `${saved.hash.slice(0, -4)}cafe` };
      up.data.failData = true;
      const stale = (await gql(gw2.graphqlUrl, q)) as { data?: { series: { stale: boolean }[] } };
      expect(stale.data?.series[0]?.stale).toBe(true);
      // The upstream recovers at the same block: the next identical query is computed again, not stale.
      up.data.failData = false;
      const hits = gw2.gateway.responseCacheHits;
      const again = (await gql(gw2.graphqlUrl, q)) as { data?: { series: { stale: boolean }[] } };
      expect(again.data?.series[0]?.stale).toBe(false);
      expect(gw2.gateway.responseCacheHits).toBe(hits);
    } finally {
      up.data.block = saved;
      up.data.failData = false;
      await gw2.stop();
    }
  });

  it("paginates hourly buckets with a timestamp cursor", async () => {
    const before = up.requests.length;
    const r = await gql(gw.graphqlUrl, SERIES, {
      p: ["thegraph"],
      m: ["minted", "totalSupply"],
      i: "HOUR",
      from: "2023-11-21T00:00:00Z",
      to: "2024-01-10T12:00:00Z",
    });
    expect(r.errors).toBeUndefined();
    const s = r.data?.series as SeriesOut[];
    const minted = s[0]?.points ?? [];
    expect(minted).toHaveLength(1212);
    expect(minted.reduce((a, p) => a + BigInt(p.raw ?? "0"), 0n)).toBe(1200n);
    expect(s[1]?.points.at(-1)?.raw).toBe("1200");
    const sent = up.requests.slice(before);
    expect(sent).toHaveLength(3); // snapshot + 2 pages
    expect(sent[2]).toContain("timestamp_gt");
    expect(sent.join("\n")).not.toMatch(/skip/);
  });

  it("compare gives series and a whole-window value", async () => {
    const r = await gql(
      gw.graphqlUrl,
      `{ compare(protocols: ["livepeer", "thegraph"], metric: "minted", interval: DAY, from: "2024-01-01", to: "2024-01-10") { metric series { protocol } window { protocol value unit { symbol } } } }`,
    );
    expect(r.errors).toBeUndefined();
    const c = r.data?.compare as { window: { protocol: string; value: string; unit: { symbol: string } }[] };
    expect(c.window).toEqual([
      { protocol: "livepeer", value: "17", unit: { symbol: "LPT" } },
      { protocol: "thegraph", value: "10002", unit: { symbol: "GRT" } },
    ]);
  });

  it("scorecard lines carry window, block and a finding", async () => {
    const r = await gql(
      gw.graphqlUrl,
      `{ scorecard(protocol: "livepeer", window: 30) { protocol windowDays block { number } lines { category metric value windowDays finding } } }`,
    );
    expect(r.errors).toBeUndefined();
    const sc = r.data?.scorecard as {
      block: { number: number };
      lines: { metric: string; value: string | null; finding: string; windowDays: number | null }[];
    };
    const line = (m: string) => sc.lines.find((l) => l.metric === m);
    expect(sc.block.number).toBe(4242);
    expect(line("fees")?.value).toBe("0.4");
    expect(line("payers")?.value).toBe("2");
    expect(line("feePerPayer")?.value).toBe("0.2");
    // $800 of fees against incentives of which 2 LPT had no price: not compared, and the line says why
    expect(line("incentiveCoverage")?.value).toBeNull();
    expect(line("incentiveCoverage")?.finding).toMatch(/not compared: 2 tokens of emission had no price/);
    expect(line("feesUsd")?.value).toBe("800");
    expect(line("tokenIncentivesUsd")?.value).toBeNull();
    expect(line("nakamotoCoefficient")?.value).toBe("1");
    expect(line("operators")?.value).toBe("4");
    expect(line("fees")?.windowDays).toBe(30);
    expect(line("fees")?.finding).toBe("users paid 0.4 ETH in fees over the last 30 days");
    expect(line("nakamotoCoefficient")?.finding).toBe(
      "1 operators together hold more than a third of the stake",
    );
    expect(line("topOperatorShare")?.finding).toBe("the top 10 operators hold 100% of the stake");
  });

  it("unknown protocol → BAD_USER_INPUT naming protocols", async () => {
    const r = await gql(gw.graphqlUrl, SERIES, {
      p: ["bittensor"],
      m: ["minted"],
      i: "DAY",
      from: "2024-01-01",
      to: "2024-01-05",
    });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "protocols" });
  });

  it("series.csv", async () => {
    const res = await fetch(
      `${gw.baseUrl}/series.csv?protocol=livepeer&metric=minted&interval=DAY&from=2024-01-01&to=2024-01-03`,
    );
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.trim().split("\n")).toEqual([
      "protocol,metric,unit,timestamp,date,value,raw,partial,block,note,priceSource,priceTime,interval,decimals,stale",
      `livepeer,minted,LPT,1704067200,2024-01-01,10,${10n * E18},false,4242,,,,DAY,18,false`,
      `livepeer,minted,LPT,1704153600,2024-01-02,5,${5n * E18},false,4242,,,,DAY,18,false`,
    ]);
  });

  it("series.csv: a USD value without a price is empty, with the reason in its note", async () => {
    const res = await fetch(
      `${gw.baseUrl}/series.csv?protocol=livepeer&metric=tokenIncentivesUsd&interval=DAY&from=2024-01-08&to=2024-01-09`,
    );
    expect(res.status).toBe(200);
    const [header, row] = (await res.text()).trim().split("\n");
    expect(header).toBe(
      "protocol,metric,unit,timestamp,date,value,raw,partial,block,note,priceSource,priceTime,interval,decimals,stale",
    );
    expect(row).toMatch(
      /^livepeer,tokenIncentivesUsd,USD,1704672000,2024-01-08,,,false,4242,2 tokens of emission had no price/,
    );
    // the token's price source and the bucket of its last price before the period's end (Jan 1)
    expect(row).toMatch(/,Uniswap v3 LPT\/WETH,1704067200,DAY,18,false$/);
  });

  it("status reports block and lag", async () => {
    const r = await gql(
      gw.graphqlUrl,
      "{ status { name ok deployment block { number } lagSeconds protocols errors { code } } }",
    );
    const list = r.data?.status as {
      ok: boolean;
      deployment: string;
      block: { number: number };
      protocols: string[];
    }[];
    const s = list[0];
    expect(s).toMatchObject({
      ok: true,
      deployment: "QmFakeDeployment",
      block: { number: 4242 },
      protocols: ["livepeer", "thegraph"],
    });
  });
});
