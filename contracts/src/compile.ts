import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi, Hex } from "viem";

/** Directory of the contracts workspace (contracts/). */
export const CONTRACTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOL_DIR = join(CONTRACTS_DIR, "sol");
const BUILD_DIR = join(CONTRACTS_DIR, "build");

export interface CompiledContract {
  abi: Abi;
  bytecode: Hex;
}

/** Names of the host's compiled contracts: The Graph's Horizon emitters (the staking proxy's Horizon
 * implementation, GraphPayments, and PaymentsEscrow and SubgraphService, which the subgraph does not index), the
 * price sources' drivers and the simulator's SimHub. The Graph's legacy contracts are the real ones
 * (src/protocols/thegraph/); each economy reaches its own by name (Deployer.compiled). */
export type ContractName =
  | "GraphHorizonStaking"
  | "GraphPayments"
  | "PaymentsEscrow"
  | "SubgraphService"
  | "PriceFeed"
  | "WETH"
  | "PoolDriver"
  | "SimHub";

/** The host's contracts by name, and each economy's (contracts/sol/<slug>/*.sol) by its contract name. */
export type CompiledContracts = Record<ContractName, CompiledContract> & Record<string, CompiledContract>;

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

let memo: CompiledContracts | undefined;

/** contracts/sol/*.sol and contracts/sol/<slug>/*.sol (a protocol's emitters), as solc source names. */
function solFiles(): string[] {
  const out: string[] = [];
  for (const e of readdirSync(SOL_DIR, { withFileTypes: true })) {
    if (e.isFile() && e.name.endsWith(".sol")) out.push(e.name);
    if (e.isDirectory())
      for (const f of readdirSync(join(SOL_DIR, e.name))) if (f.endsWith(".sol")) out.push(`${e.name}/${f}`);
  }
  return out.sort();
}

/**
 * Compiles contracts/sol/*.sol and contracts/sol/<slug>/*.sol with solc-js. The output is cached in contracts/build/, keyed by a hash
 * of the sources and compiler settings.
 */
export async function compileContracts(): Promise<CompiledContracts> {
  if (memo) return memo;
  const files = solFiles();
  const sources: Record<string, { content: string }> = {};
  for (const f of files) sources[f] = { content: readFileSync(join(SOL_DIR, f), "utf8") };
  const settings = {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: "cancun",
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
  };
  const hash = createHash("sha256")
    .update(JSON.stringify({ sources, settings, solc: "0.8.30" }))
    .digest("hex")
    .slice(0, 16);
  const cacheFile = join(BUILD_DIR, `contracts-${hash}.json`);
  if (existsSync(cacheFile)) {
    memo = JSON.parse(readFileSync(cacheFile, "utf8")) as CompiledContracts;
    return memo;
  }
  const solc = (await import("solc")).default;
  const input = { language: "Solidity", sources, settings };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc: ${errors.map((e) => e.formattedMessage).join("\n")}`);
  const result: Partial<CompiledContracts> = {};
  for (const [file, contracts] of Object.entries(output.contracts)) {
    for (const [name, c] of Object.entries(contracts)) {
      if (`${name}.sol` !== file.split("/").pop()) continue; // skip the abstract bases and interfaces
      if (result[name])
        throw new Error(`two contracts named ${name} in contracts/sol (names must be unique)`);
      result[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    }
  }
  mkdirSync(BUILD_DIR, { recursive: true });
  writeFileSync(cacheFile, JSON.stringify(result));
  memo = result as CompiledContracts;
  return memo;
}
