// The Graph staking proxy on Arbitrum One: legacy L2Staking events and HorizonStaking events share it.
import {
  DelegatedTokensWithdrawn,
  DelegationParametersUpdated,
  HorizonStakeDeposited,
  HorizonStakeWithdrawn,
  ProvisionSlashed,
  RebateCollected,
  StakeDelegated,
  StakeDelegatedWithdrawn,
  StakeDeposited,
  StakeSlashed,
  StakeWithdrawn,
  ThawRequestsFulfilled,
  TokensDelegated,
  VerifierTokensSent,
} from "../../generated/GraphStaking/GraphStaking";
import { ThawedDelegation } from "../../generated/schema";
import { recordFee } from "../core/fees";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";
import { loadOperator } from "../core/stake";
import { moveBetweenOperators, moveStake, slashOperator } from "../core/staking";
import { Address, BigInt, Bytes, ethereum, store } from "@graphprotocol/graph-ts";

function stake(operator: Address, account: Address, delta: BigInt, horizon: boolean, event: ethereum.Event): void {
  const protocol = getProtocol();
  if (horizon) protocol.horizonActive = true;
  const flow = newTokenFlow(protocol);
  moveStake(protocol, flow, operator, account, delta, event);
  flow.save();
  protocol.save();
}

export function handleStakeDeposited(event: StakeDeposited): void {
  stake(event.params.indexer, event.params.indexer, event.params.tokens, false, event);
}

export function handleStakeWithdrawn(event: StakeWithdrawn): void {
  stake(event.params.indexer, event.params.indexer, event.params.tokens.neg(), false, event);
}

export function handleStakeDelegated(event: StakeDelegated): void {
  stake(event.params.indexer, event.params.delegator, event.params.tokens, false, event);
}

/**
 * A withdrawal of tokens undelegated under the legacy rules. After Horizon, HorizonStaking still emits it
 * (only it) from the legacy withdrawDelegated; Horizon thaw withdrawals emit DelegatedTokensWithdrawn
 * (only it). Each event is one withdrawal, so both count.
 */
export function handleStakeDelegatedWithdrawn(event: StakeDelegatedWithdrawn): void {
  stake(event.params.indexer, event.params.delegator, event.params.tokens.neg(), false, event);
}

export function handleHorizonStakeDeposited(event: HorizonStakeDeposited): void {
  stake(event.params.serviceProvider, event.params.serviceProvider, event.params.tokens, true, event);
}

export function handleHorizonStakeWithdrawn(event: HorizonStakeWithdrawn): void {
  stake(event.params.serviceProvider, event.params.serviceProvider, event.params.tokens.neg(), true, event);
}

/** Horizon ThawRequestType: 0 provision, 1 delegation, 2 delegation with beneficiary. */
const THAW_PROVISION = 0;

function thawedId(event: ethereum.Event, account: Address): Bytes {
  return event.transaction.hash.concat(account);
}

/**
 * Delegated tokens thawed by a withdrawal. The current HorizonStaking emits, for a withdrawal with a new
 * service provider (a redelegation), this event and a TokensDelegated to the new provider, without a
 * DelegatedTokensWithdrawn: remember the tokens until the transaction says where they went.
 */
export function handleThawRequestsFulfilled(event: ThawRequestsFulfilled): void {
  const p = event.params;
  if (p.requestType == THAW_PROVISION || p.tokens.isZero()) return;
  const t = new ThawedDelegation(thawedId(event, p.owner));
  t.serviceProvider = p.serviceProvider;
  t.tokens = p.tokens;
  t.moved = false;
  t.save();
}

export function handleTokensDelegated(event: TokensDelegated): void {
  const p = event.params;
  const thawed = ThawedDelegation.load(thawedId(event, p.delegator));
  if (thawed != null && !thawed.moved && thawed.tokens.equals(p.tokens)) {
    // Redelegation: the thawed tokens move from their provider to this one; not new stake.
    const protocol = getProtocol();
    protocol.horizonActive = true;
    const flow = newTokenFlow(protocol);
    const from = Address.fromBytes(thawed.serviceProvider);
    // To the same provider (another verifier): operators are not split by verifier, nothing moves.
    if (!from.equals(p.serviceProvider)) moveBetweenOperators(protocol, flow, from, p.serviceProvider, p.delegator, p.tokens);
    flow.save();
    protocol.save();
    thawed.moved = true;
    thawed.save();
    return;
  }
  stake(p.serviceProvider, p.delegator, p.tokens, true, event);
}

export function handleDelegatedTokensWithdrawn(event: DelegatedTokensWithdrawn): void {
  const p = event.params;
  const id = thawedId(event, p.delegator);
  const thawed = ThawedDelegation.load(id);
  if (thawed != null) {
    store.remove("ThawedDelegation", id.toHexString());
    // Older HorizonStaking versions emit this after the TokensDelegated of a redelegation: already moved.
    if (thawed.moved && thawed.tokens.equals(p.tokens) && thawed.serviceProvider.equals(p.serviceProvider)) return;
  }
  stake(p.serviceProvider, p.delegator, p.tokens.neg(), true, event);
}

export function handleStakeSlashed(event: StakeSlashed): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const p = event.params;
  slashOperator(protocol, flow, p.indexer, p.tokens, p.reward, p.beneficiary, "StakeSlashed", event);
  flow.save();
  protocol.save();
}

/** The verifier's part is not in this event: VerifierTokensSent of the same transaction moves it to the finder. */
export function handleProvisionSlashed(event: ProvisionSlashed): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const p = event.params;
  slashOperator(protocol, flow, p.serviceProvider, p.tokens, null, null, "ProvisionSlashed", event);
  flow.save();
  protocol.save();
}

export function handleVerifierTokensSent(event: VerifierTokensSent): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const t = event.params.tokens;
  flow.slashedToFinder = t;
  flow.slashedBurned = t.neg();
  flow.burnedSlashing = t.neg();
  flow.save();
}

/** Legacy query fees: tokens paid, protocol tax burned, curation fees to curators, the rest to the indexer side. */
export function handleRebateCollected(event: RebateCollected): void {
  const protocol = getProtocol();
  const p = event.params;
  recordFee(protocol, protocol.token, p.assetHolder, p.indexer, p.tokens, p.protocolTax, p.curationFees, event);
  const flow = newTokenFlow(protocol);
  flow.burnedFeeTax = p.protocolTax;
  flow.save();
  const record = newFeePayment(protocol, "RebateCollected", protocol.token, p.assetHolder, p.indexer, p.tokens, true, event);
  record.protocolTax = p.protocolTax;
  record.curationFees = p.curationFees;
  record.save();
}

export function handleDelegationParametersUpdated(event: DelegationParametersUpdated): void {
  const protocol = getProtocol();
  const op = loadOperator(protocol, event.params.indexer);
  op.rewardCut = BigInt.fromU64(event.params.indexingRewardCut.toU64());
  op.feeShare = BigInt.fromU64(event.params.queryFeeCut.toU64());
  op.save();
}
