// The one ERC-20 Transfer handler for any protocol's token data source whose ABI has the standard
// Transfer(address indexed from, address indexed to, uint256 value): supply, holders, mints, burns (core/supply.ts).
import { ethereum } from "@graphprotocol/graph-ts";
import { newTokenFlow } from "./flows";
import { getProtocol } from "./protocol";
import { recordTransfer } from "./supply";

export function handleTransfer(event: ethereum.Event): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const from = event.parameters[0].value.toAddress();
  const to = event.parameters[1].value.toAddress();
  const value = event.parameters[2].value.toBigInt();
  const changed = recordTransfer(protocol, flow, event.address, from, to, value, event.block.timestamp);
  flow.save();
  if (changed) protocol.save();
}
