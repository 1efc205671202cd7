import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { Operator, Protocol, TokenFlow } from "../../generated/schema";
import { ZERO } from "./constants";
import { valueUsd } from "./prices";
import { saveSlashEvent } from "./records";
import { addDelegationStake, addOperatorStake, loadOperator } from "./stake";

/** Principal bookkeeping: self stake when the account is the operator, delegated stake otherwise (floored at 0). */
export function addPrincipal(op: Operator, account: Address, delta: BigInt): void {
  if (account.equals(op.address)) {
    const v = op.selfStake.plus(delta);
    op.selfStake = v.lt(ZERO) ? ZERO : v;
  } else {
    const v = op.delegatedStake.plus(delta);
    op.delegatedStake = v.lt(ZERO) ? ZERO : v;
  }
}

/** An account's principal at one operator changes by delta: the operator's stake, principal and delegation. */
function shiftAtOperator(
  protocol: Protocol,
  flow: TokenFlow,
  operator: Address,
  account: Address,
  delta: BigInt,
  activeIn: ethereum.Event | null,
): void {
  const op = loadOperator(protocol, operator);
  addOperatorStake(protocol, flow, op, delta);
  addPrincipal(op, account, delta);
  addDelegationStake(protocol, flow, op, account, delta, activeIn);
  op.save();
}

/**
 * An account stakes (delta > 0) or unstakes (delta < 0) principal at an operator: the shared path of
 * Bond/Unbond/Rebond, StakeDeposited/StakeDelegated and their withdrawals, legacy and Horizon.
 */
export function moveStake(
  protocol: Protocol,
  flow: TokenFlow,
  operator: Address,
  account: Address,
  delta: BigInt,
  event: ethereum.Event,
): void {
  shiftAtOperator(protocol, flow, operator, account, delta, event);
  if (delta.gt(ZERO)) flow.stakeInflow = flow.stakeInflow.plus(delta);
  else flow.stakeOutflow = flow.stakeOutflow.minus(delta);
}

/**
 * An account's stake moves from one operator to another (a redelegation): operator stocks, principal and
 * delegations change; the protocol's staked total and the stake flows do not. The account's stake (the sum of
 * its delegations) changes only by what the old delegation's floor kept out: tokens moved beyond the principal.
 */
export function moveBetweenOperators(
  protocol: Protocol,
  flow: TokenFlow,
  from: Address,
  to: Address,
  account: Address,
  amount: BigInt,
): void {
  shiftAtOperator(protocol, flow, from, account, amount.neg(), null);
  shiftAtOperator(protocol, flow, to, account, amount, null);
}

/** Stake removed from an operator's own stake by a slash. `toFinder` may be unknown (null) at this event. */
export function slashOperator(
  protocol: Protocol,
  flow: TokenFlow,
  operator: Address,
  amount: BigInt,
  toFinder: BigInt | null,
  finder: Address | null,
  kind: string,
  event: ethereum.Event,
): void {
  const op = loadOperator(protocol, operator);
  addOperatorStake(protocol, flow, op, amount.neg());
  addPrincipal(op, operator, amount.neg());
  addDelegationStake(protocol, flow, op, operator, amount.neg(), null);
  op.cumulativeSlashed = op.cumulativeSlashed.plus(amount);
  op.save();
  const paid = toFinder === null ? ZERO : (toFinder as BigInt);
  flow.slashed = flow.slashed.plus(amount);
  flow.slashedToFinder = flow.slashedToFinder.plus(paid);
  flow.slashedBurned = flow.slashedBurned.plus(amount.minus(paid));
  flow.burnedSlashing = flow.burnedSlashing.plus(amount.minus(paid));
  saveSlashEvent(protocol, op, kind, amount, toFinder, finder, event);
}

/** Gross emission (methodology rule 2): the amount of a reward event, whoever receives it; valued in USD at the event. */
export function recordEmission(protocol: Protocol, flow: TokenFlow, amount: BigInt, event: ethereum.Event): void {
  flow.grossEmission = flow.grossEmission.plus(amount);
  const usd = valueUsd(protocol.token, amount, event.block.timestamp);
  if (usd === null) flow.grossEmissionUnpriced = flow.grossEmissionUnpriced.plus(amount);
  else flow.grossEmissionUsd = flow.grossEmissionUsd.plus(usd as BigInt);
  protocol.cumulativeGrossEmission = protocol.cumulativeGrossEmission.plus(amount);
}

/**
 * Tokens added to an operator's stake that no account put in as principal: restaked rewards and fees, and
 * the delegation pool's shares of them. They count in `staked` and the operator's totalStake, but are no
 * stake flow, no account's staker stake, and no activity.
 */
export function creditOperatorStake(protocol: Protocol, flow: TokenFlow, op: Operator, amount: BigInt): void {
  if (amount.isZero()) return;
  addOperatorStake(protocol, flow, op, amount);
}

/**
 * Delegated stake burned by a slash (The Graph Horizon DelegationSlashed): out of `staked` and the operator's
 * totalStake; the delegators' principal (Delegation, Staker) is kept, as the shares it is spread over are not
 * indexed.
 */
export function slashDelegationPool(
  protocol: Protocol,
  flow: TokenFlow,
  operator: Address,
  amount: BigInt,
  kind: string,
  event: ethereum.Event,
): void {
  const op = loadOperator(protocol, operator);
  addOperatorStake(protocol, flow, op, amount.neg());
  op.cumulativeSlashed = op.cumulativeSlashed.plus(amount);
  op.save();
  flow.slashed = flow.slashed.plus(amount);
  flow.slashedBurned = flow.slashedBurned.plus(amount);
  flow.burnedSlashing = flow.burnedSlashing.plus(amount);
  saveSlashEvent(protocol, op, kind, amount, ZERO, null, event);
}
