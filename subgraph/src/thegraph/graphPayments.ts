// The Graph GraphPayments (Horizon): paymentType 0 QueryFee and 1 IndexingFee are fees;
// 2 IndexingRewards is emission (counted from HorizonRewardsAssigned), kept only in the audit trail.
import { GraphPaymentCollected } from "../../generated/GraphPayments/GraphPayments";
import { recordPayer } from "../core/activity";
import { newFeeFlow, newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";
import { loadOperator } from "../core/stake";

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
    const supplySide = p.tokens.minus(p.tokensProtocol).minus(p.tokensDataService);
    const fee = newFeeFlow(protocol, protocol.token);
    fee.fees = p.tokens;
    fee.protocolTax = p.tokensProtocol;
    fee.curationFees = p.tokensDataService;
    fee.supplySideFees = supplySide;
    fee.feeEvents = 1;
    fee.save();
    const op = loadOperator(protocol, p.receiver);
    op.cumulativeFees = op.cumulativeFees.plus(supplySide);
    op.save();
    recordPayer(protocol, p.payer, event);
  }
}
