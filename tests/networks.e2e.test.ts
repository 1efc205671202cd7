/**
 * End to end, one protocol on two local networks (issue 13): the real stack (stack/src/harness.ts) runs a second
 * anvil ("local-b", chain id 31338) with the registered economies' second-network parts (Deployer.primary false),
 * graph-node indexes both chains (one subgraph name each), and the gateway serves both upstreams. For every
 * protocol on both networks: the second subgraph indexes the second chain; the gateway's DAY series of a flow is
 * the sum of the two ground truths; totalSupply is the sum too for a token bridged by burn-and-mint (the spec's
 * token.bridge; MOR's OFT), the canonical network's for a lock-and-mint copy; `reads` lists both upstreams, their
 * blocks and whether their supply was counted; `local-b/<slug>` is the second network's ground truth alone, and is
 * named so.
 *
 * With no registered protocol that has a part on a second network, this test FAILS (it does not pass on nothing):
 * the message names what an economy's deploy() must do.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { METRICS_BY_NAME } from "../api/src/metrics/catalog.js";
import type { GroundTruth, NetworkDeployment, NetworkGroundTruth } from "../contracts/src/index.js";
import { gql, startStack, type TestStack } from "../stack/src/harness.js";
import { CHAIN_ID_B, NETWORK, NETWORK_B } from "../stack/src/stack.js";
import { PROTOCOLS } from "../subgraph/scripts/datasources.js";

const DAYS = 8;
/** Flows compared (the ones a protocol's spec feeds; the gateway says which are applicable). */
const FLOWS = [
  "minted",
  "burned",
  "mintedBridge",
  "burnedBridge",
  "grossEmission",
  "transferVolume",
  "stakeInflow",
  "stakeOutflow",
  "fees",
];

interface Read {
  upstream: string;
  network: string;
  block: { number: number };
  canonicalSupply: boolean;
  supplyCounted: boolean;
}
interface Series {
  protocol: string;
  metric: string;
  applicable: boolean;
  reads: Read[];
  points: { date: string; raw: string | null }[];
}

let stack: TestStack;
let main: GroundTruth;
let second: NetworkGroundTruth | null = null;
let deploymentB: NetworkDeployment | null = null;
/** Protocols with a part on both networks. */
let shared: string[] = [];

const head = async (url: string) =>
  Number.parseInt(
    (
      (await (
        await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_blockNumber", params: [] }),
        })
      ).json()) as { result: string }
    ).result,
    16,
  );

beforeAll(async () => {
  stack = await startStack({ days: DAYS, seed: 7, gateway: true, secondNetwork: true });
  main = JSON.parse(readFileSync(stack.groundTruthPaths[NETWORK] as string, "utf8")) as GroundTruth;
  const b = stack.networks[NETWORK_B];
  if (b) deploymentB = JSON.parse(readFileSync(b.deploymentFile, "utf8")) as NetworkDeployment;
  const pathB = stack.groundTruthPaths[NETWORK_B];
  if (pathB) second = JSON.parse(readFileSync(pathB, "utf8")) as NetworkGroundTruth;
  shared = Object.keys(second?.protocols ?? {}).filter((slug) => main.protocols[slug]);
}, 15 * 60_000);
afterAll(async () => {
  await stack?.stop();
});

const series = async (protocol: string, metrics: string[]): Promise<Series[]> => {
  const first = main.protocols[shared[0] as string]?.daily[0]?.date as string;
  const { series: s } = await gql<{ series: Series[] }>(
    stack.gatewayUrl as string,
    `query($p: [String!]!, $m: [String!]!, $from: String!, $to: String!) {
      series(protocols: $p, metrics: $m, interval: DAY, from: $from, to: $to) {
        protocol metric applicable reads { upstream network block { number } canonicalSupply supplyCounted } points { date raw }
      } }`,
    { p: [protocol], m: metrics, from: first, to: String(main.endTime) },
  );
  return s;
};

