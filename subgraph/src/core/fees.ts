import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Protocol } from "../../generated/schema";
import { recordPayer } from "./activity";
import { newFeeFlow } from "./flows";
import { valueUsd } from "./prices";
import { loadOperator } from "./stake";

/**
 * A fee paid by `payer` for the network's service: the FeeFlow data point (fees, the protocol tax and
 * curation fees carved out of it, the supply side's rest), the receiving operator's earnings, and the payer
 * in the exact distinct counts. Burns caused by the tax are recorded by the caller (TokenFlow).
 */
export function recordFee(
  protocol: Protocol,
  asset: Bytes,
  payer: Address,
  receiver: Address,
  tokens: BigInt,
  protocolTax: BigInt,
  curationFees: BigInt,
  event: ethereum.Event,
): void {
  const supplySide = tokens.minus(protocolTax).minus(curationFees);
  const fee = newFeeFlow(protocol, asset);
  fee.fees = tokens;
  fee.protocolTax = protocolTax;
  fee.curationFees = curationFees;
  fee.supplySideFees = supplySide;
  fee.feeEvents = 1;
  // valued at the event: both with the fee asset's price, or neither (then the fee is unpriced)
  const ts = event.block.timestamp;
  const feesUsd = valueUsd(asset, tokens, ts);
  const taxUsd = valueUsd(asset, protocolTax, ts);
  if (feesUsd === null || taxUsd === null) fee.feesUnpriced = tokens;
  else {
    fee.feesUsd = feesUsd as BigInt;
    fee.protocolTaxUsd = taxUsd as BigInt;
  }
  fee.save();
  const op = loadOperator(protocol, receiver);
  op.cumulativeFees = op.cumulativeFees.plus(supplySide);
  op.save();
  recordPayer(protocol, payer, event);
}
