// L2GraphToken (Arbitrum One). BridgeMinted is not indexed: it repeats the Transfer from 0x0.
import { BridgeBurned } from "../../generated/L2GraphToken/L2GraphToken";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";

export { handleTransfer } from "../core/erc20";

/** The cause of the Transfer to 0x0 of the same transaction: tokens leaving L2 for L1. */
export function handleBridgeBurned(event: BridgeBurned): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  flow.burnedBridge = event.params.amount;
  flow.save();
}
