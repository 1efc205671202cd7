// The Graph staking proxy on Arbitrum One: legacy L2Staking events and HorizonStaking events share it.
import {
  AllocationCollected,
  DelegatedTokensWithdrawn,
  DelegationFeeCutSet,
  DelegationParametersUpdated,
  DelegationSlashed,
  HorizonStakeDeposited,
  HorizonStakeWithdrawn,
  ProvisionSlashed,
  RebateClaimed,
  RebateCollected,
  StakeDelegated,
  StakeDelegatedWithdrawn,
  StakeDeposited,
  StakeSlashed,
  StakeWithdrawn,
  ThawRequestsFulfilled,
  TokensDelegated,
  TokensToDelegationPoolAdded,
  VerifierTokensSent,
} from "../../generated/GraphStaking/GraphStaking";
import { ThawedDelegation } from "../../generated/schema";
import { PPM } from "../core/constants";
import { recordFee } from "../core/fees";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";
import { loadOperator } from "../core/stake";
import {
  creditOperatorStake,
  moveBetweenOperators,
  moveStake,
  slashDelegationPool,
  slashOperator,
} from "../core/staking";
import { isRestake } from "./sequences";
import { Address, BigInt, Bytes, ethereum, store } from "@graphprotocol/graph-ts";

function stake(operator: Address, account: Address, delta: BigInt, horizon: boolean, event: ethereum.Event): void {
  const protocol = getProtocol();
  if (horizon) protocol.horizonActive = true;
  const flow = newTokenFlow(protocol);
  moveStake(protocol, flow, operator, account, delta, event);
  flow.save();
  protocol.save();
}

/** Rewards or fees the staking contract put into the provider's stake itself: stake, not principal. */
function restake(serviceProvider: Address, tokens: BigInt, horizon: boolean): void {
  const protocol = getProtocol();
  if (horizon) protocol.horizonActive = true;
  const flow = newTokenFlow(protocol);
  const op = loadOperator(protocol, serviceProvider);
  creditOperatorStake(protocol, flow, op, tokens);
  op.save();
  flow.save();
  protocol.save();
}

/** Principal staked by the indexer (Staking.stake/stakeTo), or a restake of its rewards or rebates (`_sendRewards`). */
export function handleStakeDeposited(event: StakeDeposited): void {
  const p = event.params;
  if (isRestake(event, p.indexer, p.tokens)) restake(p.indexer, p.tokens, false);
  else stake(p.indexer, p.indexer, p.tokens, false, event);
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

/**
 * Principal staked by the provider (HorizonStaking.stake/stakeTo/stakeToProvision), or a restake: of indexing
 * rewards (SubgraphService, HorizonStakingExtension) or of query fees (GraphPayments.collect).
 */
export function handleHorizonStakeDeposited(event: HorizonStakeDeposited): void {
  const p = event.params;
  if (isRestake(event, p.serviceProvider, p.tokens)) restake(p.serviceProvider, p.tokens, true);
  else stake(p.serviceProvider, p.serviceProvider, p.tokens, true, event);
}

/** HorizonStaking.addToDelegationPool: the delegators' share of rewards or fees joins the pool's tokens. */
export function handleTokensToDelegationPoolAdded(event: TokensToDelegationPoolAdded): void {
  restake(event.params.serviceProvider, event.params.tokens, true);
}

export function handleHorizonStakeWithdrawn(event: HorizonStakeWithdrawn): void {
  stake(event.params.serviceProvider, event.params.serviceProvider, event.params.tokens.neg(), true, event);
}

/** Horizon ThawRequestType (IHorizonStakingTypes): 0 provision, 1 delegation. */
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

/** The verifier's part is not in this event: VerifierTokensSent, just before it, paid it to the finder. */
export function handleProvisionSlashed(event: ProvisionSlashed): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const p = event.params;
  slashOperator(protocol, flow, p.serviceProvider, p.tokens, null, null, "ProvisionSlashed", event);
  flow.save();
  protocol.save();
}

/** HorizonStaking.slash: the part of a slash the provision could not cover, taken from the delegation pool and burned. */
export function handleDelegationSlashed(event: DelegationSlashed): void {
  const protocol = getProtocol();
  protocol.horizonActive = true;
  const flow = newTokenFlow(protocol);
  slashDelegationPool(protocol, flow, event.params.serviceProvider, event.params.tokens, "DelegationSlashed", event);
  flow.save();
  protocol.save();
}

