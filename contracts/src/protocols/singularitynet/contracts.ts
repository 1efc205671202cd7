/**
 * SingularityNET's contracts on the local chain: the real MultiPartyEscrow (npm singularitynet-platform-contracts
 * 2.1.0, MIT: abi/, bytecode/, networks/) and our emitters and tokens (contracts/sol/singularitynet/).
 */

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { type Abi, type Hex, parseAbi } from "viem";

const require = createRequire(import.meta.url);
const PKG_DIR = dirname(require.resolve("singularitynet-platform-contracts/package.json"));

function readPackageJson(rel: string): unknown {
  const path = join(PKG_DIR, rel);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`singularitynet-platform-contracts: cannot read ${rel} (${(e as Error).message})`);
  }
}

/** The real MultiPartyEscrow: full ABI (functions and events) and creation bytecode (solc 0.6). */
export const MPE_ABI = readPackageJson("abi/MultiPartyEscrow.json") as Abi;
export const MPE_BYTECODE = readPackageJson("bytecode/MultiPartyEscrow.json") as Hex;
if (typeof MPE_BYTECODE !== "string" || !MPE_BYTECODE.startsWith("0x"))
  throw new Error("singularitynet-platform-contracts: bytecode/MultiPartyEscrow.json is not a 0x string");

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

/** TokenStake emitter (contracts/sol/singularitynet/TokenStake.sol, after TokenStakeV3). */
export const STAKE_ABI = parseAbi([
  "event DepositToken(address indexed tokenOperator, uint256 amount)",
  "event OpenForStake(uint256 indexed stakeIndex, address indexed tokenOperator, uint256 startPeriod, uint256 endPeriod, uint256 approvalEndPeriod, uint256 rewardAmount)",
  "event SubmitStake(uint256 indexed stakeIndex, address indexed staker, uint256 stakeAmount)",
  "event ClaimStake(uint256 indexed stakeIndex, address indexed staker, uint256 totalAmount)",
  "event RejectStake(uint256 indexed stakeIndex, address indexed staker, address indexed tokenOperator, uint256 returnAmount)",
  "event AddReward(address indexed staker, uint256 indexed stakeIndex, address tokenOperator, uint256 totalStakeAmount, uint256 rewardAmount)",
  "event WithdrawStake(uint256 indexed stakeIndex, address indexed staker, uint256 stakeAmount)",
  "function depositToken(uint256 value)",
  "function openForStake(uint256 startPeriod, uint256 submissionEndPeriod, uint256 approvalEndPeriod, uint256 requestWithdrawStartPeriod, uint256 endPeriod, uint256 windowRewardAmount)",
  "function submitStake(uint256 stakeAmount)",
  "function withdrawStake(uint256 stakeMapIndex, uint256 stakeAmount)",
  "function computeAndAddReward(uint256 stakeMapIndex, address staker)",
  "function claimStake(uint256 stakeMapIndex)",
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
