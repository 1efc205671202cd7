/**
 * The functions of Livepeer's emitter contracts (contracts/sol/LivepeerToken.sol, BondingManager.sol, Minter.sol,
 * RoundsManager.sol, TicketBroker.sol) the economy calls through the SimHub, and the events its ledger reads from
 * the receipts (the real contracts' events: abis/livepeer/).
 */
import { parseAbi } from "viem";

const AUTH = "function setAuthorized(address account, bool value)";

export const LPT_ABI = parseAbi([
  AUTH,
  "function mint(address to, uint256 amount)",
  "function forceTransfer(address from, address to, uint256 amount)",
  "function batchTransfer(address[] from, address[] to, uint256[] amounts)",
  "event Transfer(address indexed from, address indexed to, uint256 value)",
]);

export const BONDING_MANAGER_ABI = parseAbi([
  AUTH,
  "function bond(address newDelegate, address oldDelegate, address delegator, uint256 additionalAmount, uint256 bondedAmount)",
  "function unbond(address delegate, address delegator, uint256 lockId, uint256 amount, uint256 withdrawRound)",
  "function rebond(address delegate, address delegator, uint256 lockId, uint256 amount)",
  "function withdrawStake(address delegator, uint256 lockId, uint256 amount, uint256 withdrawRound)",
  "function reward(address transcoder, uint256 amount, address treasury, uint256 treasuryAmount)",
  "function claimEarnings(address delegate, address delegator, uint256 rewards, uint256 fees, uint256 startRound, uint256 endRound)",
  "function transcoderUpdate(address transcoder, uint256 rewardCut, uint256 feeShare)",
  "function slashTranscoder(address transcoder, address finder, uint256 penalty, uint256 finderReward)",
  "event Reward(address indexed transcoder, uint256 amount)",
  "event TreasuryReward(address indexed transcoder, address treasury, uint256 amount)",
]);

export const MINTER_ABI = parseAbi([
  AUTH,
  "function setCurrentRewardTokens(uint256 currentMintableTokens, uint256 currentInflation)",
]);

export const ROUNDS_MANAGER_ABI = parseAbi([AUTH, "function initializeRound(uint256 round)"]);

export const TICKET_BROKER_ABI = parseAbi([
  AUTH,
  "function fundDeposit(address sender, uint256 amount)",
  "function redeemWinningTicket(address sender, address recipient, uint256 faceValue, uint256 winProb, uint256 senderNonce, uint256 recipientRand, bytes auxData)",
  "event WinningTicketRedeemed(address indexed sender, address indexed recipient, uint256 faceValue, uint256 winProb, uint256 senderNonce, uint256 recipientRand, bytes auxData)",
]);
