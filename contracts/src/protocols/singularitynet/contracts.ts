/**
 * SingularityNET's contracts on the local chain: the real MultiPartyEscrow (npm singularitynet-platform-contracts
 * 2.1.0, MIT: abi/, bytecode/, networks/), the real TokenStake (npm singularitynet-stake-contracts 1.0.4, MIT:
 * abi/, bytecode/, networks/, sol/) and our emitters and tokens (contracts/sol/singularitynet/).
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Abi, type Hex, parseAbi } from "viem";

const require = createRequire(import.meta.url);
function readPackageJson(pkg: string, rel: string): unknown {
  const path = join(dirname(require.resolve(`${pkg}/package.json`)), rel);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`${pkg}: cannot read ${rel} (${(e as Error).message})`);
  }
}

function readBytecode(pkg: string, rel: string): Hex {
  const code = readPackageJson(pkg, rel);
  if (typeof code !== "string" || !code.startsWith("0x"))
    throw new Error(`${pkg}: ${rel} is not a 0x string`);
  return code as Hex;
}

/** The real MultiPartyEscrow: full ABI (functions and events) and creation bytecode (solc 0.6). */
export const MPE_ABI = readPackageJson(
  "singularitynet-platform-contracts",
  "abi/MultiPartyEscrow.json",
) as Abi;
export const MPE_BYTECODE = readBytecode(
  "singularitynet-platform-contracts",
  "bytecode/MultiPartyEscrow.json",
);

/**
 * The released TokenStake (singnet/snet-stake contracts/TokenStake.sol, commit 2db4abe to HEAD; solc 0.6): full
 * ABI and creation bytecode, constructor (token, maxMigrationBlocks).
 */
export const STAKE_ABI = readPackageJson("singularitynet-stake-contracts", "abi/TokenStake.json") as Abi;
export const STAKE_BYTECODE = readBytecode("singularitynet-stake-contracts", "bytecode/TokenStake.json");

/** The AGIX and FET tokens (contracts/sol/singularitynet/SnetERC20.sol): functions and events. */
export const TOKEN_ABI = parseAbi([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Approval(address indexed owner, address indexed spender, uint256 value)",
  "function mint(address to, uint256 amount)",
  "function mintBatch(address[] to, uint256[] amounts)",
  "function setMinter(address account, bool value)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function transfer(address to, uint256 amount) returns (bool)",
]);

/** AGIX -> FET migration emitter (contracts/sol/singularitynet/AsiMigration.sol). */
export const MIGRATION_ABI = parseAbi([
  "event Migrated(address indexed account, uint256 agixAmount, uint256 fetAmount)",
  "function migrate(uint256 agixAmount)",
]);

/** FET wei per AGIX raw unit: 0.43335 FET per AGIX with 8 and 18 decimals (protocol.json feeAssets rate). */
export const AGIX_TO_FET = 4_333_500_000n;
export const AGIX = 10n ** 8n;
export const FET = 10n ** 18n;
