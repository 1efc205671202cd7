// Livepeer TicketBroker: broadcasters pay orchestrators in ETH through probabilistic tickets.
import { DepositFunded, WinningTicketRedeemed } from "../../generated/TicketBroker/TicketBroker";
import { ETH_ASSET, ZERO } from "../core/constants";
import { recordFee } from "../core/fees";
import { newFeeFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";

/** A winning ticket is a fee (ETH) paid by the broadcaster (sender) to the orchestrator (recipient). */
export function handleWinningTicketRedeemed(event: WinningTicketRedeemed): void {
  const protocol = getProtocol();
  const p = event.params;
  // No protocol tax, no curation: all of it goes to the orchestrator and its delegators.
  recordFee(protocol, ETH_ASSET, p.sender, p.recipient, p.faceValue, ZERO, ZERO, event);
  newFeePayment(protocol, "WinningTicketRedeemed", ETH_ASSET, p.sender, p.recipient, p.faceValue, true, event).save();
}

/** A broadcaster funding its ticket deposit: a demand signal, not a fee. */
export function handleDepositFunded(event: DepositFunded): void {
  const protocol = getProtocol();
  const fee = newFeeFlow(protocol, ETH_ASSET);
  fee.depositsFunded = event.params.amount;
  fee.save();
}
