// The Graph RewardsManager: indexing rewards (gross emission) in its three successive event signatures.
import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import {
  HorizonRewardsAssigned,
  RewardsAssigned,
  RewardsAssigned1,
} from "../../generated/RewardsManager/RewardsManager";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { saveRewardEvent } from "../core/records";
import { loadOperator } from "../core/stake";
import { rewardOperator } from "../core/staking";

function assign(indexer: Address, allocation: Address, amount: BigInt, kind: string, event: ethereum.Event): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const op = loadOperator(protocol, indexer);
  rewardOperator(protocol, flow, op, amount, true);
  op.save();
  saveRewardEvent(protocol, op, kind, amount, allocation, event);
  flow.save();
  protocol.save();
}

/** RewardsAssigned(indexer, allocationID, epoch, amount): the older signature. */
export function handleRewardsAssignedWithEpoch(event: RewardsAssigned): void {
  assign(event.params.indexer, event.params.allocationID, event.params.amount, "RewardsAssigned", event);
}

/** RewardsAssigned(indexer, allocationID, amount): the newer signature. */
export function handleRewardsAssigned(event: RewardsAssigned1): void {
  assign(event.params.indexer, event.params.allocationID, event.params.amount, "RewardsAssigned", event);
}

export function handleHorizonRewardsAssigned(event: HorizonRewardsAssigned): void {
  assign(event.params.indexer, event.params.allocationID, event.params.amount, "HorizonRewardsAssigned", event);
}
