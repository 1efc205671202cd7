/**
 * Generates the subgraph manifest of a deployment (deployments are data: subgraph/deployments/*.json)
 * and builds it with graph-cli. Builds are content-addressed under subgraph/.builds/<hash>/, so an
 * unchanged subgraph keeps its graph-node deployment (indexing resumes) and a changed one gets a new one.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  type DataSourceSpec,
  PRICE_ENTITIES,
  PRICE_SOURCE_KINDS,
  PROTOCOLS,
  type PriceSourceKind,
} from "./datasources.js";

const run = promisify(execFile);

export const SUBGRAPH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT_DIR = resolve(SUBGRAPH_DIR, "..");
export const ABI_DIR = join(ROOT_DIR, "abis");
const GRAPH_BIN = join(ROOT_DIR, "node_modules", ".bin", "graph");

export interface ContractRef {
  address: string;
  startBlock: number;
}
/** graph-node's `indexerHints.prune`: keep all history, a number of blocks, or what graph-node picks. */
export type Prune = "auto" | "never" | number;

/**
 * A price source (docs/methodology.md, "Prices"): a Chainlink aggregator (`AnswerUpdated`) pricing `asset` in
 * USD, or a Uniswap v3 pool (`Swap`) pricing `asset` in its other token, ETH (then through ETH/USD) or USD.
 */
export interface PriceSource extends ContractRef {
  /** Name shown with every USD value, e.g. "Chainlink ETH/USD". */
  name: string;
  kind: PriceSourceKind;
  /** The priced asset: a token address, or the zero address for ETH. */
  asset: string;
  /** chainlink: the feed's decimals. */
  decimals?: number;
  /** uniswapV3: the quote ("ETH" or "USD"), whether the asset is the pool's token0, both tokens' decimals. */
  quote?: "ETH" | "USD";
  assetIsToken0?: boolean;
  assetDecimals?: number;
  quoteDecimals?: number;
  /** Where the source is documented (URL or repository and file). */
  reference?: string;
}

export interface Deployment {
  network: string;
  description?: string;
  /** History to keep (default "auto"; README, "History kept by graph-node"). */
  prune?: Prune;
  protocols: Record<string, Record<string, ContractRef>>;
  /**
   * Protocols whose token on this network is a bridged copy of a canonical network's (their TokenFlow still counts
   * mints and burns here). The gateway counts its supply or not by the spec's token.bridge (burnMint: summed;
   * lockMint: the canonical network's only).
   */
  bridgedSupply?: string[];
  /** Prices from the chain (optional): how old a price may be when it values an event, and its sources. */
  prices?: { maxAgeSeconds: number; sources: PriceSource[] };
}

/**
 * Mode "real": our mappings. "noop": same data sources, handlers that do nothing (graph-node's ceiling).
 * "floor": same data sources, each handler writes one TokenFlow data point (the least a flow-recording
 * mapping does). "probe": one idle data source (what `gnd dev` is started with).
 */
export type ManifestMode = "real" | "noop" | "floor" | "probe";

