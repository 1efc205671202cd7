// Livepeer BondingManager: bonding, rewards, slashing, orchestrator parameters.
import {
  Bond,
  EarningsClaimed,
  Rebond,
  Reward,
  TranscoderSlashed,
  TranscoderUpdate,
  TreasuryReward,
  Unbond,
} from "../../generated/BondingManager/BondingManager";
import { ZERO, ZERO_ADDRESS } from "../core/constants";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { saveRewardEvent } from "../core/records";
import { addDelegationStake, addOperatorStake, loadOperator, setDelegationStake } from "../core/stake";
import { addPrincipal, creditOperatorStake, moveStake, recordEmission, slashOperator } from "../core/staking";

/**
 * BondingManager.bondForWithHint: additionalAmount is principal (stake inflow, the delegator is active); the
 * existing bond (bondedAmount - additionalAmount) moves from oldDelegate to newDelegate when they differ: a
 * move between operators, no flow and no activity (docs/metrics.md, activeStakers).
 */
export function handleBond(event: Bond): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const p = event.params;
  const additional = p.additionalAmount;
  const moved = p.bondedAmount.minus(additional);
  const newOp = loadOperator(protocol, p.newDelegate);
  if (!p.oldDelegate.equals(ZERO_ADDRESS) && !p.oldDelegate.equals(p.newDelegate) && moved.gt(ZERO)) {
    // Re-delegation: the existing bond moves between operators; not a flow.
    const oldOp = loadOperator(protocol, p.oldDelegate);
    addOperatorStake(protocol, flow, oldOp, moved.neg());
    addPrincipal(oldOp, p.delegator, moved.neg());
    setDelegationStake(protocol, flow, oldOp, p.delegator, ZERO, null);
    oldOp.save();
    addOperatorStake(protocol, flow, newOp, moved);
    addPrincipal(newOp, p.delegator, moved);
  }
  addOperatorStake(protocol, flow, newOp, additional);
  addPrincipal(newOp, p.delegator, additional);
  setDelegationStake(protocol, flow, newOp, p.delegator, p.bondedAmount, additional.gt(ZERO) ? event : null);
  flow.stakeInflow = flow.stakeInflow.plus(additional);
  newOp.save();
  flow.save();
  protocol.save();
}

export function handleUnbond(event: Unbond): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  moveStake(protocol, flow, event.params.delegate, event.params.delegator, event.params.amount.neg(), event);
  flow.save();
  protocol.save();
}

export function handleRebond(event: Rebond): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  moveStake(protocol, flow, event.params.delegate, event.params.delegator, event.params.amount, event);
  flow.save();
  protocol.save();
}

export function handleReward(event: Reward): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const op = loadOperator(protocol, event.params.transcoder);
  recordEmission(protocol, flow, event.params.amount, event);
  creditOperatorStake(protocol, flow, op, event.params.amount); // bonded to the transcoder (and its delegators)
  op.cumulativeRewards = op.cumulativeRewards.plus(event.params.amount);
  op.save();
  saveRewardEvent(protocol, op, "Reward", event.params.amount, null, event);
  flow.save();
  protocol.save();
}

/** The treasury's share of a round's rewards: emission, not stake. */
export function handleTreasuryReward(event: TreasuryReward): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const op = loadOperator(protocol, event.params.transcoder);
  recordEmission(protocol, flow, event.params.amount, event);
  flow.treasuryEmission = flow.treasuryEmission.plus(event.params.amount);
  op.save();
  saveRewardEvent(protocol, op, "TreasuryReward", event.params.amount, null, event);
  flow.save();
  protocol.save();
}

/** Claimed rewards join the delegator's bond; they are in `staked` since the Reward event. */
export function handleEarningsClaimed(event: EarningsClaimed): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const op = loadOperator(protocol, event.params.delegate);
  addDelegationStake(protocol, flow, op, event.params.delegator, event.params.rewards, null);
  op.save();
  if (flow.stakersDelta != 0) {
    flow.save();
    protocol.save();
  }
}

export function handleTranscoderUpdate(event: TranscoderUpdate): void {
  const protocol = getProtocol();
  const op = loadOperator(protocol, event.params.transcoder);
  op.rewardCut = event.params.rewardCut;
  op.feeShare = event.params.feeShare;
  op.save();
}

export function handleTranscoderSlashed(event: TranscoderSlashed): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const p = event.params;
  slashOperator(protocol, flow, p.transcoder, p.penalty, p.finderReward, p.finder, "TranscoderSlashed", event);
  flow.save();
  protocol.save();
}
