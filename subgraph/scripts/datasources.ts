/**
 * The subgraph's protocols and price sources. A protocol's spec is data: subgraph/src/<slug>/protocol.json
 * (docs/adding-a-protocol.md), found by listing the folders; deployments (addresses, start blocks) are data in
 * subgraph/deployments/.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  OPTIONAL_FIELDS,
  type OptionalField,
  REVENUE_RULES,
  type RevenueRule,
  SUPPLY_BRIDGES,
  type SupplyBridge,
} from "../../api/src/fields.js";

const SRC_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "src");

export interface HandlerSpec {
  /** Canonical event signature, e.g. "Transfer(address,address,uint256)" (topic0 = keccak256 of it). */
  event: string;
  handler: string;
  /**
   * The handler reads the other logs of its transaction (`receipt: true`): where a real function emits the
   * event that says what a token movement was only after it (docs/methodology.md, "Event sequences").
   */
  receipt?: boolean;
}

export interface DataSourceSpec {
  /** Data source name and key of a deployment's protocol section. */
  contract: string;
  /** ABI file abis/<abi>.json (e.g. "singularitynet/MultiPartyEscrow") when it is not the contract's name. */
  abi?: string;
  /** Only in deployments that list it (e.g. a contract replaced before the other networks existed). */
  optional?: boolean;
  /** A contract of the same deployment section whose address the mapping reads as context `feeAsset`. */
  asset?: string;
  file: string;
  entities: string[];
  handlers: HandlerSpec[];
}

/** A fee asset: a contract of the deployment section, or the network's native coin (address 0x0). */
export type FeeAssetSpec = { symbol: string; decimals: number; name?: string } & (
  | { native: true; contract?: undefined }
  | { contract: string; native?: undefined }
) & {
    /** Raw units of the first fee asset one raw unit of this one is worth (an exact integer; the first: none). */
    rate?: string;
  };

/**
 * The trait vocabularies are the schema's enums (subgraph/schema.graphql OptionalField, SupplyBridge, RevenueRule),
 * generated into api/src/fields.ts: optional fields (a protocol's mappings feed only those its spec lists; every
 * metric needing another is null for it: docs/metrics.md, "Which protocol feeds which field"), how a token moves
 * between networks, and the revenue rule.
 */

export interface ProtocolSpec {
  slug: string;
  name: string;
  /**
   * The token whose supply this protocol's TokenFlow tracks (a data source of the deployment section). `bridge`:
   * how it moves between networks, which decides whether a network's copy is supply (docs/metrics.md, "Supply
   * over several networks"); `bridgeReference`: where that is documented.
   */
  token: {
    contract: string;
    symbol: string;
    name: string;
    decimals: number;
    bridge?: SupplyBridge;
    bridgeReference?: string;
  };
  /** The contract that holds the stake (its address is in every data source's context: `stakingAddress`). */
  stakingContract: string | null;
  feeAssets: FeeAssetSpec[];
  /** Revenue: the protocol's cut ("protocolTax"), all fees ("fees": they go to stakers), or none (null). */
  revenue: RevenueRule | null;
  fields: OptionalField[];
  dataSources: DataSourceSpec[];
}

const SLUG = /^[a-z][a-z0-9-]{1,31}$/;
const INTEGER = /^[1-9][0-9]*$/;

