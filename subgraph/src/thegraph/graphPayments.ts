// The Graph GraphPayments (Horizon): paymentType 0 QueryFee and 1 IndexingFee are fees;
// 2 IndexingRewards is emission (counted from HorizonRewardsAssigned), kept only in the audit trail.
import { GraphPaymentCollected } from "../../generated/GraphPayments/GraphPayments";
import { recordFee } from "../core/fees";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";

export function handleGraphPaymentCollected(event: GraphPaymentCollected): void {
  const protocol = getProtocol();
  const p = event.params;
  const paymentType = p.paymentType;
  const isFee = paymentType == 0 || paymentType == 1;
  // tokensProtocol is burned by GraphPayments whatever the payment type.
  const flow = newTokenFlow(protocol);
  flow.burnedFeeTax = p.tokensProtocol;
  flow.save();
  const record = newFeePayment(protocol, "GraphPaymentCollected", protocol.token, p.payer, p.receiver, p.tokens, isFee, event);
  record.paymentType = paymentType;
  record.protocolTax = p.tokensProtocol;
  record.curationFees = p.tokensDataService;
  record.save();
  if (isFee) {
    recordFee(protocol, protocol.token, p.payer, p.receiver, p.tokens, p.tokensProtocol, p.tokensDataService, event);
  }
}