const MAPPING_OF_MODE: Record<Exclude<ManifestMode, "real">, { file: string; handler: string }> = {
  noop: { file: "noop.ts", handler: "noop" },
  probe: { file: "noop.ts", handler: "noop" },
  floor: { file: "floor.ts", handler: "floor" },
};

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Validates a deployment object; errors name the source and the field. */
export function parseDeployment(value: unknown, source: string): Deployment {
  const fail = (field: string, expected: string): never => {
    throw new Error(`${source}: ${field} must be ${expected}`);
  };
  if (typeof value !== "object" || value === null) fail("the file", "a JSON object");
  const d = value as Record<string, unknown>;
  if (typeof d.network !== "string" || d.network === "") fail("network", "a non-empty string");
  if (
    d.prune !== undefined &&
    d.prune !== "auto" &&
    d.prune !== "never" &&
    !(Number.isInteger(d.prune) && (d.prune as number) > 0)
  )
    fail("prune", `"auto", "never" or a number of blocks > 0 (got ${JSON.stringify(d.prune)})`);
  if (typeof d.protocols !== "object" || d.protocols === null) fail("protocols", "an object");
  const protocols = d.protocols as Record<string, unknown>;
  for (const spec of PROTOCOLS) {
    const p = protocols[spec.slug];
    if (p === undefined) continue;
    if (typeof p !== "object" || p === null) fail(`protocols.${spec.slug}`, "an object");
    const feeContracts = spec.feeAssets.flatMap((a) => (a.contract ? [{ contract: a.contract }] : []));
    const assetContracts = spec.dataSources.flatMap((ds) => (ds.asset ? [{ contract: ds.asset }] : []));
    for (const ds of [...spec.dataSources, ...feeContracts, ...assetContracts] as {
      contract: string;
      optional?: boolean;
    }[]) {
      const c = (p as Record<string, unknown>)[ds.contract] as Record<string, unknown> | undefined;
      const field = `protocols.${spec.slug}.${ds.contract}`;
      if (c === undefined && ds.optional) continue;
      if (c === undefined) fail(field, "present (every contract of a protocol is needed)");
      if (typeof c?.address !== "string" || !ADDRESS.test(c.address))
        fail(`${field}.address`, "a 0x address");
      if (!Number.isInteger(c?.startBlock) || (c?.startBlock as number) < 0)
        fail(`${field}.startBlock`, "a block number ≥ 0");
    }
  }
  if (!PROTOCOLS.some((s) => protocols[s.slug] !== undefined))
    fail("protocols", `an object with at least one of ${PROTOCOLS.map((s) => s.slug).join(", ")}`);
  if (d.prices !== undefined) parsePrices(d.prices, fail);
  if (
    d.bridgedSupply !== undefined &&
    (!Array.isArray(d.bridgedSupply) || d.bridgedSupply.some((x) => typeof x !== "string" || !protocols[x]))
  )
    fail("bridgedSupply", "a list of protocol slugs of this deployment");
  for (const slug of (d.bridgedSupply as string[] | undefined) ?? []) {
    // a bridged copy counts as supply or not by how the token is bridged: the spec must say which
    if (!PROTOCOLS.find((s) => s.slug === slug)?.token.bridge)
      fail(
        "bridgedSupply",
        `a list of protocols whose spec names token.bridge ("burnMint" or "lockMint"); subgraph/src/${slug}/protocol.json names none`,
      );
  }
  return d as unknown as Deployment;
}

function parsePrices(value: unknown, fail: (field: string, expected: string) => never): void {
  if (typeof value !== "object" || value === null) fail("prices", "an object");
  const p = value as Record<string, unknown>;
  if (
    !Number.isInteger(p.maxAgeSeconds) ||
    (p.maxAgeSeconds as number) <= 0 ||
    (p.maxAgeSeconds as number) > 2 ** 31 - 1
  )
    fail("prices.maxAgeSeconds", "a number of seconds > 0");
  if (!Array.isArray(p.sources)) fail("prices.sources", "an array");
  const decimals = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 36;
  (p.sources as unknown[]).forEach((raw, i) => {
    const f = `prices.sources[${i}]`;
    if (typeof raw !== "object" || raw === null) fail(f, "an object");
    const s = raw as Record<string, unknown>;
    if (typeof s.name !== "string" || s.name === "") fail(`${f}.name`, "a non-empty string");
    if (typeof s.kind !== "string" || !(s.kind in PRICE_SOURCE_KINDS))
      fail(`${f}.kind`, `one of ${Object.keys(PRICE_SOURCE_KINDS).join(", ")}`);
    if (typeof s.address !== "string" || !ADDRESS.test(s.address)) fail(`${f}.address`, "a 0x address");
    if (!Number.isInteger(s.startBlock) || (s.startBlock as number) < 0)
      fail(`${f}.startBlock`, "a block number ≥ 0");
    if (typeof s.asset !== "string" || !ADDRESS.test(s.asset))
      fail(`${f}.asset`, "a 0x token address (the zero address for ETH)");
    if (s.kind === "chainlink" && !decimals(s.decimals))
      fail(`${f}.decimals`, "the feed's decimals (0 to 36)");
    if (s.kind === "uniswapV3") {
      if (s.quote !== "ETH" && s.quote !== "USD") fail(`${f}.quote`, '"ETH" or "USD"');
      if (typeof s.assetIsToken0 !== "boolean") fail(`${f}.assetIsToken0`, "true or false");
      if (!decimals(s.assetDecimals)) fail(`${f}.assetDecimals`, "the asset's decimals (0 to 36)");
      if (!decimals(s.quoteDecimals)) fail(`${f}.quoteDecimals`, "the quote token's decimals (0 to 36)");
    }
  });
}