describe("one protocol on two local networks", () => {
  it("has a protocol with a part on the second network (bridged there)", () => {
    expect(
      shared.length,
      "no registered economy has a part on the second local network: an economy's deploy(d) must, when " +
        "d.primary is false, deploy the contracts of its bridged side and return { contracts, bridged: true } " +
        "(contracts/src/protocols/types.ts), e.g. contracts/src/protocols/morpheus/economy.ts with MOR + Builders " +
        `(deployment ${stack.networks[NETWORK_B]?.deploymentFile ?? "of local-b: none"})`,
    ).toBeGreaterThan(0);
    for (const slug of shared) expect(deploymentB?.bridgedSupply ?? [], slug).toContain(slug);
  });

  it("the second subgraph indexes the second chain (its own chain id), to its head, without errors", async () => {
    expect(shared.length, "no protocol on both networks (first test)").toBeGreaterThan(0);
    const net = stack.networks[NETWORK_B];
    expect(net?.graphqlUrl).toBeTruthy();
    const chainId = await fetch(net?.rpcUrl as string, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    }).then(async (r) => Number.parseInt(((await r.json()) as { result: string }).result, 16));
    expect(chainId).toBe(CHAIN_ID_B);
    const { _meta, protocols } = await gql<{
      _meta: { block: { number: number }; hasIndexingErrors: boolean };
      protocols: { id: string; network: string; canonicalSupply: boolean }[];
    }>(
      net?.graphqlUrl as string,
      "{ _meta { block { number } hasIndexingErrors } protocols { id network canonicalSupply } }",
    );
    expect(_meta.hasIndexingErrors).toBe(false);
    expect(_meta.block.number).toBe(await head(net?.rpcUrl as string));
    expect(protocols.map((p) => p.id).sort()).toEqual(Object.keys(deploymentB?.protocols ?? {}).sort());
    for (const p of protocols) {
      expect(p.network).toBe(NETWORK_B);
      expect(p.canonicalSupply).toBe(!(deploymentB?.bridgedSupply ?? []).includes(p.id));
    }
  });

  it("the gateway sums each flow of both ground truths per day, totalSupply by the token's bridge model, and lists both reads", async () => {
    expect(shared.length, "no protocol on both networks (first test)").toBeGreaterThan(0);
    const heads = {
      [NETWORK]: await head(stack.rpcUrl),
      [NETWORK_B]: await head(stack.networks[NETWORK_B]?.rpcUrl as string),
    };
    const mismatches: string[] = [];
    for (const slug of shared) {
      const a = main.protocols[slug];
      const b = second?.protocols[slug];
      // (a protocol not bridged on local-b already fails the first test; its flows are still checked here)
      const bridged = (deploymentB?.bridgedSupply ?? []).includes(slug);
      // burn-and-mint: the copy is supply (summed); lock-and-mint: only the canonical network's counts
      const burnMint = PROTOCOLS.find((p) => p.slug === slug)?.token.bridge === "burnMint";
      const metrics = [...FLOWS.filter((m) => METRICS_BY_NAME.has(m)), ...(bridged ? ["totalSupply"] : [])];
      const out = await series(slug, metrics);
      const compared = out.filter((s) => s.applicable && s.metric !== "totalSupply");
      expect(compared.length, `${slug}: applicable flows`).toBeGreaterThan(1);
      for (const s of out) {
        expect(
          s.reads.map((r) => [r.upstream, r.network, r.block.number, r.canonicalSupply, r.supplyCounted]),
        ).toEqual([
          [NETWORK, NETWORK, heads[NETWORK], true, true],
          [NETWORK_B, NETWORK_B, heads[NETWORK_B], !bridged, !bridged || burnMint],
        ]);
        expect(s.protocol).toBe(slug);
        if (!s.applicable) continue;
        const got = new Map(s.points.map((p) => [p.date, p.raw]));
        for (const [i, dayA] of (a?.daily ?? []).entries()) {
          const dayB = b?.daily[i];
          const field = s.metric as keyof typeof dayA;
          const sum = String(BigInt(String(dayA[field])) + BigInt(String(dayB?.[field] ?? 0)));
          const want = s.metric === "totalSupply" && bridged && !burnMint ? String(dayA.totalSupply) : sum;
          const raw = got.get(dayA.date) ?? null;
          if ((raw ?? "0") !== want)
            mismatches.push(`${slug} ${s.metric} ${dayA.date}: expected ${want}, got ${raw}`);
        }
      }
      // the second network does move the protocol: a sum equal to the main truth alone proves nothing
      const moved = (b?.daily ?? []).some((d) => d.minted !== "0" || d.transferVolume !== "0");
      expect(moved, `${slug}: the second network's ground truth has activity`).toBe(true);
    }
    expect(mismatches, mismatches.slice(0, 30).join("\n")).toEqual([]);
  });

  it("serves the second network alone as local-b/<slug>: its ground truth alone", async () => {
    expect(shared.length, "no protocol on both networks (first test)").toBeGreaterThan(0);
    const mismatches: string[] = [];
    for (const slug of shared) {
      const b = second?.protocols[slug];
      const out = await series(
        `${NETWORK_B}/${slug}`,
        FLOWS.filter((m) => METRICS_BY_NAME.has(m)),
      );
      for (const s of out) {
        expect(s.reads.map((r) => r.upstream)).toEqual([NETWORK_B]);
        // the answer is named by the id asked for, not by the slug both networks share
        expect(s.protocol).toBe(`${NETWORK_B}/${slug}`);
        if (!s.applicable) continue;
        const got = new Map(s.points.map((p) => [p.date, p.raw]));
        for (const day of b?.daily ?? []) {
          const want = String(day[s.metric as keyof typeof day]);
          const raw = got.get(day.date) ?? null;
          if ((raw ?? "0") !== want)
            mismatches.push(`${NETWORK_B}/${slug} ${s.metric} ${day.date}: expected ${want}, got ${raw}`);
        }
      }
    }
    expect(mismatches, mismatches.slice(0, 30).join("\n")).toEqual([]);
  });
});
