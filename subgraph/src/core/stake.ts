import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { Delegation, Operator, Protocol, Staker, TokenFlow } from "../../generated/schema";
import { markActiveStaker } from "./activity";
import { ZERO } from "./constants";
import { protocolKey } from "./ids";

export function loadOperator(protocol: Protocol, address: Address): Operator {
  const id = protocolKey(protocol.id).concat(address);
  let op = Operator.load(id);
  if (op == null) {
    op = new Operator(id);
    op.protocol = protocol.id;
    op.address = address;
    op.selfStake = ZERO;
    op.delegatedStake = ZERO;
    op.totalStake = ZERO;
    op.cumulativeRewards = ZERO;
    op.cumulativeFees = ZERO;
    op.cumulativeSlashed = ZERO;
  }
  return op;
}

/**
 * Changes the stake counted for an operator, and with it the protocol's `staked` stock and the
 * operator count (operators with stake > 0). The caller saves the operator.
 */
export function addOperatorStake(protocol: Protocol, flow: TokenFlow, op: Operator, delta: BigInt): void {
  const before = op.totalStake;
  op.totalStake = before.plus(delta);
  flow.stakedDelta = flow.stakedDelta.plus(delta);
  protocol.staked = protocol.staked.plus(delta);
  if (before.le(ZERO) && op.totalStake.gt(ZERO)) {
    flow.operatorsDelta = flow.operatorsDelta + 1;
    protocol.operatorCount = protocol.operatorCount + 1;
  } else if (before.gt(ZERO) && op.totalStake.le(ZERO)) {
    flow.operatorsDelta = flow.operatorsDelta - 1;
    protocol.operatorCount = protocol.operatorCount - 1;
  }
}

const NEVER = BigInt.fromI32(-1);

function loadStaker(protocol: Protocol, account: Address): Staker {
  const id = protocolKey(protocol.id).concat(account);
  let staker = Staker.load(id);
  if (staker == null) {
    staker = new Staker(id);
    staker.protocol = protocol.id;
    staker.account = account;
    staker.stake = ZERO;
    staker.lastActiveDay = NEVER;
    staker.lastActiveWeek = NEVER;
    staker.lastActiveMonth = NEVER;
  }
  return staker;
}

function applyStakerStake(protocol: Protocol, flow: TokenFlow, staker: Staker, value: BigInt): void {
  const before = staker.stake;
  staker.stake = value.lt(ZERO) ? ZERO : value;
  if (before.le(ZERO) && staker.stake.gt(ZERO)) {
    flow.stakersDelta = flow.stakersDelta + 1;
    protocol.stakerCount = protocol.stakerCount + 1;
  } else if (before.gt(ZERO) && staker.stake.le(ZERO)) {
    flow.stakersDelta = flow.stakersDelta - 1;
    protocol.stakerCount = protocol.stakerCount - 1;
  }
}

/**
 * The stake of an account in a protocol without operators (SingularityNET TokenStake, Morpheus Builders): its
 * balance in the staking contract, floored at 0. When the account acted itself (`activeIn` is its event), it is
 * counted as an active staker. In a protocol with operators, a Staker changes only through its Delegations.
 */
export function addStakerStake(
  protocol: Protocol,
  flow: TokenFlow,
  account: Address,
  delta: BigInt,
  activeIn: ethereum.Event | null,
): void {
  const staker = loadStaker(protocol, account);
  applyStakerStake(protocol, flow, staker, staker.stake.plus(delta));
  if (activeIn !== null) markActiveStaker(protocol, staker, activeIn as ethereum.Event);
  staker.save();
}

/**
 * Sets the stake of one account at one operator (floored at 0: what leaves may include the account's share of
 * rewards and fees, or a slash beyond its principal). The account's Staker moves by exactly what the Delegation
 * moved, so a Staker's stake is always the sum of its Delegations (docs/metrics.md, stakers). When the account
 * acted itself (`activeIn` is its event), it is counted as an active staker.
 */
export function setDelegationStake(
  protocol: Protocol,
  flow: TokenFlow,
  op: Operator,
  account: Address,
  value: BigInt,
  activeIn: ethereum.Event | null,
): void {
  const id = op.id.concat(account);
  let d = Delegation.load(id);
  if (d == null) {
    d = new Delegation(id);
    d.protocol = protocol.id;
    d.operator = op.id;
    d.account = account;
    d.stake = ZERO;
  }
  const before = d.stake;
  const after = value.lt(ZERO) ? ZERO : value;
  const moved = after.minus(before);
  if (moved.isZero() && activeIn === null) return;
  d.stake = after;
  d.save();
  const staker = loadStaker(protocol, account);
  if (!moved.isZero()) applyStakerStake(protocol, flow, staker, staker.stake.plus(moved));
  if (activeIn !== null) markActiveStaker(protocol, staker, activeIn as ethereum.Event);
  staker.save();
}

/** Changes the stake of one account at one operator by delta (see setDelegationStake). */
export function addDelegationStake(
  protocol: Protocol,
  flow: TokenFlow,
  op: Operator,
  account: Address,
  delta: BigInt,
  activeIn: ethereum.Event | null,
): void {
  const d = Delegation.load(op.id.concat(account));
  const before = d == null ? ZERO : d.stake;
  setDelegationStake(protocol, flow, op, account, before.plus(delta), activeIn);
}
