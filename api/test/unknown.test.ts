/**
 * Not applicable or unknown is null, never 0 (issue 21, item 2). A period wholly before a protocol's first indexed
 * data (The Graph's first day bucket in the fixture is 2024-01-03) is unknown: every metric null, with a note, in
 * GraphQL and in /series.csv. The `protocols` query answers null, with the reason, for stocks a protocol does not
 * have (SingularityNET feeds neither operators nor grossEmission).
 */
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, startGateway } from "../src/http/server.js";
import { type FakeGraphNode, startFakeGraphNode } from "./fakeGraphNode.js";
import { E18, fixtureData, protocolRow } from "./fixtures.js";

async function gql(url: string, query: string) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

interface Point {
  date: string;
  value: string | null;
  note: string | null;
}

describe("unknown and not applicable are null, with the reason", () => {
  let gw: GatewayHandle;
  let node: FakeGraphNode;
  beforeAll(async () => {
    const data = fixtureData();
    const fet = {
      id: "0xaea46a60368a7bd060eec7df8cba43b7ef41ad85",
      symbol: "FET",
      name: "Fetch",
      decimals: 18,
    };
    data.protocols.push(protocolRow("singularitynet", "SingularityNET", fet, 50n * E18, 5n * E18));
    node = await startFakeGraphNode(data);
    gw = await startGateway({
      port: 0,
      logger: pino({ level: "silent" }),
      upstreams: [{ name: "arb", url: node.url, network: "arbitrum-one" }],
      config: { snapshotTtlMs: 0, cacheEntries: 0, workers: 0 },
    });
  });
  afterAll(async () => {
    await gw.stop();
    await node.stop();
  });

  it("answers the periods before a protocol's first data as unknown (null with a note), not 0", async () => {
    const r = await gql(
      gw.graphqlUrl,
      `{ series(protocols: ["thegraph"], metrics: ["fees", "totalSupply", "inflationRate", "grossEmission"], interval: DAY, from: "2024-01-01", to: "2024-01-05") { metric points { date value note } } }`,
    );
    expect(r.errors).toBeUndefined();
    const list = (r.data?.series ?? []) as { metric: string; points: Point[] }[];
    expect(list).toHaveLength(4);
    for (const s of list) {
      const [d1, d2, d3, d4] = s.points;
      for (const p of [d1, d2]) {
        expect(p?.value, `${s.metric} ${p?.date}`).toBeNull();
        expect(p?.note, `${s.metric} ${p?.date}`).toMatch(
          /before The Graph's first indexed data \(2024-01-03\)/,
        );
      }
      // from the first data on, values are known: a day without activity is 0 (a flow) or carried (a stock)
      expect(d3?.note, s.metric).toBeNull();
      if (s.metric === "fees") expect([d3?.value, d4?.value]).toEqual(["10", "0"]);
      if (s.metric === "totalSupply") expect([d3?.value, d4?.value]).toEqual(["10000", "10000"]);
    }
  });

  it("/series.csv: the rows before the first data are empty with the note", async () => {
    const res = await fetch(
      `${gw.url}/series.csv?protocol=thegraph&metric=fees&interval=DAY&from=2024-01-01&to=2024-01-05`,
    );
    const rows = (await res.text()).trim().split("\n");
    const header = (rows[0] ?? "").split(",");
    const col = (line: string, name: string) => line.split(",")[header.indexOf(name)];
    const byDate = new Map(rows.slice(1).map((l) => [col(l, "date"), l]));
    expect(col(byDate.get("2024-01-02") ?? "", "value")).toBe("");
    // (columns after `note` are not split here: the note may hold a comma, quoted)
    expect(byDate.get("2024-01-02")).toMatch(/before The Graph's first indexed data/);
    expect(col(byDate.get("2024-01-04") ?? "", "value")).toBe("0");
  });

  it("protocols: null, not 0, for what a protocol does not have", async () => {
    const r = await gql(
      gw.graphqlUrl,
      "{ protocols { id operators stakers cumulativeGrossEmission { raw } } }",
    );
    expect(r.errors).toBeUndefined();
    const ps = r.data?.protocols as {
      id: string;
      operators: number | null;
      stakers: number | null;
      cumulativeGrossEmission: { raw: string } | null;
    }[];
    const snet = ps.find((p) => p.id === "singularitynet");
    expect(snet?.operators).toBeNull();
    expect(snet?.cumulativeGrossEmission).toBeNull();
    expect(snet?.stakers).toBe(9);
    const lp = ps.find((p) => p.id === "livepeer");
    expect(lp?.operators).toBe(4);
    expect(lp?.cumulativeGrossEmission).toEqual({ raw: "0" });
  });

  it("protocols: says why each null field is null", async () => {
    const r = await gql(gw.graphqlUrl, "{ protocols { id nulls { field reason } } }");
    expect(r.errors).toBeUndefined();
    const ps = r.data?.protocols as { id: string; nulls: { field: string; reason: string }[] }[];
    const snet = ps.find((p) => p.id === "singularitynet");
    expect(snet?.nulls.map((n) => n.field)).toEqual(["operators", "cumulativeGrossEmission"]);
    expect(snet?.nulls[0]?.reason).toMatch(/SingularityNET/);
    expect(ps.find((p) => p.id === "livepeer")?.nulls).toEqual([]);
  });
});