export function loadDeployment(path: string): Deployment {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${path}: cannot read the deployment file as JSON (${(e as Error).message})`);
  }
  return parseDeployment(json, path);
}

interface AbiInput {
  name: string;
  type: string;
  indexed?: boolean;
}
interface AbiEvent {
  type: string;
  name: string;
  inputs: AbiInput[];
}

const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** The manifest's ABI name: the file's base name ("singularitynet/MultiPartyEscrow" -> "MultiPartyEscrow"). */
export const abiName = (abiPath: string) => abiPath.slice(abiPath.lastIndexOf("/") + 1);

/** The address of a contract of a protocol's deployment section (a fee asset, a data source's asset). */
function contractAddress(deployment: Deployment, slug: string, contract: string): string {
  const ref = deployment.protocols[slug]?.[contract];
  if (!ref) throw new Error(`deployment ${deployment.network}: no ${contract} for ${slug}`);
  return ref.address;
}

export function readAbi(contract: string): AbiEvent[] {
  return JSON.parse(readFileSync(join(ABI_DIR, `${contract}.json`), "utf8")) as AbiEvent[];
}

/** "Transfer(address,address,uint256)" -> "Transfer(indexed address,indexed address,uint256)" from the ABI. */
export function manifestEventSignature(contract: string, canonical: string): string {
  for (const e of readAbi(contract)) {
    if (`${e.name}(${e.inputs.map((i) => i.type).join(",")})` === canonical) {
      return `${e.name}(${e.inputs.map((i) => (i.indexed ? `indexed ${i.type}` : i.type)).join(",")})`;
    }
  }
  throw new Error(`abis/${contract}.json has no event ${canonical}`);
}

/** The manifest as an object (JSON is valid YAML). Paths are relative to `manifestDir`. */
export function renderManifest(deployment: Deployment, mode: ManifestMode, manifestDir: string): object {
  const rel = (p: string) => relative(manifestDir, p) || ".";
  const dataSources: object[] = [];
  const add = (slug: string, ds: DataSourceSpec, ref: ContractRef, context: Record<string, unknown>) => {
    const abiPath = ds.abi ?? ds.contract;
    const abi = abiName(abiPath);
    dataSources.push({
      kind: "ethereum/contract",
      name: ds.contract,
      network: deployment.network,
      source: { address: ref.address, abi, startBlock: ref.startBlock },
      context: ds.asset
        ? {
            ...context,
            feeAsset: { type: "String", data: contractAddress(deployment, slug, ds.asset).toLowerCase() },
          }
        : context,
      mapping: {
        kind: "ethereum/events",
        apiVersion: "0.0.9",
        language: "wasm/assemblyscript",
        entities: mode === "real" ? ds.entities : mode === "floor" ? ["TokenFlow"] : ["Protocol"],
        abis: [{ name: abi, file: rel(join(ABI_DIR, `${abiPath}.json`)) }],
        // The receipt flag stays in every mode but the probe: graph-node fetches the same receipts.
        eventHandlers: (mode === "probe" ? ds.handlers.slice(0, 1) : ds.handlers).map((h) => ({
          event: manifestEventSignature(abiPath, h.event),
          handler: mode === "real" ? h.handler : MAPPING_OF_MODE[mode].handler,
          ...(h.receipt && mode !== "probe" ? { receipt: true } : {}),
        })),
        file: rel(join(SUBGRAPH_DIR, "src", mode === "real" ? ds.file : MAPPING_OF_MODE[mode].file)),
      },
    });
    void slug;
  };
  for (const spec of PROTOCOLS) {
    const refs = deployment.protocols[spec.slug];
    if (!refs) continue;
    const token = refs[spec.token.contract];
    if (!token)
      throw new Error(`deployment ${deployment.network}: no ${spec.token.contract} for ${spec.slug}`);
    const staking = spec.stakingContract ? refs[spec.stakingContract] : undefined;
    // the protocol's traits (docs/adding-a-protocol.md): written onto its Protocol entity, read by the gateway
    const assets = spec.feeAssets.map((a) =>
      a.native ? ZERO_ADDRESS : contractAddress(deployment, spec.slug, a.contract).toLowerCase(),
    );
    const context = {
      protocol: { type: "String", data: spec.slug },
      protocolName: { type: "String", data: spec.name },
      tokenAddress: { type: "String", data: token.address.toLowerCase() },
      tokenSymbol: { type: "String", data: spec.token.symbol },
      tokenName: { type: "String", data: spec.token.name },
      tokenDecimals: { type: "Int", data: spec.token.decimals },
      stakingAddress: { type: "String", data: (staking?.address ?? "").toLowerCase() },
      revenueRule: { type: "String", data: spec.revenue ?? "" },
      fields: { type: "String", data: spec.fields.join(",") },
      feeAssets: { type: "String", data: assets.join(",") },
      feeAssetSymbols: { type: "String", data: spec.feeAssets.map((a) => a.symbol).join(",") },
      feeAssetNames: { type: "String", data: spec.feeAssets.map((a) => a.name ?? a.symbol).join(",") },
      feeAssetDecimals: { type: "String", data: spec.feeAssets.map((a) => String(a.decimals)).join(",") },
      feeAssetRates: { type: "String", data: spec.feeAssets.map((a) => a.rate ?? "1").join(",") },
      canonicalSupply: { type: "Bool", data: !(deployment.bridgedSupply ?? []).includes(spec.slug) },
      supplyBridge: { type: "String", data: spec.token.bridge ?? "" },
    };
    for (const ds of spec.dataSources) {
      const ref = refs[ds.contract];
      if (!ref && ds.optional) continue;
      if (!ref) throw new Error(`deployment ${deployment.network}: no ${ds.contract} for ${spec.slug}`);
      if (mode === "probe") {
        add(spec.slug, ds, { address: "0x000000000000000000000000000000000000dEaD", startBlock: 0 }, context);
        break;
      }
      add(spec.slug, ds, ref, context);
    }
    if (mode === "probe") break;
  }
  if (deployment.prices && mode !== "probe") addPriceSources(deployment, mode, dataSources, rel);
  return {
    specVersion: "1.3.0",
    description: `AI-token tokenomics (${mode}) on ${deployment.network}`,
    repository: "https://github.com/ai-tokenomics/ai-tokenomics",
    schema: { file: rel(writeSchema()) },
    indexerHints: { prune: deployment.prune ?? "auto" },
    dataSources,
  };
}

/** One data source per price source; the first of a kind is named after its ABI (the mappings' generated types). */
function addPriceSources(
  deployment: Deployment,
  mode: ManifestMode,
  dataSources: object[],
  rel: (p: string) => string,
): void {
  const prices = deployment.prices as NonNullable<Deployment["prices"]>;
  const count = new Map<string, number>();
  for (const src of prices.sources) {
    const kind = PRICE_SOURCE_KINDS[src.kind];
    const n = (count.get(src.kind) ?? 0) + 1;
    count.set(src.kind, n);
    const context: Record<string, { type: string; data: unknown }> = {
      name: { type: "String", data: src.name },
      asset: { type: "String", data: src.asset.toLowerCase() },
      maxAgeSeconds: { type: "Int", data: prices.maxAgeSeconds },
    };
    if (src.kind === "chainlink") context.decimals = { type: "Int", data: src.decimals };
    else {
      context.quote = { type: "String", data: src.quote };
      context.assetIsToken0 = { type: "Bool", data: src.assetIsToken0 };
      context.assetDecimals = { type: "Int", data: src.assetDecimals };
      context.quoteDecimals = { type: "Int", data: src.quoteDecimals };
    }
    dataSources.push({
      kind: "ethereum/contract",
      name: n === 1 ? kind.abi : `${kind.abi}${n}`,
      network: deployment.network,
      source: { address: src.address, abi: kind.abi, startBlock: src.startBlock },
      context,
      mapping: {
        kind: "ethereum/events",
        apiVersion: "0.0.9",
        language: "wasm/assemblyscript",
        entities: mode === "real" ? PRICE_ENTITIES : mode === "floor" ? ["TokenFlow"] : ["Protocol"],
        abis: [{ name: kind.abi, file: rel(join(ABI_DIR, `${kind.abi}.json`)) }],
        eventHandlers: kind.handlers.map((h) => ({
          event: manifestEventSignature(kind.abi, h.event),
          handler: mode === "real" ? h.handler : MAPPING_OF_MODE[mode].handler,
        })),
        file: rel(join(SUBGRAPH_DIR, "src", mode === "real" ? kind.file : MAPPING_OF_MODE[mode].file)),
      },
    });
  }
}

/**
 * The subgraph's schema: subgraph/schema.graphql (protocol-free entities) followed by each protocol's own
 * entities, subgraph/schema/<slug>.graphql (docs/adding-a-protocol.md).
 */
export function schemaText(): string {
  const dir = join(SUBGRAPH_DIR, "schema");
  const parts = [readFileSync(join(SUBGRAPH_DIR, "schema.graphql"), "utf8")];
  if (existsSync(dir))
    for (const f of readdirSync(dir)
      .filter((n) => n.endsWith(".graphql"))
      .sort())
      parts.push(`# ---- subgraph/schema/${f}\n${readFileSync(join(dir, f), "utf8")}`);
  return parts.join("\n");
}

