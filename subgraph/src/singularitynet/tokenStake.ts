// SingularityNET TokenStake, the released contract (singnet/snet-stake contracts/TokenStake.sol, commit 2db4abe
// to HEAD; npm singularitynet-stake-contracts 1.0.4): stakers stake FET in windows; the rewards come from a pool
// the token operator funded beforehand with plain token transfers, so they are distributed incentives, not
// emission. No operators: stake belongs to stakers only. A staker's stake is the contract's `balances[staker]`,
// which only these events move (and `migrateStakes`, which emits none: docs/protocols/singularitynet.md).
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { Protocol, TokenFlow } from "../../generated/schema";
import {
  AddReward,
  ClaimStake,
  RejectStake,
  SubmitStake,
  WithdrawStake,
} from "../../generated/TokenStake/TokenStake";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { addStakerStake } from "../core/stake";

/** The staker's balance in the contract and the protocol's `staked` move by delta (no operator). */
function moveStake(protocol: Protocol, flow: TokenFlow, staker: Address, delta: BigInt, activeIn: ethereum.Event | null): void {
  addStakerStake(protocol, flow, staker, delta, activeIn);
  protocol.staked = protocol.staked.plus(delta);
  flow.stakedDelta = flow.stakedDelta.plus(delta);
}

/** Principal in (submitStake) or out (withdrawStake, rejectStake, claimStake): a stake flow of an active staker. */
function principal(staker: Address, delta: BigInt, event: ethereum.Event): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  moveStake(protocol, flow, staker, delta, event);
  if (delta.gt(BigInt.zero())) flow.stakeInflow = delta;
  else flow.stakeOutflow = delta.neg();
  flow.save();
  protocol.save();
}

export function handleSubmitStake(event: SubmitStake): void {
  principal(event.params.staker, event.params.stakeAmount, event);
}

/** Withdrawn during the submission phase. */
export function handleWithdrawStake(event: WithdrawStake): void {
  principal(event.params.staker, event.params.stakeAmount.neg(), event);
}

/** The operator returned a pending stake to the staker. */
export function handleRejectStake(event: RejectStake): void {
  principal(event.params.staker, event.params.returnAmount.neg(), event);
}

/** The staker takes its whole balance out: principal and the rewards added to it. */
export function handleClaimStake(event: ClaimStake): void {
  principal(event.params.staker, event.params.totalAmount.neg(), event);
}

/**
 * computeAndAddReward (also once per staker in updateRewards): the reward is added to the staker's balance in the
 * contract (it stays staked) and paid out of the operator-funded pool: distributedIncentives, no mint, no stake
 * inflow, no activity. The event's other amounts (totalStakeAmount, windowTotalStake) are the window's, not read.
 */
export function handleAddReward(event: AddReward): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const reward = event.params.rewardAmount;
  moveStake(protocol, flow, event.params.staker, reward, null);
  flow.distributedIncentives = reward;
  flow.save();
  protocol.save();
}
