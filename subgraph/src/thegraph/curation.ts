// The Graph L2Curation: the curation tax on signal is burned.
import { Signalled } from "../../generated/L2Curation/L2Curation";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";

export function handleSignalled(event: Signalled): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  flow.burnedCurationTax = event.params.curationTax;
  flow.save();
}
