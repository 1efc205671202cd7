// GENERATED from subgraph/schema.graphql by subgraph/scripts/fields.ts (`npm run fields`): do not edit.
import { FeeFlow, TokenFlow } from "../../generated/schema";
import { ZERO } from "./constants";

/** Sets every number of a TokenFlow data point to 0 (graph-node sets id and timestamp; the caller the rest). */
export function zeroTokenFlowFields(point: TokenFlow): void {
  point.minted = ZERO;
  point.burned = ZERO;
  point.burnedFeeTax = ZERO;
  point.burnedCurationTax = ZERO;
  point.burnedSlashing = ZERO;
  point.burnedBridge = ZERO;
  point.burnedMigration = ZERO;
  point.mintedBridge = ZERO;
  point.mintedMigration = ZERO;
  point.grossEmission = ZERO;
  point.treasuryEmission = ZERO;
  point.distributedIncentives = ZERO;
  point.stakeInflow = ZERO;
  point.stakeOutflow = ZERO;
  point.slashed = ZERO;
  point.slashedBurned = ZERO;
  point.slashedToFinder = ZERO;
  point.transferVolume = ZERO;
  point.transferCount = 0;
  point.grossEmissionUsd = ZERO;
  point.grossEmissionUnpriced = ZERO;
  point.burnedUsd = ZERO;
  point.burnedUnpriced = ZERO;
  point.supplyDelta = ZERO;
  point.stakedDelta = ZERO;
  point.operatorsDelta = 0;
  point.stakersDelta = 0;
  point.holdersDelta = 0;
}

/** Sets every number of a FeeFlow data point to 0 (graph-node sets id and timestamp; the caller the rest). */
export function zeroFeeFlowFields(point: FeeFlow): void {
  point.fees = ZERO;
  point.supplySideFees = ZERO;
  point.protocolTax = ZERO;
  point.curationFees = ZERO;
  point.feeEvents = 0;
  point.depositsFunded = ZERO;
  point.feesUsd = ZERO;
  point.protocolTaxUsd = ZERO;
  point.feesUnpriced = ZERO;
}
