// The Graph GraphPayments (Horizon): paymentType 0 QueryFee and 1 IndexingFee are fees;
// 2 IndexingRewards is emission (counted from HorizonRewardsAssigned), kept only in the audit trail.
// The delegation pool's cut and the restaked rest have their own events in GraphPayments.collect
// (TokensToDelegationPoolAdded, HorizonStakeDeposited, both before this one): they are counted there.
import { GraphPaymentCollected } from "../../generated/GraphPayments/GraphPayments";
import { recordFee } from "../core/fees";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";
import { graphPaymentPayer } from "./sequences";

export function handleGraphPaymentCollected(event: GraphPaymentCollected): void {
  const protocol = getProtocol();
  const p = event.params;
  const paymentType = p.paymentType;
  const isFee = paymentType == 0 || paymentType == 1;
  // `payer` is the caller of GraphPayments.collect: the PaymentsEscrow, whose EscrowCollected names the payer.
  const payer = graphPaymentPayer(event, p.payer);
  // tokensProtocol is burned by GraphPayments whatever the payment type.
  const flow = newTokenFlow(protocol);
  flow.burnedFeeTax = p.tokensProtocol;
  flow.save();
  const record = newFeePayment(protocol, "GraphPaymentCollected", protocol.token, payer, p.receiver, p.tokens, isFee, event);
  record.paymentType = paymentType;
  record.protocolTax = p.tokensProtocol;
  record.curationFees = p.tokensDataService;
  record.save();
  if (isFee) {
    recordFee(protocol, protocol.token, payer, p.receiver, p.tokens, p.tokensProtocol, p.tokensDataService, event);
  }
}
