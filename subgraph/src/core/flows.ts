import { Bytes } from "@graphprotocol/graph-ts";
import { FeeFlow, Protocol, TokenFlow } from "../../generated/schema";
import { zeroFeeFlowFields, zeroTokenFlowFields } from "./zero";

/** A zeroed TokenFlow data point for the protocol; the caller sets the fields it moves and saves it. */
export function newTokenFlow(protocol: Protocol): TokenFlow {
  return zeroTokenFlow(protocol.id);
}

/** A zeroed TokenFlow data point for a protocol id (also used by the bench's floor mapping). */
export function zeroTokenFlow(protocolId: string): TokenFlow {
  const flow = new TokenFlow(0); // id and timestamp are set by graph-node
  flow.protocol = protocolId;
  zeroTokenFlowFields(flow);
  return flow;
}

/** A zeroed FeeFlow data point for the protocol and fee asset. */
export function newFeeFlow(protocol: Protocol, asset: Bytes): FeeFlow {
  const flow = new FeeFlow(0);
  flow.protocol = protocol.id;
  flow.asset = asset;
  zeroFeeFlowFields(flow);
  return flow;
}
