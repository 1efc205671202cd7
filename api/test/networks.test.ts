/**
 * One protocol on several networks (api/src/series/merge.ts): two fake graph-nodes serve The Graph on two networks, the
 * second a lock-and-mint copy. Flows and fees are summed, supply comes from the canonical network, each network
 * stays reachable as "upstream/id", and every answer lists the blocks it read. Then Morpheus, whose MOR is bridged
 * by burn-and-mint: supply summed over its networks; and every answer names the id it was asked for.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, startGateway } from "../src/http/server.js";
import { type FakeData, type FakeGraphNode, type Row, startFakeGraphNode } from "./fakeGraphNode.js";
import { E18, fixtureData, protocolRow, tokenRow } from "./fixtures.js";

interface GqlResult {
  data?: Record<string, unknown>;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}
async function gql(url: string, query: string): Promise<GqlResult> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as GqlResult;
}

interface SeriesOut {
  protocol: string;
  metric: string;
  reads: {
    upstream: string;
    network?: string;
    block?: { number: number };
    canonicalSupply?: boolean;
    supplyCounted: boolean;
  }[];
  points: { date: string; raw: string | null }[];
}

describe("one protocol on several networks", () => {
  let gw: GatewayHandle;
  let arb: FakeGraphNode;
  let base: FakeGraphNode;
  beforeAll(async () => {
    arb = await startFakeGraphNode(fixtureData());
    const copy = fixtureData();
    copy.block = { ...copy.block, number: 777, hash: "0xbase" };
    copy.protocols = copy.protocols
      .filter((p: Row) => p.id === "thegraph")
      .map((p: Row) => ({ ...p, network: "base", canonicalSupply: false, totalSupply: String(4n * E18) }));
    base = await startFakeGraphNode(copy);
    gw = await startGateway({
      port: 0,
      logger: pino({ level: "silent" }),
      upstreams: [
        { name: "arb", url: arb.url, network: "arbitrum-one" },
        { name: "base", url: base.url, network: "base" },
      ],
      config: { snapshotTtlMs: 0, cacheEntries: 0, workers: 0 },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await arb.stop();
    await base.stop();
  });

  const series = async (protocol: string, metrics: string[]) => {
    const r = await gql(
      gw.graphqlUrl,
      `{ series(protocols: ["${protocol}"], metrics: ${JSON.stringify(metrics)}, interval: DAY, from: "2024-01-02", to: "2024-01-05") { protocol metric reads { upstream network block { number } canonicalSupply supplyCounted } points { date raw } } }`,
    );
    expect(r.errors).toBeUndefined();
    return r.data?.series as SeriesOut[];
  };
  const at = (s: SeriesOut[], metric: string, date: string) =>
    s.find((x) => x.metric === metric)?.points.find((p) => p.date === date)?.raw;

  it("sums flows and fees across networks and takes supply from the canonical network", async () => {
    const s = await series("thegraph", ["minted", "fees", "totalSupply", "burnedFeeTax"]);
    expect(at(s, "minted", "2024-01-03")).toBe(String(2n * 10_002n * E18));
    expect(at(s, "fees", "2024-01-03")).toBe(String(2n * 10n * E18));
    expect(at(s, "burnedFeeTax", "2024-01-03")).toBe(String(2n * E18));
    expect(at(s, "totalSupply", "2024-01-03")).toBe(String(10_000n * E18));
    expect(s[0]?.reads).toEqual([
      {
        upstream: "arb",
        network: "arbitrum-one",
        block: { number: 4242 },
        canonicalSupply: true,
        supplyCounted: true,
      },
      // GRT is bridged by lock-and-mint: the copy's supply is not counted
      {
        upstream: "base",
        network: "base",
        block: { number: 777 },
        canonicalSupply: false,
        supplyCounted: false,
      },
    ]);
  });

  it("serves each network alone as upstream/id, and a protocol on one network as before", async () => {
    const b = await series("base/thegraph", ["minted", "totalSupply"]);
    expect(at(b, "minted", "2024-01-03")).toBe(String(10_002n * E18));
    expect(b[0]?.reads.map((r) => r.upstream)).toEqual(["base"]);
    const lp = await series("livepeer", ["minted"]);
    expect(lp[0]?.reads.map((r) => r.upstream)).toEqual(["arb"]);
  });

  it("lists the protocol once, with every network it was read on", async () => {
    const r = await gql(
      gw.graphqlUrl,
      "{ protocols { id network totalSupply { raw } reads { upstream network } } }",
    );
    expect(r.errors).toBeUndefined();
    const ps = r.data?.protocols as { id: string; network: string; totalSupply: { raw: string } }[];
    expect(ps.map((p) => p.id).sort()).toEqual(["livepeer", "thegraph"]);
    const g = ps.find((p) => p.id === "thegraph");
    expect(g?.network).toBe("arbitrum-one+base");
    expect(g?.totalSupply.raw).toBe(String(10_000n * E18));
  });
});

/**
 * MOR moves between networks over a LayerZero OFT: the source network burns, the destination mints. Its supply is
 * the sum over its networks (a lock-and-mint copy, GRT above, is not summed). Day 1: 1,000 MOR emitted on the
 * main network; day 2: 400 bridged to Base (burned there, minted here); day 3: 10 more emitted.
 */
