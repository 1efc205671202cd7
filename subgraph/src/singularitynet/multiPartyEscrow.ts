// SingularityNET MultiPartyEscrow (npm singularitynet-platform-contracts 2.1.0, sol/MultiPartyEscrow.sol): payers
// (channel senders) escrow tokens in unidirectional payment channels to a service's recipient; the recipient
// claims what the sender signed for. One mapping for both escrows, the legacy AGIX MPE and the FET MPE: the
// data source context's `feeAsset` is its token. Fees are claims (ChannelClaim claimAmount), recognised when
// claimed; channel funding (ChannelOpen amount, ChannelAddFunds) is depositsFunded; the MPE-internal balances
// (DepositFunds, WithdrawFunds, TransferFunds) and refunds to the sender are never fees.
import { Address, BigInt, Bytes, dataSource, ethereum } from "@graphprotocol/graph-ts";
import {
  ChannelAddFunds,
  ChannelClaim,
  ChannelOpen,
  ChannelSenderClaim,
} from "../../generated/MultiPartyEscrowAGIX/MultiPartyEscrow";
import { Channel, Protocol } from "../../generated/schema";
import { ZERO, ZERO_ADDRESS } from "../core/constants";
import { recordFee } from "../core/fees";
import { newFeeFlow } from "../core/flows";
import { valueUsd } from "../core/prices";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";
import { loadOperator } from "../core/stake";

/** The escrow's token (the data source context's `feeAsset`, from the spec's `asset`). */
function feeAsset(): Bytes {
  return Address.fromString(dataSource.context().getString("feeAsset"));
}

/** Escrow address ++ channelId (32 bytes, big-endian). */
function channelKey(escrow: Address, channelId: BigInt): Bytes {
  return escrow.concat(ethereum.encode(ethereum.Value.fromUnsignedBigInt(channelId)) as Bytes);
}

/** Tokens escrowed into a channel: a demand signal, not a fee. */
function funded(protocol: Protocol, amount: BigInt): void {
  const fee = newFeeFlow(protocol, feeAsset());
  fee.depositsFunded = amount;
  fee.save();
}

/** openChannel, openChannelByThirdParty, depositAndOpenChannel: the channel's sender is its payer. */
export function handleChannelOpen(event: ChannelOpen): void {
  const protocol = getProtocol();
  const p = event.params;
  const ch = new Channel(channelKey(event.address, p.channelId));
  ch.escrow = event.address;
  ch.channelId = p.channelId;
  ch.sender = p.sender;
  ch.recipient = p.recipient;
  ch.value = p.amount;
  ch.refunded = ZERO;
  ch.claimed = ZERO;
  ch.save();
  funded(protocol, p.amount);
}

/** channelAddFunds (also inside channelExtendAndAddFunds): anyone may add; the payer stays the channel's sender. */
export function handleChannelAddFunds(event: ChannelAddFunds): void {
  const protocol = getProtocol();
  const p = event.params;
  const ch = Channel.load(channelKey(event.address, p.channelId));
  if (ch != null) {
    ch.value = ch.value.plus(p.additionalFunds);
    ch.save();
  }
  funded(protocol, p.additionalFunds);
}

/**
 * channelClaim (also inside multiChannelClaim): the recipient claims claimAmount, signed by the channel's sender
 * or signer: a fee paid by the sender. keepAmount is what stays in the channel; with isSendback the rest goes
 * back to the sender's MPE balance, but the real contract emits after emptying the channel, so sendBackAmount
 * is always 0: the refund is the tracked value less the claim.
 */
export function handleChannelClaim(event: ChannelClaim): void {
  const protocol = getProtocol();
  const p = event.params;
  const asset = feeAsset();
  const ch = Channel.load(channelKey(event.address, p.channelId));
  if (ch != null) {
    const refund = ch.value.minus(p.claimAmount).minus(p.keepAmount);
    ch.value = p.keepAmount;
    if (refund.gt(ZERO)) ch.refunded = ch.refunded.plus(refund);
    ch.claimed = ch.claimed.plus(p.claimAmount);
    ch.save();
    const payer = Address.fromBytes(ch.sender);
    recordFee(protocol, asset, payer, p.recipient, p.claimAmount, ZERO, ZERO, event);
    newFeePayment(protocol, "ChannelClaim", asset, payer, p.recipient, p.claimAmount, true, event).save();
    return;
  }
  // A channel opened before the data source's start block: the fee counts, its payer is unknown (0x0 in the
  // audit record, not counted as a payer).
  const fee = newFeeFlow(protocol, asset);
  fee.fees = p.claimAmount;
  fee.supplySideFees = p.claimAmount;
  fee.feeEvents = 1;
  const usd = valueUsd(asset, p.claimAmount, event.block.timestamp);
  if (usd === null) fee.feesUnpriced = p.claimAmount;
  else fee.feesUsd = usd as BigInt;
  fee.save();
  const op = loadOperator(protocol, p.recipient);
  op.cumulativeFees = op.cumulativeFees.plus(p.claimAmount);
  op.save();
  newFeePayment(protocol, "ChannelClaim", asset, ZERO_ADDRESS, p.recipient, p.claimAmount, true, event).save();
}

/**
 * channelClaimTimeout: after expiry the sender takes the channel's unclaimed value back to its MPE balance: a
 * refund, not a fee. The real contract emits claimAmount after zeroing the channel (always 0): the refund is the
 * tracked value.
 */
export function handleChannelSenderClaim(event: ChannelSenderClaim): void {
  const ch = Channel.load(channelKey(event.address, event.params.channelId));
  if (ch == null) return;
  ch.refunded = ch.refunded.plus(ch.value);
  ch.value = ZERO;
  ch.save();
}
