// A mapping that records one TokenFlow data point per event and nothing else: the floor of any mapping
// that records flows as timeseries (bench/indexing.ts compares ours with it and with the do-nothing ceiling).
import { ethereum } from "@graphprotocol/graph-ts";
import { zeroTokenFlow } from "./core/flows";

export function floor(event: ethereum.Event): void {
  const flow = zeroTokenFlow("floor");
  flow.minted = event.logIndex;
  flow.save();
}
