/**
 * Conformance: every registered protocol (subgraph/src/<slug>/protocol.json) has every part the recipe asks for
 * (docs/adding-a-protocol.md), and the protocol-free layers name no protocol. A missing part fails, named.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { economySlugs } from "../contracts/src/protocols/index.js";
import { PROTOCOLS, type ProtocolSpec } from "../subgraph/scripts/datasources.js";
import { loadDeployment, SUBGRAPH_DIR } from "../subgraph/scripts/manifest.js";
import { ROOT } from "./cli.js";

/** "Transfer(address indexed from, address indexed to, uint256 value)" → "Transfer(address,address,uint256)". */
const canonical = (sig: string) => {
  const m = /^(\w+)\((.*)\)$/.exec(sig.trim());
  if (!m) return sig;
  const types = (m[2] ?? "")
    .split(",")
    .map((p) => p.trim().split(/\s+/)[0] ?? "")
    .filter((t) => t !== "");
  return `${m[1]}(${types.join(",")})`;
};

/** Every event signature a protocol's gnd scenarios emit (tests/subgraph/<slug>-*.json). */
function scenarioEvents(slug: string): Set<string> {
  const dir = join(ROOT, "tests", "subgraph");
  const out = new Set<string>();
  for (const f of readdirSync(dir).filter((n) => n.startsWith(`${slug}-`) && n.endsWith(".json"))) {
    const json = JSON.parse(readFileSync(join(dir, f), "utf8")) as {
      blocks?: { events?: { event: string }[] }[];
    };
    for (const b of json.blocks ?? []) for (const e of b.events ?? []) out.add(canonical(e.event));
  }
  return out;
}

/** What a registered protocol lacks (docs/adding-a-protocol.md); empty when it has every part. */
function missingParts(spec: ProtocolSpec): string[] {
  const missing: string[] = [];
  const slug = spec.slug;
  const doc = join(ROOT, "docs", "protocols", `${slug}.md`);
  const docText = existsSync(doc) ? readFileSync(doc, "utf8") : null;
  if (docText === null) missing.push(`docs/protocols/${slug}.md`);
  const local = loadDeployment(join(SUBGRAPH_DIR, "deployments", "local.json"));
  if (!local.protocols[slug]) missing.push(`a "${slug}" section in subgraph/deployments/local.json`);
  if (!economySlugs().includes(slug))
    missing.push(`contracts/src/protocols/${slug}/economy.ts (the simulated economy)`);
  const covered = scenarioEvents(slug);
  for (const ds of spec.dataSources) {
    const abi = join(ROOT, "abis", `${ds.abi ?? ds.contract}.json`);
    if (!existsSync(abi)) missing.push(`abis/${ds.abi ?? ds.contract}.json`);
    const mapping = join(SUBGRAPH_DIR, "src", ds.file);
    if (!existsSync(mapping)) missing.push(`subgraph/src/${ds.file}`);
    for (const h of ds.handlers) {
      const name = h.event.slice(0, h.event.indexOf("("));
      if (!covered.has(h.event))
        missing.push(`a tests/subgraph/${slug}-*.json scenario emitting ${ds.contract} ${h.event}`);
      if (docText !== null && !docText.includes(name))
        missing.push(`docs/protocols/${slug}.md naming ${name}`);
    }
  }
  return [...new Set(missing)];
}

/** Source files of the protocol-free layers: they read traits as data and never name a protocol. */
function protocolFreeFiles(): string[] {
  const dirs = ["api/src", "subgraph/scripts", "subgraph/src/core", "subgraph/src/prices", "stack/src"];
  const files = [
    "contracts/src/protocols/index.ts",
    "contracts/src/protocols/types.ts",
    // the simulator's host: the chain, the day loop, the deployment of the registry's economies
    "contracts/src/simulate.ts",
    "contracts/src/deploy.ts",
    "contracts/src/network.ts",
    "contracts/src/prices.ts",
    ...readdirSync(join(ROOT, "contracts/src/chain")).map((f) => `contracts/src/chain/${f}`),
  ];
  const walk = (d: string): string[] =>
    readdirSync(join(ROOT, d), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(`${d}/${e.name}`) : e.name.endsWith(".ts") ? [`${d}/${e.name}`] : [],
    );
  // the gnd fixture's addresses are test data (docs/adding-a-protocol.md: a shared data file)
  return [...dirs.flatMap(walk), ...files].filter((f) => f !== "stack/src/gndtest.ts");
}

describe("registered protocols", () => {
  it("are found by folder, at least the four served today", () => {
    expect(PROTOCOLS.map((p) => p.slug)).toEqual(
      expect.arrayContaining(["livepeer", "morpheus", "singularitynet", "thegraph"]),
    );
  });

  for (const spec of PROTOCOLS) {
    describe(spec.slug, () => {
      it("has every part (methodology, ABIs, mappings, local deployment, economy, gnd scenarios)", () => {
        expect(missingParts(spec)).toEqual([]);
      });
      it("is named nowhere in the protocol-free layers (no per-protocol branch)", () => {
        const quoted = new RegExp(`["'\`]${spec.slug}["'\`/]`);
        const naming = protocolFreeFiles().filter((f) =>
          readFileSync(join(ROOT, f), "utf8")
            .split("\n")
            .some((line) => quoted.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line)),
        );
        expect(naming).toEqual([]);
      });
    });
  }
});
