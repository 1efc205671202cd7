/**
 * One protocol on several networks (api/src/merge.ts): two fake graph-nodes serve The Graph on two networks, the
 * second a bridged copy. Flows and fees are summed, supply comes from the canonical network, each network stays
 * reachable as "upstream/id", and every answer lists the blocks it read.
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, startGateway } from "../src/server.js";
import { type FakeGraphNode, type Row, startFakeGraphNode } from "./fakeGraphNode.js";
import { E18, fixtureData } from "./fixtures.js";

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
  reads: { upstream: string; network: string; block: { number: number }; canonicalSupply: boolean }[];
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
      `{ series(protocols: ["${protocol}"], metrics: ${JSON.stringify(metrics)}, interval: DAY, from: "2024-01-02", to: "2024-01-05") { protocol metric reads { upstream network block { number } canonicalSupply } points { date raw } } }`,
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
      { upstream: "arb", network: "arbitrum-one", block: { number: 4242 }, canonicalSupply: true },
      { upstream: "base", network: "base", block: { number: 777 }, canonicalSupply: false },
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
