// Livepeer TicketBroker: broadcasters pay orchestrators in ETH through probabilistic tickets.
import { DepositFunded, WinningTicketRedeemed } from "../../generated/TicketBroker/TicketBroker";
import { recordPayer } from "../core/activity";
import { ETH_ASSET } from "../core/constants";
import { newFeeFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";
import { loadOperator } from "../core/stake";

/** A winning ticket is a fee (ETH) paid by the broadcaster (sender) to the orchestrator (recipient). */
export function handleWinningTicketRedeemed(event: WinningTicketRedeemed): void {
  const protocol = getProtocol();
  const p = event.params;
  const fee = newFeeFlow(protocol, ETH_ASSET);
  fee.fees = p.faceValue;
  fee.supplySideFees = p.faceValue;
  fee.feeEvents = 1;
  fee.save();
  const op = loadOperator(protocol, p.recipient);
  op.cumulativeFees = op.cumulativeFees.plus(p.faceValue);
  op.save();
  recordPayer(protocol, p.sender, event);
  newFeePayment(protocol, "WinningTicketRedeemed", ETH_ASSET, p.sender, p.recipient, p.faceValue, true, event).save();
}

/** A broadcaster funding its ticket deposit: a demand signal, not a fee. */
export function handleDepositFunded(event: DepositFunded): void {
  const protocol = getProtocol();
  const fee = newFeeFlow(protocol, ETH_ASSET);
  fee.depositsFunded = event.params.amount;
  fee.save();
}
