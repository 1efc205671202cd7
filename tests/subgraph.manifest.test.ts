/**
 * The manifest is generated from deployment data: every handler's event must have the topic0 the project
 * expects (abis/topics.json, the real contracts' signatures), every handler must exist in its mapping, and
 * `graph build` must succeed for every deployment.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { toEventSelector } from "viem";
import { describe, expect, it } from "vitest";
import { PRICE_SOURCE_KINDS, PROTOCOLS, parseProtocolSpec } from "../subgraph/scripts/datasources.js";
import {
  ABI_DIR,
  buildSubgraph,
  loadDeployment,
  parseDeployment,
  renderManifest,
  SUBGRAPH_DIR,
} from "../subgraph/scripts/manifest.js";
import { ROOT } from "./cli.js";

const topics = JSON.parse(readFileSync(join(ROOT, "abis", "topics.json"), "utf8")) as Record<
  string,
  Record<string, string>
>;
const deploymentFiles = readdirSync(join(SUBGRAPH_DIR, "deployments")).filter((f) => f.endsWith(".json"));

interface ManifestDataSource {
  name: string;
  source: { address: string; abi: string; startBlock: number };
  mapping: {
    file: string;
    abis: { name: string; file: string }[];
    eventHandlers: { event: string; handler: string; receipt?: boolean }[];
  };
}

describe("subgraph manifest", () => {
  it("has deployments as data", () => {
    expect(deploymentFiles).toContain("arbitrum-one.json");
  });

  for (const file of deploymentFiles) {
    const deployment = loadDeployment(join(SUBGRAPH_DIR, "deployments", file));

    it(`${file}: every handler's topic0 is the expected one and every handler exists`, () => {
      const manifest = renderManifest(deployment, "real", SUBGRAPH_DIR) as {
        dataSources: ManifestDataSource[];
      };
      let handlers = 0;
      for (const ds of manifest.dataSources) {
        // topics.json keys are the ABI's path under abis/ ("singularitynet/MultiPartyEscrow")
        const abiFile = ds.mapping.abis.find((a) => a.name === ds.source.abi)?.file ?? "";
        const abiKey = relative(ABI_DIR, resolve(SUBGRAPH_DIR, abiFile)).replace(/\.json$/, "");
        const expected = topics[abiKey];
        expect(expected, `abis/topics.json has ${abiKey}`).toBeDefined();
        const source = readFileSync(join(SUBGRAPH_DIR, ds.mapping.file), "utf8");
        for (const h of ds.mapping.eventHandlers) {
          const canonical = h.event.replaceAll("indexed ", "");
          const topic0 = toEventSelector(canonical);
          expect(expected?.[canonical], `${ds.name} ${canonical}`).toBe(topic0);
          expect(source, `${ds.mapping.file} exports ${h.handler}`).toMatch(
            new RegExp(`export (function ${h.handler}\\(|\\{[^}]*\\b${h.handler}\\b[^}]*\\} from )`),
          );
          handlers++;
        }
      }
      const declared =
        PROTOCOLS.flatMap((p) =>
          p.dataSources.filter((d) => deployment.protocols[p.slug]?.[d.contract]).flatMap((d) => d.handlers),
        ).length +
        (deployment.prices?.sources ?? []).reduce(
          (n, s) => n + PRICE_SOURCE_KINDS[s.kind].handlers.length,
          0,
        );
      expect(handlers).toBe(declared);
    });

    it(`${file}: graph build succeeds`, async () => {
      const built = await buildSubgraph(deployment, "real");
      const text = readFileSync(built.builtManifest, "utf8");
      for (const refs of Object.values(deployment.protocols))
        for (const ref of Object.values(refs))
          expect(text.toLowerCase()).toContain(ref.address.toLowerCase());
    });
  }

  it("exactly the handlers that read their transaction's other logs declare receipt: true", () => {
    const deployment = loadDeployment(join(SUBGRAPH_DIR, "deployments", "arbitrum-one.json"));
    const manifest = renderManifest(deployment, "real", SUBGRAPH_DIR) as {
      dataSources: ManifestDataSource[];
    };
    const withReceipt = manifest.dataSources.flatMap((ds) =>
      ds.mapping.eventHandlers.filter((h) => h.receipt).map((h) => `${ds.name}.${h.handler}`),
    );
    expect(withReceipt.sort()).toEqual(
      [
        "GraphStaking.handleStakeDeposited",
        "GraphStaking.handleHorizonStakeDeposited",
        "RewardsManager.handleRewardsAssigned",
        "RewardsManager.handleHorizonRewardsAssigned",
        "GraphPayments.handleGraphPaymentCollected",
        // Morpheus: emission counts only after the receiver's own MOR mint in the same transaction
        "L2MessageReceiver.handleMessageSuccess",
        "L2MessageReceiver.handleRetryMessageSuccess",
      ].sort(),
    );
  });

  it("arbitrum-one.json: the first Livepeer Minter is a data source, before the second one's deployment", () => {
    const deployment = loadDeployment(join(SUBGRAPH_DIR, "deployments", "arbitrum-one.json"));
    const manifest = renderManifest(deployment, "real", SUBGRAPH_DIR) as {
      dataSources: ManifestDataSource[];
    };
    const v1 = manifest.dataSources.find((d) => d.name === "MinterV1");
    expect(v1?.source).toEqual({
      address: "0x4969dcCF5186e1c49411638fc8A2a020Fdab752E",
      abi: "Minter",
      startBlock: 5856338,
    });
    // local deployments have one Minter
    const local = loadDeployment(join(SUBGRAPH_DIR, "deployments", "local.json"));
    const names = (renderManifest(local, "real", SUBGRAPH_DIR) as { dataSources: ManifestDataSource[] })
      .dataSources;
    expect(names.some((d) => d.name === "MinterV1")).toBe(false);
  });

  it("bad deployment data names the file, the field and what was expected", () => {
    const good = loadDeployment(join(SUBGRAPH_DIR, "deployments", "arbitrum-one.json"));
    const bad = structuredClone(good);
    (bad.protocols.livepeer as Record<string, { address: string }>).Minter = { address: "0x12" } as never;
    expect(() => parseDeployment(bad, "x.json")).toThrow(
      "x.json: protocols.livepeer.Minter.address must be a 0x address",
    );
    expect(() => parseDeployment({ network: "", protocols: {} }, "y.json")).toThrow(
      "y.json: network must be a non-empty string",
    );
    const noStart = structuredClone(good);
    const curation = (noStart.protocols.thegraph as Record<string, { startBlock: number }>).L2Curation;
    if (curation) curation.startBlock = -1;
    expect(() => parseDeployment(noStart, "z.json")).toThrow(
      "protocols.thegraph.L2Curation.startBlock must be",
    );
    const badPrice = structuredClone(good);
    const pool = badPrice.prices?.sources.find((x) => x.kind === "uniswapV3");
    if (pool) pool.quote = "EUR" as never;
    expect(() => parseDeployment(badPrice, "p.json")).toThrow(
      'p.json: prices.sources[1].quote must be "ETH" or "USD"',
    );
    const noAge = structuredClone(good);
    if (noAge.prices) noAge.prices.maxAgeSeconds = 0;
    expect(() => parseDeployment(noAge, "q.json")).toThrow(
      "q.json: prices.maxAgeSeconds must be a number of seconds > 0",
    );
  });

  it("a bridged copy's supply counts by its token's bridge model, which the spec must name", () => {
    // Base's MOR is a copy (bridgedSupply); MOR is bridged by burn-and-mint (morpheus/protocol.json)
    const base = loadDeployment(join(SUBGRAPH_DIR, "deployments", "base.json"));
    const context = (
      renderManifest(base, "real", SUBGRAPH_DIR) as {
        dataSources: { context: Record<string, { data: unknown }> }[];
      }
    ).dataSources[0]?.context;
    expect([context?.canonicalSupply?.data, context?.supplyBridge?.data]).toEqual([false, "burnMint"]);
    expect(PROTOCOLS.find((p) => p.slug === "thegraph")?.token.bridge).toBe("lockMint");
    // a copy of a token whose spec names no bridge model: the gateway could not tell whether it is supply
    const mainnet = loadDeployment(join(SUBGRAPH_DIR, "deployments", "mainnet.json"));
    expect(() => parseDeployment({ ...mainnet, bridgedSupply: ["singularitynet"] }, "b.json")).toThrow(
      'b.json: bridgedSupply must be a list of protocols whose spec names token.bridge ("burnMint" or "lockMint"); subgraph/src/singularitynet/protocol.json names none',
    );
    const spec = JSON.parse(readFileSync(join(SUBGRAPH_DIR, "src", "morpheus", "protocol.json"), "utf8"));
    expect(() =>
      parseProtocolSpec({ ...spec, token: { ...spec.token, bridge: "wrap" } }, "morpheus/protocol.json"),
    ).toThrow('morpheus/protocol.json: token.bridge must be one of burnMint, lockMint (got "wrap")');
    expect(() =>
      parseProtocolSpec({ ...spec, token: { ...spec.token, bridgeReference: "" } }, "morpheus/protocol.json"),
    ).toThrow("morpheus/protocol.json: token.bridgeReference must be a non-empty string");
  });

  it("history to keep is deployment data: the local chain never prunes, real networks default to auto", () => {
    const prune = (file: string) =>
      (
        renderManifest(loadDeployment(join(SUBGRAPH_DIR, "deployments", file)), "real", SUBGRAPH_DIR) as {
          indexerHints: { prune: unknown };
        }
      ).indexerHints.prune;
    expect(prune("local.json")).toBe("never");
    expect(prune("arbitrum-one.json")).toBe("auto");
    const good = loadDeployment(join(SUBGRAPH_DIR, "deployments", "arbitrum-one.json"));
    expect(
      (renderManifest({ ...good, prune: 5000 }, "real", SUBGRAPH_DIR) as { indexerHints: object })
        .indexerHints,
    ).toEqual({ prune: 5000 });
    expect(() => parseDeployment({ ...good, prune: "sometimes" }, "p.json")).toThrow(
      'p.json: prune must be "auto", "never" or a number of blocks > 0 (got "sometimes")',
    );
  });

  it("the topic0 list matches the ABIs in abis/ (no drift between the two)", () => {
    for (const [contract, list] of Object.entries(topics)) {
      const abi = JSON.parse(readFileSync(join(ROOT, "abis", `${contract}.json`), "utf8")) as {
        name: string;
        inputs: { type: string }[];
      }[];
      const fromAbi = Object.fromEntries(
        abi.map((e) => {
          const sig = `${e.name}(${e.inputs.map((i) => i.type).join(",")})`;
          return [sig, toEventSelector(sig)];
        }),
      );
      expect(fromAbi, contract).toEqual(list);
    }
  });
});
