/**
 * The data routes for notebooks and dashboards (api/src/http/): /series.csv and /series.json with GraphQL's
 * arguments, /metrics.csv, /protocols.csv, gzip, ETag and 304, 400 messages naming the parameter, and the
 * same cost guard as GraphQL. Against the fake graph-node (fixtures.ts: block 4242 at 2024-01-10 12:00 UTC).
 */
import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acceptsGzip } from "../src/http/compress.js";
import { noneMatchHits } from "../src/http/etag.js";
import { MILLISECONDS_FROM, timeParam } from "../src/http/params.js";
import { type GatewayHandle, startGateway } from "../src/http/server.js";
import { METRICS } from "../src/metrics/catalog.js";
import { type FakeGraphNode, startFakeGraphNode } from "./fakeGraphNode.js";
import { E18, fixtureData, t } from "./fixtures.js";

const silent = pino({ level: "silent" });

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET with exactly these headers, the body as sent (fetch would decompress it). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

const text = (r: Raw) =>
  (r.headers["content-encoding"] === "gzip" ? gunzipSync(r.body) : r.body).toString("utf8");
const lines = (r: Raw) => text(r).trim().split("\n");
const errorOf = (r: Raw) =>
  (JSON.parse(text(r)) as { error: { code: string; message: string; argument?: string } }).error;
const dataReads = (up: FakeGraphNode, since: number) =>
  up.requests.slice(since).filter((q) => !q.includes("_meta")).length;

const HEADER =
  "protocol,metric,unit,timestamp,date,value,raw,partial,block,note,priceSource,priceTime,interval,decimals,stale";

