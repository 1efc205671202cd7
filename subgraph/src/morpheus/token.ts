// MOR (MOROFT, a LayerZero v2 OFT) on an L2: MorpheusAIs/SmartContracts contracts/MOROFT.sol. Every mint and burn is
// a Transfer from/to 0x0 (the supply); OFTSent / OFTReceived say that the Transfer before them in the same
// transaction was a bridge burn / mint (OFTCore.send: _debit burns, then OFTSent; OFTCore._lzReceive: _credit
// mints, then OFTReceived). Bridge mints and burns move MOR between chains: not issuance (docs/protocols/morpheus.md).
import { OFTReceived, OFTSent, Transfer } from "../../generated/MOR/MOR";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { recordTransfer } from "../core/supply";

export function handleTransfer(event: Transfer): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  const p = event.params;
  const changed = recordTransfer(protocol, flow, event.address, p.from, p.to, p.value, event.block.timestamp);
  flow.save();
  if (changed) protocol.save();
}

/** MOR leaving this chain: the burn (amountSentLD, dust removed) was the Transfer to 0x0 just before. */
export function handleOFTSent(event: OFTSent): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  flow.burnedBridge = event.params.amountSentLD;
  flow.save();
}

/** MOR arriving from another chain: the mint was the Transfer from 0x0 just before. */
export function handleOFTReceived(event: OFTReceived): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  flow.mintedBridge = event.params.amountReceivedLD;
  flow.save();
}
