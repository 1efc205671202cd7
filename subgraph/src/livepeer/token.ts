// LivepeerToken (Arbitrum One). Mint/Burn are not indexed: each repeats a Transfer from/to 0x0.
import { Transfer } from "../../generated/LivepeerToken/LivepeerToken";
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