/** Validates a spec object; errors name the file and the field. */
export function parseProtocolSpec(value: unknown, file: string): ProtocolSpec {
  const fail = (field: string, expected: string): never => {
    throw new Error(`${file}: ${field} must be ${expected}`);
  };
  if (typeof value !== "object" || value === null) fail("the file", "a JSON object");
  const s = value as Record<string, unknown>;
  if (typeof s.slug !== "string" || !SLUG.test(s.slug)) fail("slug", "lower-case letters, digits and -");
  if (typeof s.name !== "string" || s.name === "") fail("name", "a non-empty string");
  const tok = s.token as Record<string, unknown> | undefined;
  if (typeof tok !== "object" || tok === null) fail("token", "an object");
  for (const k of ["contract", "symbol", "name"])
    if (typeof tok?.[k] !== "string" || tok[k] === "") fail(`token.${k}`, "a non-empty string");
  if (!Number.isInteger(tok?.decimals) || (tok?.decimals as number) < 0 || (tok?.decimals as number) > 36)
    fail("token.decimals", "an integer from 0 to 36");
  if (tok?.bridge !== undefined) {
    if (!(SUPPLY_BRIDGES as readonly unknown[]).includes(tok.bridge))
      fail("token.bridge", `one of ${SUPPLY_BRIDGES.join(", ")} (got ${JSON.stringify(tok.bridge)})`);
    if (typeof tok.bridgeReference !== "string" || tok.bridgeReference === "")
      fail("token.bridgeReference", "a non-empty string naming where the bridge model is documented");
  }
  if (s.stakingContract !== null && typeof s.stakingContract !== "string")
    fail("stakingContract", "a contract name or null");
  if (!Array.isArray(s.feeAssets) || s.feeAssets.length === 0) fail("feeAssets", "a non-empty array");
  (s.feeAssets as Record<string, unknown>[]).forEach((a, i) => {
    const f = `feeAssets[${i}]`;
    if (typeof a !== "object" || a === null) fail(f, "an object");
    if ((a.native === true) === (typeof a.contract === "string"))
      fail(f, 'either "native": true or a "contract"');
    if (typeof a.symbol !== "string" || a.symbol === "") fail(`${f}.symbol`, "a non-empty string");
    if (!Number.isInteger(a.decimals) || (a.decimals as number) < 0 || (a.decimals as number) > 36)
      fail(`${f}.decimals`, "an integer from 0 to 36");
    if (i === 0 && a.rate !== undefined) fail(`${f}.rate`, "absent on the first fee asset (the unit)");
    if (i > 0 && (typeof a.rate !== "string" || !INTEGER.test(a.rate)))
      fail(`${f}.rate`, "a positive integer string (raw units of the first fee asset per raw unit)");
  });
  if (s.revenue !== null && !(REVENUE_RULES as readonly unknown[]).includes(s.revenue))
    fail("revenue", `${REVENUE_RULES.map((r) => JSON.stringify(r)).join(", ")} or null`);
  if (!Array.isArray(s.fields)) fail("fields", "an array");
  for (const f of s.fields as unknown[])
    if (!(OPTIONAL_FIELDS as readonly unknown[]).includes(f))
      fail("fields", `a list of ${OPTIONAL_FIELDS.join(", ")} (got ${JSON.stringify(f)})`);
  if (!Array.isArray(s.dataSources) || s.dataSources.length === 0) fail("dataSources", "a non-empty array");
  (s.dataSources as Record<string, unknown>[]).forEach((d, i) => {
    const f = `dataSources[${i}]`;
    if (typeof d.contract !== "string" || d.contract === "") fail(`${f}.contract`, "a contract name");
    if (typeof d.file !== "string" || !d.file.endsWith(".ts"))
      fail(`${f}.file`, "a mapping file under subgraph/src/");
    if (!Array.isArray(d.handlers) || d.handlers.length === 0) fail(`${f}.handlers`, "a non-empty array");
  });
  if (!(s.dataSources as DataSourceSpec[]).some((d) => d.contract === tok?.contract))
    fail("token.contract", "one of the data sources (its Transfer events are the supply)");
  return s as unknown as ProtocolSpec;
}

/** Every subgraph/src/<slug>/protocol.json, sorted by slug; the slug must equal the folder. */
export function loadProtocolSpecs(dir = SRC_DIR): ProtocolSpec[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, "protocol.json")))
    .map((e) => {
      const file = join(dir, e.name, "protocol.json");
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, "utf8"));
      } catch (err) {
        throw new Error(`${file}: cannot read as JSON (${(err as Error).message})`);
      }
      const spec = parseProtocolSpec(json, file);
      if (spec.slug !== e.name)
        throw new Error(`${file}: slug "${spec.slug}" must equal its folder "${e.name}"`);
      return spec;
    })
    .sort((a, b) => a.slug.localeCompare(b.slug));
}

export const PROTOCOLS: ProtocolSpec[] = loadProtocolSpecs();

/**
 * Price sources (deployments' `prices.sources`): which ABI and handler each kind uses. The asset, quote and
 * decimals of a source are deployment data, passed to the mapping in the data source context.
 */
export const PRICE_SOURCE_KINDS = {
  chainlink: {
    abi: "ChainlinkAggregator",
    file: "prices/chainlink.ts",
    handlers: [{ event: "AnswerUpdated(int256,uint256,uint256)", handler: "handleAnswerUpdated" }],
  },
  uniswapV3: {
    abi: "UniswapV3Pool",
    file: "prices/uniswapV3.ts",
    handlers: [{ event: "Swap(address,address,int256,int256,uint160,uint128,int24)", handler: "handleSwap" }],
  },
} as const;
export type PriceSourceKind = keyof typeof PRICE_SOURCE_KINDS;
export const PRICE_ENTITIES = ["AssetPrice", "EthQuotedAssets", "PriceObservation"];
