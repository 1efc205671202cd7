import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { FeePayment, Operator, Protocol, RewardEvent, SlashEvent } from "../../generated/schema";
import { eventId } from "./ids";

export function saveRewardEvent(
  protocol: Protocol,
  op: Operator,
  kind: string,
  amount: BigInt,
  allocation: Bytes | null,
  event: ethereum.Event,
): void {
  const r = new RewardEvent(eventId(event));
  r.protocol = protocol.id;
  r.operator = op.id;
  r.kind = kind;
  r.amount = amount;
  r.allocation = allocation;
  r.blockNumber = event.block.number;
  r.timestamp = event.block.timestamp;
  r.transaction = event.transaction.hash;
  r.save();
}

export function saveSlashEvent(
  protocol: Protocol,
  op: Operator,
  kind: string,
  amount: BigInt,
  toFinder: BigInt | null,
  finder: Address | null,
  event: ethereum.Event,
): void {
  const s = new SlashEvent(eventId(event));
  s.protocol = protocol.id;
  s.operator = op.id;
  s.kind = kind;
  s.amount = amount;
  s.toFinder = toFinder;
  s.finder = finder;
  s.blockNumber = event.block.number;
  s.timestamp = event.block.timestamp;
  s.transaction = event.transaction.hash;
  s.save();
}

/** The immutable audit record of a payment; protocol-specific fields are set by the caller before save. */
export function newFeePayment(
  protocol: Protocol,
  kind: string,
  asset: Bytes,
  payer: Address,
  receiver: Address,
  amount: BigInt,
  isFee: boolean,
  event: ethereum.Event,
): FeePayment {
  const f = new FeePayment(eventId(event));
  f.protocol = protocol.id;
  f.kind = kind;
  f.asset = asset;
  f.payer = payer;
  f.receiver = receiver;
  f.amount = amount;
  f.isFee = isFee;
  f.blockNumber = event.block.number;
  f.timestamp = event.block.timestamp;
  f.transaction = event.transaction.hash;
  return f;
}