describe("data routes", () => {
  let up: FakeGraphNode;
  let gw: GatewayHandle;
  beforeAll(async () => {
    up = await startFakeGraphNode(fixtureData());
    // snapshotTtlMs 0: every request reads the block, so a new fake block is seen at once.
    gw = await startGateway({
      port: 0,
      logger: silent,
      upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
      config: { snapshotTtlMs: 0, workers: 0 },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await up.stop();
  });

  it("takes GraphQL's plural arguments, the singular names and repeated parameters alike", async () => {
    const q = "interval=DAY&from=2024-01-01&to=2024-01-03";
    const plural = await get(`${gw.url}/series.csv?protocols=livepeer,thegraph&metrics=minted,fees&${q}`);
    const repeated = await get(
      `${gw.url}/series.csv?protocol=livepeer&protocol=thegraph&metric=minted&metric=fees&${q}`,
    );
    const mixed = await get(
      `${gw.url}/series.csv?protocols=livepeer&protocol=thegraph&metrics=minted&metric=fees&${q}`,
    );
    expect(plural.status).toBe(200);
    expect(plural.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(text(repeated)).toBe(text(plural));
    expect(text(mixed)).toBe(text(plural));
    const rows = lines(plural);
    expect(rows[0]).toBe(HEADER);
    // protocol × metric × day, in the order asked
    expect(rows.slice(1).map((r) => r.split(",").slice(0, 2).join("/"))).toEqual([
      "livepeer/minted",
      "livepeer/minted",
      "livepeer/fees",
      "livepeer/fees",
      "thegraph/minted",
      "thegraph/minted",
      "thegraph/fees",
      "thegraph/fees",
    ]);
    expect(rows[1]).toBe(
      `livepeer,minted,LPT,1704067200,2024-01-01,10,${10n * E18},false,4242,,,,DAY,18,false`,
    );
    expect(rows[4]).toBe(
      `livepeer,fees,ETH,1704153600,2024-01-02,0.3,${3n * 10n ** 17n},false,4242,,,,DAY,18,false`,
    );
  });

  it("the same values as GraphQL's series", async () => {
    const args = { protocols: ["livepeer"], metrics: ["totalSupply", "inflationRate", "payers"] };
    const res = await fetch(`${gw.graphqlUrl}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `{ series(protocols: ${JSON.stringify(args.protocols)}, metrics: ${JSON.stringify(args.metrics)}, interval: WEEK, from: "2024-01-01", to: "2024-01-11") { metric points { date value raw partial } } }`,
      }),
    });
    const g = (await res.json()) as {
      data: {
        series: {
          metric: string;
          points: { date: string; value: string; raw: string; partial: boolean }[];
        }[];
      };
    };
    const json = await get(
      `${gw.url}/series.json?protocols=livepeer&metrics=${args.metrics.join(",")}&interval=week&from=2024-01-01&to=2024-01-11`,
    );
    const rows = JSON.parse(text(json)) as Record<string, unknown>[];
    expect(
      rows.map((r) => ({ metric: r.metric, date: r.date, value: r.value, raw: r.raw, partial: r.partial })),
    ).toEqual(g.data.series.flatMap((s) => s.points.map((p) => ({ metric: s.metric, ...p }))));
  });

  it("/series.json: the same rows as the CSV, exact decimals as strings, null for empty", async () => {
    const q =
      "protocols=livepeer&metrics=minted,tokenIncentivesUsd&interval=DAY&from=2024-01-07&to=2024-01-09";
    const csv = lines(await get(`${gw.url}/series.csv?${q}`));
    const res = await get(`${gw.url}/series.json?${q}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    const rows = JSON.parse(text(res)) as Record<string, unknown>[];
    expect(rows).toHaveLength(csv.length - 1);
    expect(Object.keys(rows[0] ?? {})).toEqual(HEADER.split(","));
    expect(rows[1]).toEqual({
      protocol: "livepeer",
      metric: "minted",
      unit: "LPT",
      timestamp: 1704672000,
      date: "2024-01-08",
      value: "2",
      raw: String(2n * E18),
      partial: false,
      block: 4242,
      note: null,
      priceSource: null,
      priceTime: null,
      interval: "DAY",
      decimals: 18,
      stale: false,
    });
    // a USD value without a price: null (never 0), with the reason
    expect(rows[3]?.value).toBeNull();
    expect(rows[3]?.note).toMatch(/^2 tokens of emission had no price/);
    // format=json on the CSV route is the same answer
    expect(text(await get(`${gw.url}/series.csv?${q}&format=json`))).toBe(text(res));
  });

  it("complete=true drops the period still open at the block", async () => {
    const q = "protocols=livepeer&metrics=minted&interval=WEEK&from=2024-01-01&to=2024-01-11";
    const all = lines(await get(`${gw.url}/series.csv?${q}`));
    expect(all.slice(1).map((r) => r.split(",").slice(4, 8).join(" "))).toEqual([
      `2024-01-01 15 ${15n * E18} false`,
      `2024-01-08 2 ${2n * E18} true`,
    ]);
    for (const flag of ["complete=true", "complete=1", "complete"]) {
      const done = lines(await get(`${gw.url}/series.csv?${q}&${flag}`));
      expect(done.slice(1).map((r) => r.split(",")[4])).toEqual(["2024-01-01"]);
    }
    expect(lines(await get(`${gw.url}/series.csv?${q}&complete=false`))).toEqual(all);
  });

  it("millisecond from/to (Grafana's __from) are the same as seconds and ISO dates", async () => {
    const base = "protocols=livepeer&metrics=minted&interval=DAY";
    const iso = text(await get(`${gw.url}/series.csv?${base}&from=2024-01-01&to=2024-01-04`));
    const s = text(await get(`${gw.url}/series.csv?${base}&from=${t("2024-01-01")}&to=${t("2024-01-04")}`));
    const ms = text(
      await get(
        `${gw.url}/series.csv?${base}&from=${t("2024-01-01") * 1000}&to=${t("2024-01-04") * 1000 + 999}`,
      ),
    );
    expect(s).toBe(iso);
    expect(ms).toBe(iso);
    expect(iso.trim().split("\n")).toHaveLength(4);
    // the rule: an integer of at least 100,000,000,000 is milliseconds, floored to seconds
    expect(timeParam("from", String(MILLISECONDS_FROM - 1))).toBe(String(MILLISECONDS_FROM - 1));
    expect(timeParam("from", String(MILLISECONDS_FROM))).toBe(String(MILLISECONDS_FROM / 1000));
    expect(timeParam("to", "1704067200999")).toBe("1704067200");
    expect(timeParam("to", "2024-01-01")).toBe("2024-01-01");
  });

  it("bad input: HTTP 400 naming the parameter and what was expected", async () => {
    const bad = async (q: string) => {
      const r = await get(`${gw.url}/series.csv?${q}`);
      expect(r.status).toBe(400);
      return errorOf(r);
    };
    const ok = "protocols=livepeer&metrics=minted&from=2024-01-01&to=2024-01-05";
    expect(await bad(`${ok}&interval=DAILY`)).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "interval",
      message: 'interval: expected HOUR, DAY, WEEK or MONTH, got "DAILY"',
    });
    expect((await bad("protocols=livepeer&metrics=minted")).message).toMatch(
      /^from: required: seconds, milliseconds or ISO-8601/,
    );
    expect((await bad("metrics=minted&from=2024-01-01")).argument).toBe("protocols");
    expect((await bad("protocols=livepeer&from=2024-01-01")).message).toMatch(
      /^metrics: at least one metric/,
    );
    expect(await bad(`${ok}&metric=mintedd`)).toMatchObject({
      argument: "metrics",
      message: expect.stringMatching(/^metrics: unknown metric "mintedd"/),
    });
    expect((await bad(`${ok}&complete=maybe`)).message).toBe('complete: expected true or false, got "maybe"');
    expect((await bad(`${ok}&metrc=fees`)).message).toMatch(
      /^metrc: unknown parameter; this route takes protocols, protocol, metrics/,
    );
    expect((await bad("protocols=livepeer&metrics=minted&from=2024-01-05&to=2024-01-01")).argument).toBe(
      "from",
    );
    expect((await bad("protocols=livepeer&metrics=minted&from=yesterday")).message).toMatch(
      /^from: not a timestamp/,
    );
    expect((await bad(`${ok}&interval=HOUR&metrics=payers`)).argument).toBe("interval");
    expect((await bad(`${ok}&format=xml`)).argument).toBe("format");
    // an unknown protocol is known only from the upstream: still 400, naming it
    expect((await bad("protocols=bittensor&metrics=minted&from=2024-01-01&to=2024-01-05")).argument).toBe(
      "protocols",
    );
    const j = await get(`${gw.url}/series.json?protocols=livepeer&metrics=minted&from=x`);
    expect(j.status).toBe(400);
    expect(errorOf(j).argument).toBe("from");
  });

  it("gzip when Accept-Encoding allows it, the same bytes once decompressed", async () => {
    const url = `${gw.url}/series.csv?protocols=livepeer,thegraph&metrics=minted,fees,totalSupply&interval=DAY&from=2024-01-01&to=2024-01-10`;
    const plain = await get(url);
    const zipped = await get(url, { "accept-encoding": "gzip, deflate, br" });
    const refused = await get(url, { "accept-encoding": "gzip;q=0, *;q=1" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(Number(zipped.headers["content-length"])).toBe(zipped.body.length);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(gunzipSync(zipped.body).toString("utf8")).toBe(plain.body.toString("utf8"));
    expect(refused.headers["content-encoding"]).toBeUndefined();
    // fetch (as pandas, Grafana and browsers do) asks for gzip and reads it transparently
    const f = await fetch(url);
    expect(f.headers.get("content-encoding")).toBe("gzip");
    expect(await f.text()).toBe(plain.body.toString("utf8"));
    // small answers are sent as they are
    const small = await get(
      `${gw.url}/series.csv?protocol=livepeer&metric=minted&from=2024-01-01&to=2024-01-02`,
      {
        "accept-encoding": "gzip",
      },
    );
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("Accept-Encoding and If-None-Match parsing", () => {
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip("identity")).toBe(false);
    expect(acceptsGzip("br, gzip")).toBe(true);
    expect(acceptsGzip("GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("*;q=0")).toBe(false);
    expect(acceptsGzip("x-gzip")).toBe(true);
    expect(noneMatchHits('W/"abc"', 'W/"abc"')).toBe(true);
    expect(noneMatchHits('"abc"', 'W/"abc"')).toBe(true);
    expect(noneMatchHits('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(noneMatchHits("*", 'W/"abc"')).toBe(true);
    expect(noneMatchHits('W/"abd"', 'W/"abc"')).toBe(false);
    expect(noneMatchHits(undefined, 'W/"abc"')).toBe(false);
  });

  it("ETag from the request and the blocks: 304 to If-None-Match without computing; a new block, a new tag", async () => {
    const saved = { ...up.data.block };
    try {
      const q = "protocols=livepeer&metrics=minted,fees&interval=DAY&from=2024-01-01";
      const first = await get(`${gw.url}/series.csv?${q}&to=${t("2024-01-10T13:00:00Z") * 1000}`);
      const tag = String(first.headers.etag);
      expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers["cache-control"]).toBe("no-cache");
      // Later the same day (Grafana's ${__to} moved on), with ISO instead of ms: the same periods, the same tag
      const again = await get(`${gw.url}/series.csv?${q}&to=2024-01-10T18:00:00Z`);
      expect(again.headers.etag).toBe(tag);
      const before = up.requests.length;
      const hits = gw.gateway.answers.hits;
      const metrics0 = await (await fetch(`${gw.url}/metrics`)).text();
      const not = await get(`${gw.url}/series.csv?${q}&to=2024-01-10T18:00:00Z`, { "if-none-match": tag });
      expect(not.status).toBe(304);
      expect(not.body.length).toBe(0);
      expect(not.headers.etag).toBe(tag);
      // nothing computed: no data read, no answer-cache lookup, nothing run on the event loop or a worker
      expect(dataReads(up, before)).toBe(0);
      expect(gw.gateway.answers.hits).toBe(hits);
      const computed = (m: string) =>
        Number(/gateway_computed_total\{where="event_loop"\} (\d+)/.exec(m)?.[1] ?? 0);
      expect(computed(await (await fetch(`${gw.url}/metrics`)).text())).toBe(computed(metrics0));
      // another representation (JSON, or complete=true) has another tag
      const json = await get(`${gw.url}/series.json?${q}&to=2024-01-10T18:00:00Z`, { "if-none-match": tag });
      expect(json.status).toBe(200);
      expect(json.headers.etag).not.toBe(tag);
      const complete = await get(`${gw.url}/series.csv?${q}&to=2024-01-10T18:00:00Z&complete=true`, {
        "if-none-match": tag,
      });
      expect(complete.status).toBe(200);
      // a new block (same number, another hash: a reorg) → the answer is recomputed under a new tag
      up.data.block = { ...saved, hash: "0xdef" };
      const after = await get(`${gw.url}/series.csv?${q}&to=2024-01-10T18:00:00Z`, { "if-none-match": tag });
      expect(after.status).toBe(200);
      expect(after.headers.etag).not.toBe(tag);
      expect(text(after)).toBe(text(first));
    } finally {
      up.data.block = saved;
    }
  });

  it("allowStale: the last good rows marked stale, without an ETag", async () => {
    const saved = { ...up.data.block };
    try {
      const q =
        "protocols=livepeer&metrics=minted&interval=DAY&from=2024-01-01&to=2024-01-03&allowStale=true";
      const fresh = await get(`${gw.url}/series.csv?${q}`);
      expect(fresh.headers.etag).toBeTruthy();
      up.data.block = { ...saved, number: saved.number + 1, hash: "0xfeed" };
      up.data.failData = true;
      const stale = await get(`${gw.url}/series.csv?${q}`);
      expect(stale.status).toBe(200);
      expect(stale.headers.etag).toBeUndefined();
      expect(
        lines(stale)
          .slice(1)
          .map((r) => r.split(",").slice(-1)[0]),
      ).toEqual(["true", "true"]);
      expect(lines(stale)[1]?.split(",")[8]).toBe("4242"); // the block it was read at
      const staleJson = await get(`${gw.url}/series.json?${q}`);
      expect(staleJson.status).toBe(200);
      expect(staleJson.headers.etag).toBeUndefined();
      expect((JSON.parse(text(staleJson)) as { stale: boolean }[]).every((r) => r.stale)).toBe(true);
      // without allowStale: the upstream's error, 502
      const failed = await get(`${gw.url}/series.csv?${q.replace("&allowStale=true", "")}`);
      expect(failed.status).toBe(502);
      expect(errorOf(failed).code).toMatch(/^UPSTREAM_/);
    } finally {
      up.data.block = saved;
      up.data.failData = false;
    }
  });

  it("/metrics.csv and /metrics.json: the catalog for dashboard variables", async () => {
    const csv = await get(`${gw.url}/metrics.csv`);
    expect(csv.status).toBe(200);
    const rows = lines(csv);
    expect(rows[0]).toBe("name,unit,kind,group,intervals,description");
    expect(rows).toHaveLength(METRICS.length + 1);
    expect(rows.find((r) => r.startsWith("payers,"))).toMatch(
      /^payers,COUNT,DISTINCT,DEMAND,DAY WEEK MONTH,/,
    );
    const json = JSON.parse(text(await get(`${gw.url}/metrics.json`))) as {
      name: string;
      intervals: string[];
    }[];
    expect(json.map((m) => m.name)).toEqual(METRICS.map((m) => m.name));
    expect(json.find((m) => m.name === "minted")?.intervals).toEqual(["HOUR", "DAY", "WEEK", "MONTH"]);
    const tag = String(csv.headers.etag);
    expect((await get(`${gw.url}/metrics.csv`, { "if-none-match": tag })).status).toBe(304);
    expect((await get(`${gw.url}/metrics.csv?x=1`)).status).toBe(400);
  });

  it("/protocols.csv: ids, assets and the block each was read at", async () => {
    const r = await get(`${gw.url}/protocols.csv`);
    expect(r.status).toBe(200);
    expect(lines(r)).toEqual([
      "id,name,network,upstream,token,tokenDecimals,feeAsset,feeAssetDecimals,block,blockTimestamp,blockTime",
      `livepeer,Livepeer,arbitrum-one,local,LPT,18,ETH,18,4242,${t("2024-01-10T12:00:00Z")},2024-01-10T12:00:00.000Z`,
      `thegraph,The Graph,arbitrum-one,local,GRT,18,GRT,18,4242,${t("2024-01-10T12:00:00Z")},2024-01-10T12:00:00.000Z`,
    ]);
    const tag = String(r.headers.etag);
    expect((await get(`${gw.url}/protocols.csv`, { "if-none-match": tag })).status).toBe(304);
    const json = JSON.parse(text(await get(`${gw.url}/protocols.json`))) as { id: string; block: number }[];
    expect(json.map((p) => [p.id, p.block])).toEqual([
      ["livepeer", 4242],
      ["thegraph", 4242],
    ]);
  });

  it("CORS exposes the ETag", async () => {
    const r = await get(`${gw.url}/series.csv?protocol=livepeer&metric=minted&from=2024-01-01&to=2024-01-02`);
    expect(String(r.headers["access-control-expose-headers"])).toMatch(/\betag\b/);
    expect(String(r.headers["access-control-allow-headers"])).toMatch(/\bif-none-match\b/);
  });
});

describe("data routes under the cost guard", () => {
  let up: FakeGraphNode;
  beforeAll(async () => {
    up = await startFakeGraphNode(fixtureData());
  });
  afterAll(async () => {
    await up.stop();
  });

  it("a series over the cost limit is refused before any work, on both routes", async () => {
    const gw = await startGateway({
      port: 0,
      logger: silent,
      upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
      config: { workers: 0, maxRequestCost: 100 },
    });
    try {
      for (const route of ["series.csv", "series.json"]) {
        const before = up.requests.length;
        const r = await get(
          `${gw.url}/${route}?protocols=livepeer,thegraph&metrics=minted,fees&interval=DAY&from=2023-06-01&to=2024-01-10`,
        );
        expect(r.status).toBe(400);
        expect(errorOf(r).message).toMatch(/exceeds the limit of 100 per request/);
        expect(errorOf(r).message).toContain("2 protocols × 2 metrics");
        expect(dataReads(up, before)).toBe(0);
      }
      const small = await get(
        `${gw.url}/series.json?protocols=livepeer&metrics=minted&from=2024-01-01&to=2024-01-03`,
      );
      expect(small.status).toBe(200);
    } finally {
      await gw.stop();
    }
  });

  it("a series computed on a worker thread: the same rows and the same ETag as on the event loop", async () => {
    const start = (workers: number) =>
      startGateway({
        port: 0,
        logger: silent,
        upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
        config: { workers, offloadMinCost: 1 },
      });
    const [pooled, inline] = await Promise.all([start(1), start(0)]);
    try {
      const q =
        "/series.json?protocols=livepeer,thegraph&metrics=minted,fees&interval=DAY&from=2023-12-01&to=2024-01-10";
      const a = await get(`${pooled.url}${q}`);
      const b = await get(`${inline.url}${q}`);
      expect(a.status).toBe(200);
      expect(text(a)).toBe(text(b));
      expect(a.headers.etag).toBe(b.headers.etag);
      expect(await (await fetch(`${pooled.url}/metrics`)).text()).toContain(
        'gateway_computed_total{where="worker"} 1',
      );
      expect((await get(`${pooled.url}${q}`, { "if-none-match": String(a.headers.etag) })).status).toBe(304);
    } finally {
      await Promise.all([pooled.stop(), inline.stop()]);
    }
  });

  it("a client over its budget gets 429 with Retry-After on every data route", async () => {
    const gw = await startGateway({
      port: 0,
      logger: silent,
      upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
      config: { workers: 0, clientCostPerWindow: 40, clientCostWindowSeconds: 60 },
    });
    try {
      // 1 protocol × 1 metric × 9 days + 10 rows = 19: two fit in 40, the third does not
      const q = `${gw.url}/series.csv?protocol=livepeer&metric=minted&from=2024-01-01&to=2024-01-10`;
      expect((await get(q)).status).toBe(200);
      expect((await get(q)).status).toBe(200);
      const refused = await get(q);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(errorOf(refused).code).toBe("RATE_LIMITED");
      // the catalog and the protocol list cost 1 each: 38 + 1 + 1 fit in 40, one more does not
      expect((await get(`${gw.url}/metrics.csv`)).status).toBe(200);
      expect((await get(`${gw.url}/protocols.csv`)).status).toBe(200);
      expect((await get(`${gw.url}/metrics.json`)).status).toBe(429);
      expect((await get(`${gw.url}/protocols.json`)).status).toBe(429);
    } finally {
      await gw.stop();
    }
  });
});
