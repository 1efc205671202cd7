/**
 * The Graph's legacy protocol as compiled and published on npm by its authors: `@graphprotocol/contracts`
 * 7.2.1, `artifacts/<source>.sol/<Name>.json` (Hardhat artifacts: abi, creation bytecode, link references).
 * Nothing here is compiled by us; the only change made to a bytecode is linking the one library
 * (`LibExponential`) into `L2Staking` at the offsets the artifact gives.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Abi, AbiEvent, Address, Hex } from "viem";

const require = createRequire(import.meta.url);

/** The package version this module was built and tested against (its event sequences are in docs/simulator.md). */
export const GRAPH_CONTRACTS_VERSION = "7.2.1";

/** Source file of each contract we deploy, as in the package's `artifacts/` tree. */
export const ARTIFACT_SOURCES = {
  Controller: "contracts/governance/Controller.sol",
  GraphProxyAdmin: "contracts/upgrades/GraphProxyAdmin.sol",
  GraphProxy: "contracts/upgrades/GraphProxy.sol",
  L2GraphToken: "contracts/l2/token/L2GraphToken.sol",
  EpochManager: "contracts/epochs/EpochManager.sol",
  RewardsManager: "contracts/rewards/RewardsManager.sol",
  GraphCurationToken: "contracts/curation/GraphCurationToken.sol",
  L2Curation: "contracts/l2/curation/L2Curation.sol",
  LibExponential: "contracts/staking/libs/Exponential.sol",
  StakingExtension: "contracts/staking/StakingExtension.sol",
  L2Staking: "contracts/l2/staking/L2Staking.sol",
} as const;
export type ArtifactName = keyof typeof ARTIFACT_SOURCES;

/** `linkReferences[sourceName][libraryName]` = byte ranges of the placeholder in the creation bytecode. */
export type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;

export interface Artifact {
  contractName: string;
  sourceName: string;
  abi: Abi;
  /** Creation bytecode, possibly with library placeholders (`__$…$__`). */
  bytecode: Hex;
  linkReferences: LinkReferences;
}

/** Folder of the installed `@graphprotocol/contracts`; throws if it is not the version this module expects. */
export function packageDir(): string {
  let pkgJson: string;
  try {
    pkgJson = require.resolve("@graphprotocol/contracts/package.json");
  } catch {
    throw new Error(
      `@graphprotocol/contracts is not installed: run npm install in the repository root (contracts/package.json pins ${GRAPH_CONTRACTS_VERSION})`,
    );
  }
  const { version } = JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string };
  if (version !== GRAPH_CONTRACTS_VERSION)
    throw new Error(
      `@graphprotocol/contracts at ${dirname(pkgJson)} is ${version}, expected ${GRAPH_CONTRACTS_VERSION}`,
    );
  return dirname(pkgJson);
}

const cache = new Map<ArtifactName, Artifact>();

/** Reads one artifact of the package and checks that it is the contract asked for, with bytecode. */
export function loadArtifact(name: ArtifactName): Artifact {
  const hit = cache.get(name);
  if (hit) return hit;
  const source = ARTIFACT_SOURCES[name];
  const file = join(packageDir(), "artifacts", source, `${name}.json`);
  const a = JSON.parse(readFileSync(file, "utf8")) as Partial<Artifact>;
  if (a.contractName !== name || a.sourceName !== source)
    throw new Error(
      `${file}: expected contract ${name} from ${source}, found ${a.contractName} from ${a.sourceName}`,
    );
  if (!Array.isArray(a.abi)) throw new Error(`${file}: no abi`);
  if (typeof a.bytecode !== "string" || !a.bytecode.startsWith("0x") || a.bytecode.length <= 2)
    throw new Error(`${file}: no creation bytecode (an interface or abstract contract?)`);
  const artifact: Artifact = {
    contractName: name,
    sourceName: source,
    abi: a.abi,
    bytecode: a.bytecode as Hex,
    linkReferences: a.linkReferences ?? {},
  };
  cache.set(name, artifact);
  return artifact;
}

/**
 * Creation bytecode with every library placeholder replaced by the deployed library's address.
 * `libraries` is keyed `"<sourceName>:<LibraryName>"`; a missing, unused or malformed entry throws.
 */