/** Emitted before ProvisionSlashed by HorizonStaking.slash: the verifier's part of the provider's slash is not burned. */
export function handleVerifierTokensSent(event: VerifierTokensSent): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const t = event.params.tokens;
  flow.slashedToFinder = t;
  flow.slashedBurned = t.neg();
  flow.burnedSlashing = t.neg();
  flow.save();
}

/**
 * Legacy query fees: tokens paid, protocol tax burned, curation fees to curators, the rest to the indexer side.
 * The payer is the asset holder that called Staking.collect. Of the rebate, `delegationRewards` joined the
 * delegation pool (no event of its own: counted in `staked` here); `queryRebates` was restaked just before
 * (StakeDeposited) or paid to the rewards destination.
 */
export function handleRebateCollected(event: RebateCollected): void {
  const protocol = getProtocol();
  const p = event.params;
  recordFee(protocol, protocol.token, p.assetHolder, p.indexer, p.tokens, p.protocolTax, p.curationFees, event);
  const flow = newTokenFlow(protocol);
  flow.burnedFeeTax = p.protocolTax;
  if (!p.delegationRewards.isZero()) {
    const op = loadOperator(protocol, p.indexer);
    creditOperatorStake(protocol, flow, op, p.delegationRewards);
    op.save();
    protocol.save();
  }
  flow.save();
  const record = newFeePayment(protocol, "RebateCollected", protocol.token, p.assetHolder, p.indexer, p.tokens, true, event);
  record.protocolTax = p.protocolTax;
  record.curationFees = p.curationFees;
  record.save();
}

/**
 * L2Staking before the exponential-rebates upgrade (Staking.collect): query fees paid by the asset holder
 * (`from`); the protocol tax, tokens − curationFees − rebateFees, is burned; the rebate fees stay in the
 * contract until the allocation's rebate is claimed (RebateClaimed), so they are not stake yet.
 */
export function handleAllocationCollected(event: AllocationCollected): void {
  const protocol = getProtocol();
  const p = event.params;
  const tax = p.tokens.minus(p.curationFees).minus(p.rebateFees);
  recordFee(protocol, protocol.token, p.from, p.indexer, p.tokens, tax, p.curationFees, event);
  const flow = newTokenFlow(protocol);
  flow.burnedFeeTax = tax;
  flow.save();
  const record = newFeePayment(protocol, "AllocationCollected", protocol.token, p.from, p.indexer, p.tokens, true, event);
  record.protocolTax = tax;
  record.curationFees = p.curationFees;
  record.save();
}

/**
 * Staking._claim before the exponential-rebates upgrade: of the rebate claimed, `delegationFees` joined the
 * delegation pool (no event of its own: counted here) and `tokens` was restaked just before (StakeDeposited)
 * or paid to the indexer or its rewards destination. Not a fee (counted at AllocationCollected).
 */
export function handleRebateClaimed(event: RebateClaimed): void {
  if (event.params.delegationFees.isZero()) return;
  restake(event.params.indexer, event.params.delegationFees, false);
}

/** Legacy cuts are the indexer's shares (ppm): rewardCut = indexingRewardCut, feeShare = 1e6 - queryFeeCut. */
export function handleDelegationParametersUpdated(event: DelegationParametersUpdated): void {
  const protocol = getProtocol();
  const op = loadOperator(protocol, event.params.indexer);
  op.rewardCut = BigInt.fromU64(event.params.indexingRewardCut.toU64());
  op.feeShare = PPM.minus(BigInt.fromU64(event.params.queryFeeCut.toU64()));
  op.save();
}

/** Horizon GraphPayments.PaymentTypes. */
const PAYMENT_QUERY_FEE = 0;
const PAYMENT_INDEXING_FEE = 1;
const PAYMENT_INDEXING_REWARDS = 2;

/**
 * HorizonStaking.setDelegationFeeCut: the delegators' share (ppm) of one payment type, per provider and
 * verifier. Operators are not split by verifier: the last cut set for any verifier is kept.
 */
export function handleDelegationFeeCutSet(event: DelegationFeeCutSet): void {
  const protocol = getProtocol();
  const p = event.params;
  const op = loadOperator(protocol, p.serviceProvider);
  if (p.paymentType == PAYMENT_INDEXING_REWARDS) op.rewardCut = PPM.minus(p.feeCut);
  else if (p.paymentType == PAYMENT_QUERY_FEE) op.feeShare = p.feeCut;
  else if (p.paymentType == PAYMENT_INDEXING_FEE) op.indexingFeeShare = p.feeCut;
  op.save();
}
