// L2GraphToken (Arbitrum One). BridgeMinted is not indexed: it repeats the Transfer from 0x0.
import { BridgeBurned, Transfer } from "../../generated/L2GraphToken/L2GraphToken";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { recordTransfer } from "../core/supply";

export function handleTransfer(event: Transfer): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const changed = recordTransfer(protocol, flow, event.address, event.params.from, event.params.to, event.params.value, event.block.timestamp);
  flow.save();
  if (changed) protocol.save();
}

/** The cause of the Transfer to 0x0 of the same transaction: tokens leaving L2 for L1. */
export function handleBridgeBurned(event: BridgeBurned): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  flow.burnedBridge = event.params.amount;
  flow.save();
}
