import { Bytes } from "@graphprotocol/graph-ts";
import { FeeFlow, Protocol, TokenFlow } from "../../generated/schema";
import { ZERO } from "./constants";

/** A zeroed TokenFlow data point for the protocol; the caller sets the fields it moves and saves it. */
export function newTokenFlow(protocol: Protocol): TokenFlow {
  return zeroTokenFlow(protocol.id);
}

/** A zeroed TokenFlow data point for a protocol id (also used by the bench's floor mapping). */
export function zeroTokenFlow(protocolId: string): TokenFlow {
  const flow = new TokenFlow(0); // id and timestamp are set by graph-node
  flow.protocol = protocolId;
  flow.minted = ZERO;
  flow.burned = ZERO;
  flow.burnedFeeTax = ZERO;
  flow.burnedCurationTax = ZERO;
  flow.burnedSlashing = ZERO;
  flow.burnedBridge = ZERO;
  flow.burnedMigration = ZERO;
  flow.mintedBridge = ZERO;
  flow.mintedMigration = ZERO;
  flow.distributedIncentives = ZERO;
  flow.grossEmission = ZERO;
  flow.treasuryEmission = ZERO;
  flow.stakeInflow = ZERO;
  flow.stakeOutflow = ZERO;
  flow.slashed = ZERO;
  flow.slashedBurned = ZERO;
  flow.slashedToFinder = ZERO;
  flow.transferVolume = ZERO;
  flow.transferCount = 0;
  flow.grossEmissionUsd = ZERO;
  flow.grossEmissionUnpriced = ZERO;
  flow.burnedUsd = ZERO;
  flow.burnedUnpriced = ZERO;
  flow.supplyDelta = ZERO;
  flow.stakedDelta = ZERO;
  flow.operatorsDelta = 0;
  flow.stakersDelta = 0;
  flow.holdersDelta = 0;
  return flow;
}

/** A zeroed FeeFlow data point for the protocol and fee asset. */
export function newFeeFlow(protocol: Protocol, asset: Bytes): FeeFlow {
  const flow = new FeeFlow(0);
  flow.protocol = protocol.id;
  flow.asset = asset;
  flow.fees = ZERO;
  flow.supplySideFees = ZERO;
  flow.protocolTax = ZERO;
  flow.curationFees = ZERO;
  flow.feeEvents = 0;
  flow.depositsFunded = ZERO;
  flow.feesUsd = ZERO;
  flow.protocolTaxUsd = ZERO;
  flow.feesUnpriced = ZERO;
  return flow;
}
