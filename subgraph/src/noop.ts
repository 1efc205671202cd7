// A mapping whose handlers do nothing: the ceiling graph-node sets for our data sources (bench/)
// and the probe subgraph the stack hands to `gnd dev` (stack/). Same handler names as the real mappings.
import { ethereum } from "@graphprotocol/graph-ts";

export function noop(event: ethereum.Event): void {}