export function linkBytecode(artifact: Artifact, libraries: Record<string, Address> = {}): Hex {
  let code = artifact.bytecode.slice(2);
  const used = new Set<string>();
  for (const [source, libs] of Object.entries(artifact.linkReferences)) {
    for (const [lib, refs] of Object.entries(libs)) {
      const key = `${source}:${lib}`;
      const address = libraries[key];
      if (!address)
        throw new Error(`${artifact.contractName} needs library ${key}: pass its deployed address`);
      if (!/^0x[0-9a-fA-F]{40}$/.test(address))
        throw new Error(`library ${key}: ${address} is not an address`);
      used.add(key);
      for (const { start, length } of refs) {
        if (length !== 20)
          throw new Error(`${artifact.contractName}: link reference of ${length} bytes for ${key}`);
        const at = start * 2;
        const placeholder = code.slice(at, at + 40);
        if (!placeholder.startsWith("__$") || !placeholder.endsWith("$__"))
          throw new Error(
            `${artifact.contractName}: no placeholder for ${key} at byte ${start} (found ${placeholder})`,
          );
        code = code.slice(0, at) + address.slice(2).toLowerCase() + code.slice(at + 40);
      }
    }
  }
  for (const key of Object.keys(libraries))
    if (!used.has(key)) throw new Error(`${artifact.contractName} does not link library ${key}`);
  if (code.includes("__$"))
    throw new Error(`${artifact.contractName}: unlinked placeholder left in bytecode`);
  return `0x${code}`;
}

const signature = (item: Abi[number]): string =>
  "name" in item
    ? `${item.type} ${item.name}(${("inputs" in item ? item.inputs : []).map((i) => i.type).join(",")})`
    : item.type;

/** Concatenates ABIs, keeping the first of entries with the same type, name and input types. */
export function mergeAbis(...abis: Abi[]): Abi {
  const seen = new Set<string>();
  const out: Abi[number][] = [];
  for (const abi of abis)
    for (const item of abi) {
      const sig = signature(item);
      if (seen.has(sig)) continue;
      seen.add(sig);
      out.push(item);
    }
  return out;
}

/**
 * What the Staking proxy answers: L2Staking's own functions, plus everything it forwards to StakingExtension
 * through its fallback (delegation, slashing, every getter). The extension's `initialize` is left out: only
 * L2Staking.initialize calls it, by delegatecall.
 */
export function stakingAbi(): Abi {
  const extension = loadArtifact("StakingExtension").abi.filter(
    (x) => !(x.type === "function" && x.name === "initialize"),
  );
  return mergeAbis(loadArtifact("L2Staking").abi, extension);
}

/** What a GraphProxy answers: the implementation's ABI plus the proxy's own events (upgrades). */
export function proxiedAbi(implementation: Abi): Abi {
  const proxyEvents = loadArtifact("GraphProxy").abi.filter((x): x is AbiEvent => x.type === "event");
  return mergeAbis(implementation, proxyEvents);
}

/** The older package installed side by side (npm alias `gc-v5` = `@graphprotocol/contracts@5.3.3`). */
export const GRAPH_CONTRACTS_V5_VERSION = "5.3.3";

let v5RewardsManager: { abi: Abi; bytecode: Hex } | undefined;

/**
 * RewardsManager from `@graphprotocol/contracts` 5.3.3 (npm alias `gc-v5`): the implementation line Arbitrum One
 * ran before Horizon, whose `takeRewards` emits the 4-argument `RewardsAssigned(indexer, allocationID, epoch,
 * amount)` (7.2.1 emits only `HorizonRewardsAssigned`). 5.3.3 publishes no Hardhat artifacts: the ABI is
 * `dist/abis/RewardsManager.json`, the creation bytecode the `_bytecode` constant of its TypeChain factory
 * (`dist/types/factories/RewardsManager__factory.js`); it has no libraries to link.
 */
export function loadRewardsManagerV5(): { abi: Abi; bytecode: Hex } {
  if (v5RewardsManager) return v5RewardsManager;
  let pkgJson: string;
  try {
    pkgJson = require.resolve("gc-v5/package.json");
  } catch {
    throw new Error(
      `gc-v5 (npm:@graphprotocol/contracts@${GRAPH_CONTRACTS_V5_VERSION}) is not installed: run npm install in the repository root`,
    );
  }
  const dir = dirname(pkgJson);
  const { version } = JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string };
  if (version !== GRAPH_CONTRACTS_V5_VERSION)
    throw new Error(`gc-v5 at ${dir} is ${version}, expected ${GRAPH_CONTRACTS_V5_VERSION}`);
  const abi = JSON.parse(readFileSync(join(dir, "dist", "abis", "RewardsManager.json"), "utf8")) as Abi;
  const factory = readFileSync(join(dir, "dist", "types", "factories", "RewardsManager__factory.js"), "utf8");
  const m = /_bytecode = "(0x[0-9a-fA-F]+)"/.exec(factory);
  if (!m?.[1]) throw new Error(`${dir}: no RewardsManager creation bytecode in its TypeChain factory`);
  if (m[1].includes("__")) throw new Error(`${dir}: RewardsManager bytecode has unlinked libraries`);
  v5RewardsManager = { abi, bytecode: m[1] as Hex };
  return v5RewardsManager;
}
