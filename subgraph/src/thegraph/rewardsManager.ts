// The Graph RewardsManager: indexing rewards (gross emission). On Arbitrum One the legacy implementations
// emit RewardsAssigned(indexer, allocationID, epoch, amount) and the Horizon one HorizonRewardsAssigned, for
// legacy and SubgraphService allocations alike; RewardsAssigned(indexer, allocationID, amount) was never
// deployed there. The stake the reward adds is counted where it lands (docs/methodology.md, "Event
// sequences"): here only the legacy delegation pool's share, which has no event of its own.
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { HorizonRewardsAssigned, RewardsAssigned } from "../../generated/RewardsManager/RewardsManager";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { saveRewardEvent } from "../core/records";
import { loadOperator } from "../core/stake";
import { creditOperatorStake, recordEmission } from "../core/staking";
import { legacyDelegationShare } from "./sequences";

function assign(indexer: Address, allocation: Address, amount: BigInt, kind: string, event: ethereum.Event): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const op = loadOperator(protocol, indexer);
  recordEmission(protocol, flow, amount, event);
  op.cumulativeRewards = op.cumulativeRewards.plus(amount);
  creditOperatorStake(protocol, flow, op, legacyDelegationShare(event, indexer, amount));
  op.save();
  saveRewardEvent(protocol, op, kind, amount, allocation, event);
  flow.save();
  protocol.save();
}

export function handleRewardsAssigned(event: RewardsAssigned): void {
  assign(event.params.indexer, event.params.allocationID, event.params.amount, "RewardsAssigned", event);
}

export function handleHorizonRewardsAssigned(event: HorizonRewardsAssigned): void {
  assign(event.params.indexer, event.params.allocationID, event.params.amount, "HorizonRewardsAssigned", event);
}