describe("a token bridged by burn-and-mint, and answers that name the id asked for", () => {
  let gw: GatewayHandle;
  let arb: FakeGraphNode;
  let base: FakeGraphNode;
  const MOR = "0x092baadb7def4c3981454dd9c0a0d7ff07bcfc86";
  const token = { id: MOR, symbol: "MOR", name: "MOR", decimals: 18 };
  const network = (
    name: string,
    number: number,
    supply: bigint,
    canonical: boolean,
    day: ReturnType<typeof tokenRow>[],
  ): FakeData => {
    const d = fixtureData();
    d.block = { ...d.block, number, hash: `0x${name}` };
    d.protocols = [
      {
        ...protocolRow("morpheus", "Morpheus", token, supply, 0n),
        network: name,
        canonicalSupply: canonical,
      },
    ];
    d.tables = {
      ...d.tables,
      "tokenFlowStats_collection:day": day,
      "tokenFlowStats_collection:hour": [],
      "feeFlowStats_collection:day": [],
      periodActivities: [],
      feePayments: [],
      operators: [],
    };
    return d;
  };
  beforeAll(async () => {
    arb = await startFakeGraphNode(
      network("arbitrum-one", 4242, 610n * E18, true, [
        tokenRow("morpheus", "2024-01-01T00:00:00Z", {
          minted: 1000n * E18,
          grossEmission: 1000n * E18,
          totalSupply: 1000n * E18,
        }),
        tokenRow("morpheus", "2024-01-02T00:00:00Z", {
          burned: 400n * E18,
          burnedBridge: 400n * E18,
          totalSupply: 600n * E18,
        }),
        tokenRow("morpheus", "2024-01-03T00:00:00Z", {
          minted: 10n * E18,
          grossEmission: 10n * E18,
          totalSupply: 610n * E18,
        }),
      ]),
    );
    base = await startFakeGraphNode(
      network("base", 777, 400n * E18, false, [
        tokenRow("morpheus", "2024-01-02T00:00:00Z", {
          minted: 400n * E18,
          mintedBridge: 400n * E18,
          totalSupply: 400n * E18,
        }),
      ]),
    );
    gw = await startGateway({
      port: 0,
      logger: pino({ level: "silent" }),
      upstreams: [
        { name: "arb", url: arb.url, network: "arbitrum-one" },
        { name: "base", url: base.url, network: "base" },
      ],
      config: { snapshotTtlMs: 0, cacheEntries: 0, workers: 0 },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await arb.stop();
    await base.stop();
  });

  it("sums totalSupply over the networks: bridging moves supply, it does not shrink it", async () => {
    const r = await gql(
      gw.graphqlUrl,
      `{ series(protocols: ["morpheus"], metrics: ["totalSupply", "inflationRate"], interval: DAY, from: "2024-01-01", to: "2024-01-04") { metric points { date raw float } }
         protocols { id totalSupply { raw } } }`,
    );
    expect(r.errors).toBeUndefined();
    const s = r.data?.series as { metric: string; points: { raw: string | null; float: number | null }[] }[];
    expect(s.find((x) => x.metric === "totalSupply")?.points.map((p) => p.raw)).toEqual([
      String(1000n * E18),
      String(1000n * E18),
      String(1010n * E18),
    ]);
    // 10 MOR emitted on 1,000 MOR: 1 % a day (on the canonical network's 600 alone it would read 1.7 %)
    const infl = s.find((x) => x.metric === "inflationRate")?.points.map((p) => p.float);
    expect(infl?.[1]).toBe(0);
    expect(infl?.[2]).toBeCloseTo((10 / 1000) * 365, 12);
    const ps = r.data?.protocols as { id: string; totalSupply: { raw: string } }[];
    expect(ps.find((p) => p.id === "morpheus")?.totalSupply.raw).toBe(String(1010n * E18));
  });

  it("says which networks' supply it counted", async () => {
    const r = await gql(
      gw.graphqlUrl,
      `{ series(protocols: ["morpheus"], metrics: ["totalSupply"], interval: DAY, from: "2024-01-01", to: "2024-01-04") { reads { upstream canonicalSupply supplyCounted } } }`,
    );
    expect(r.errors).toBeUndefined();
    expect(((r.data?.series ?? []) as SeriesOut[])[0]?.reads).toEqual([
      { upstream: "arb", canonicalSupply: true, supplyCounted: true },
      { upstream: "base", canonicalSupply: false, supplyCounted: true },
    ]);
  });

  it("names each series, window and scorecard by the id it was asked for", async () => {
    const ids = ["morpheus", "arb/morpheus", "base/morpheus"];
    const r = await gql(
      gw.graphqlUrl,
      `{ series(protocols: ${JSON.stringify(ids)}, metrics: ["minted"], interval: DAY, from: "2024-01-01", to: "2024-01-04") { protocol points { raw } }
         compare(protocols: ${JSON.stringify(ids)}, metric: "minted", interval: DAY, from: "2024-01-01", to: "2024-01-04") { series { protocol } window { protocol raw: value } }
         a: scorecard(protocol: "arb/morpheus", window: 7) { protocol }
         b: scorecard(protocol: "base/morpheus", window: 7) { protocol } }`,
    );
    expect(r.errors).toBeUndefined();
    const d = r.data as {
      series: { protocol: string; points: { raw: string }[] }[];
      compare: { series: { protocol: string }[]; window: { protocol: string }[] };
      a: { protocol: string };
      b: { protocol: string };
    };
    expect(d.series.map((s) => s.protocol)).toEqual(ids);
    expect(d.series.map((s) => s.points[1]?.raw)).toEqual([String(400n * E18), "0", String(400n * E18)]);
    expect(d.compare.series.map((s) => s.protocol)).toEqual(ids);
    expect(d.compare.window.map((w) => w.protocol)).toEqual(ids);
    expect([d.a.protocol, d.b.protocol]).toEqual(["arb/morpheus", "base/morpheus"]);
  });
});