/** Writes the whole schema into subgraph/.manifests/ (rewritten only when it changed); returns its path. */
function writeSchema(): string {
  const manifestDir = join(SUBGRAPH_DIR, ".manifests");
  const path = join(manifestDir, "schema.graphql");
  const text = schemaText();
  mkdirSync(manifestDir, { recursive: true });
  if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeFileSync(path, text);
  return path;
}

function hashInputs(manifestText: string): string {
  const h = createHash("sha256");
  h.update(manifestText);
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(`${relative(ROOT_DIR, p)}\0`).update(readFileSync(p));
    }
  };
  walk(join(SUBGRAPH_DIR, "src"));
  walk(ABI_DIR);
  h.update(schemaText());
  return h.digest("hex").slice(0, 16);
}

export interface BuiltSubgraph {
  hash: string;
  /** The built manifest: graph-node (gnd) deploys it by this path. */
  builtManifest: string;
  buildDir: string;
  reused: boolean;
}

let codegenDone: Promise<unknown> | undefined;

/** Generates the manifest, runs codegen once per process and builds into subgraph/.builds/<hash>/ (cached). */
export async function buildSubgraph(deployment: Deployment, mode: ManifestMode): Promise<BuiltSubgraph> {
  const manifestDir = join(SUBGRAPH_DIR, ".manifests");
  mkdirSync(manifestDir, { recursive: true });
  const text = `${JSON.stringify(renderManifest(deployment, mode, manifestDir), null, 2)}\n`;
  const hash = hashInputs(text);
  const buildDir = join(SUBGRAPH_DIR, ".builds", hash);
  const builtManifest = join(buildDir, "subgraph.yaml");
  if (existsSync(builtManifest)) return { hash, builtManifest, buildDir, reused: true };

  const manifestPath = join(manifestDir, `${hash}.yaml`);
  writeFileSync(manifestPath, text);
  codegenDone ??= run(GRAPH_BIN, ["codegen", manifestPath, "-o", join(SUBGRAPH_DIR, "generated")], {
    cwd: SUBGRAPH_DIR,
  });
  await codegenDone;
  const tmp = `${buildDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await run(GRAPH_BIN, ["build", manifestPath, "-o", tmp], { cwd: SUBGRAPH_DIR, maxBuffer: 16 << 20 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `graph build failed for ${manifestPath}:\n${err.stdout ?? ""}${err.stderr ?? err.message}`,
    );
  }
  if (!existsSync(builtManifest)) renameSync(tmp, buildDir);
  else rmSync(tmp, { recursive: true, force: true });
  return { hash, builtManifest, buildDir, reused: false };
}
