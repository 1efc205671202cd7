// The event sequences of The Graph's real functions (docs/methodology.md, "Event sequences"), read from the
// logs of the transaction: which stake deposits are restaked rewards or fees, how much of a legacy reward
// stayed in the delegation pool, and who paid through the PaymentsEscrow. Not a mapping: its handlers'
// helpers (they are declared with `receipt: true` in subgraph/scripts/datasources.ts).
import { Address, BigInt, Bytes, dataSource, ethereum } from "@graphprotocol/graph-ts";
import { ZERO } from "../core/constants";
import { dataAddress, dataUint, isEvent, topicAddress, TxLogs } from "../core/receipt";

// topic0 of the events these sequences involve (abis/topics.json; EscrowCollected from PaymentsEscrow's ABI)
const TRANSFER = Bytes.fromHexString("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
const APPROVAL = Bytes.fromHexString("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925");
const REWARDS_ASSIGNED = Bytes.fromHexString("0x315d9cdbc182c9118c140c78a121ebb9f24bf73f841339a8a41cdc3586c34e18");
const HORIZON_REWARDS_ASSIGNED = Bytes.fromHexString(
  "0xa111914d7f2ea8beca61d12f1a1f38c5533de5f1823c3936422df4404ac2ec68",
);
const STAKE_DEPOSITED = Bytes.fromHexString("0x0a7bb2e28cc4698aac06db79cf9163bfcc20719286cf59fa7d492ceda1b8edc2");
const HORIZON_STAKE_DEPOSITED = Bytes.fromHexString(
  "0x48c384dd8bdf1e06d8afecd810c4acfc3d553ac5d879dec5a69875dbbd90e14b",
);
const TOKENS_TO_DELEGATION_POOL_ADDED = Bytes.fromHexString(
  "0x673007a04e501145e79f59aea5e0413b6e88344fdaf10326254530d6a1511530",
);
const DELEGATION_PARAMETERS_UPDATED = Bytes.fromHexString(
  "0xdd5c1add84431df7ff63c721510522fbccafda37dfc33f0f5094d90135a8f22a",
);
const REBATE_COLLECTED = Bytes.fromHexString("0xf5ded07502b6feba4c13b19a0c6646efd4b4119f439bcbd49076e4f0ed1eec4b");
const REBATE_CLAIMED = Bytes.fromHexString("0xb5f11a762db39abff5529064f3103b1abb9a5a3ba3d61972c1a7006d09db7d20");
const GRAPH_PAYMENT_COLLECTED = Bytes.fromHexString(
  "0xb1ac8b16683562f4b1b5ecbe3321151b400058de5cdd25ac44d5bfacb106765f",
);
const ESCROW_COLLECTED = Bytes.fromHexString("0x399b99b484be516eace7ececa486139581a25b0d2d12dac8bfa0948d07a8c913");

/** The staking proxy (legacy L2Staking and HorizonStaking), from the data source context. */
function stakingAddress(): Address {
  return Address.fromString(dataSource.context().getString("stakingAddress"));
}

function isRewardEvent(log: ethereum.Log): boolean {
  return isEvent(log, REWARDS_ASSIGNED) || isEvent(log, HORIZON_REWARDS_ASSIGNED);
}

function rewardAmount(log: ethereum.Log): BigInt {
  // RewardsAssigned(indexer, allocationID, epoch, amount); HorizonRewardsAssigned(indexer, allocationID, amount)
  return isEvent(log, REWARDS_ASSIGNED) ? dataUint(log, 1) : dataUint(log, 0);
}

function isDeposit(log: ethereum.Log): boolean {
  return isEvent(log, STAKE_DEPOSITED) || isEvent(log, HORIZON_STAKE_DEPOSITED);
}

/**
 * Whether a StakeDeposited / HorizonStakeDeposited of `tokens` for `serviceProvider` puts rewards or fees the
 * staking contract already holds or receives into the provider's stake (a restake), rather than principal:
 * - query fees: the next log is the fee event that paid them, RebateCollected (legacy Staking.collect,
 *   HorizonStakingExtension.collect: `_sendRewards` restakes `queryRebates` just before it), RebateClaimed
 *   (Staking._claim before the exponential-rebates upgrade: the same for the claimed rebate) or
 *   GraphPaymentCollected (GraphPayments.collect: `stakeTo(receiver, tokensRemaining)` when
 *   `receiverDestination` is 0);
 * - indexing rewards: the nearest earlier log, skipping the token pulls into the staking contract, approvals,
 *   the delegation pool's share (TokensToDelegationPoolAdded) and a pool initialisation
 *   (DelegationParametersUpdated), is the provider's reward event. Legacy Staking / HorizonStakingExtension
 *   `_distributeRewards` restake right after takeRewards (nothing pulled: the reward was minted to the staking
 *   contract); the SubgraphService (AllocationManager._presentPOI) pulls the delegators' and then the
 *   indexer's share, which add up to the reward.
 */
export function isRestake(event: ethereum.Event, serviceProvider: Address, tokens: BigInt): boolean {
  const txl = new TxLogs(event);
  if (txl.at < 0) return false;
  const staking = event.address;
  const next = txl.get(1);
  if (next != null) {
    if (
      isEvent(next, REBATE_COLLECTED) &&
      next.address.equals(staking) &&
      topicAddress(next, 1).equals(serviceProvider) &&
      dataUint(next, 6).equals(tokens) // queryRebates: the indexer's part
    )
      return true;
    if (
      isEvent(next, REBATE_CLAIMED) &&
      next.address.equals(staking) &&
      topicAddress(next, 1).equals(serviceProvider) &&
      dataUint(next, 2).equals(tokens) // tokens: the indexer's part of the claimed rebate
    )
      return true;
    if (
      isEvent(next, GRAPH_PAYMENT_COLLECTED) &&
      dataAddress(next, 0).equals(serviceProvider) && // receiver
      dataUint(next, 5).equals(tokens) && // tokensReceiver
      dataAddress(next, 6).equals(Address.zero()) // receiverDestination
    )
      return true;
  }
  let pulled = false;
  let pool = ZERO;
  for (let i = txl.at - 1; i >= 0; i--) {
    const log = txl.logs[i];
    if (isEvent(log, APPROVAL)) continue;
    if (isEvent(log, TRANSFER) && topicAddress(log, 2).equals(staking)) {
      pulled = true;
      continue;
    }
    if (log.address.equals(staking) && isEvent(log, DELEGATION_PARAMETERS_UPDATED)) continue;
    if (
      log.address.equals(staking) &&
      isEvent(log, TOKENS_TO_DELEGATION_POOL_ADDED) &&
      topicAddress(log, 1).equals(serviceProvider)
    ) {
      pool = pool.plus(dataUint(log, 0));
      continue;
    }
    if (!isRewardEvent(log) || !topicAddress(log, 1).equals(serviceProvider)) return false;
    return !pulled || rewardAmount(log).equals(pool.plus(tokens));
  }
  return false;
}

/**
 * The part of a reward that stays in the staking contract as delegation-pool tokens, where no event says so:
 * legacy Staking and HorizonStakingExtension `_distributeRewards` (takeRewards mints the reward to the staking
 * contract; `_collectDelegationIndexingRewards` adds the delegators' share to the pool; `_sendRewards` then
 * restakes the indexer's share (StakeDeposited / HorizonStakeDeposited) or pushes it to the rewards
 * destination (a GRT Transfer), or sends nothing when it is 0). It is the reward minus the indexer's share.
 * Rewards minted to the SubgraphService (AllocationManager._presentPOI) return 0: their delegation share has
 * its own event (TokensToDelegationPoolAdded).
 */
export function legacyDelegationShare(event: ethereum.Event, indexer: Address, amount: BigInt): BigInt {
  if (amount.isZero()) return ZERO;
  const txl = new TxLogs(event);
  const mint = txl.get(-1);
  const staking = stakingAddress();
  // takeRewards mints the reward to its caller, the rewards issuer, just before the reward event.
  if (
    mint == null ||
    !isEvent(mint, TRANSFER) ||
    !topicAddress(mint, 1).equals(Address.zero()) ||
    !topicAddress(mint, 2).equals(staking)
  )
    return ZERO;
  for (let i = txl.at + 1; i < txl.logs.length; i++) {
    const log = txl.logs[i];
    if (log.address.equals(staking) && isEvent(log, DELEGATION_PARAMETERS_UPDATED)) continue;
    if (log.address.equals(staking) && isDeposit(log) && topicAddress(log, 1).equals(indexer))
      return amount.minus(dataUint(log, 0)); // the indexer's share, restaked
    if (isEvent(log, TRANSFER) && topicAddress(log, 1).equals(staking))
      return amount.minus(dataUint(log, 0)); // the indexer's share, paid to its rewards destination
    break;
  }
  return amount; // no indexer share: all of it went to the delegation pool
}

/**
 * The account that paid a GraphPaymentCollected: GraphPayments.collect pulls from its caller, which is the
 * PaymentsEscrow for escrowed payments; PaymentsEscrow.collect emits EscrowCollected(paymentType, payer, …)
 * right after GraphPayments.collect returns, so its payer is the paying account. Otherwise the caller paid.
 */
export function graphPaymentPayer(event: ethereum.Event, caller: Address): Address {
  const next = new TxLogs(event).get(1);
  if (next != null && next.address.equals(caller) && isEvent(next, ESCROW_COLLECTED)) return topicAddress(next, 2);
  return caller;
}
