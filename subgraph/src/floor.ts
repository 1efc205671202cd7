// A mapping that records one TokenFlow data point per event and nothing else: the floor of any mapping
// that records flows as timeseries (bench/indexing.ts compares ours with it and with the do-nothing ceiling).
import { BigInt, ethereum } from "@graphprotocol/graph-ts";
import { TokenFlow } from "../generated/schema";

export function floor(event: ethereum.Event): void {
  const zero = BigInt.zero();
  const flow = new TokenFlow(0);
  flow.protocol = "floor";
  flow.minted = event.logIndex;
  flow.burned = zero;
  flow.burnedFeeTax = zero;
  flow.burnedCurationTax = zero;
  flow.burnedSlashing = zero;
  flow.burnedBridge = zero;
  flow.grossEmission = zero;
  flow.treasuryEmission = zero;
  flow.stakeInflow = zero;
  flow.stakeOutflow = zero;
  flow.slashed = zero;
  flow.slashedBurned = zero;
  flow.slashedToFinder = zero;
  flow.transferVolume = zero;
  flow.transferCount = 0;
  flow.supplyDelta = zero;
  flow.stakedDelta = zero;
  flow.operatorsDelta = 0;
  flow.stakersDelta = 0;
  flow.holdersDelta = 0;
  flow.save();
}
