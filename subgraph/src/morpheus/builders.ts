// Morpheus Builders (MOR staking in builder pools / subnets): MorpheusAIs/SmartContracts
// contracts/builder-protocol/BuildersV3.sol (V1–V3, main ea893fa6) and BuildersV4.sol (branch feature/builders-v4,
// b38ee86). Stake is per staker (pools are not operators: a pool admin does not run the stake, it is a project
// that receives a share of the builders' emission). Fees (FeePaid) are MOR paid to the protocol treasury.
// AdminClaimed (builder rewards) is not indexed: they are paid from the BuildersTreasury, whose MOR was counted as
// gross emission when the L2MessageReceiver minted it there (docs/protocols/morpheus.md, Decisions).
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { FeePaid, UserDeposited, UserWithdrawn } from "../../generated/Builders/Builders";
import { Protocol, TokenFlow } from "../../generated/schema";
import { recordFee } from "../core/fees";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { newFeePayment } from "../core/records";
import { addStakerStake } from "../core/stake";

/** V1–V3 withdraw's fee operation (bytes32 "withdraw"); V4 has none. */
const WITHDRAW = Bytes.fromHexString("0x7769746864726177000000000000000000000000000000000000000000000000");

/** An account's own MOR entering (delta > 0) or leaving the Builders contract's stake. */
function moveStake(protocol: Protocol, flow: TokenFlow, user: Address, delta: BigInt, event: ethereum.Event): void {
  protocol.staked = protocol.staked.plus(delta);
  flow.stakedDelta = flow.stakedDelta.plus(delta);
  addStakerStake(protocol, flow, user, delta, event);
  if (delta.gt(BigInt.zero())) flow.stakeInflow = flow.stakeInflow.plus(delta);
  else flow.stakeOutflow = flow.stakeOutflow.minus(delta);
}

export function handleUserDeposited(event: UserDeposited): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  moveStake(protocol, flow, event.params.user, event.params.amount, event);
  flow.save();
  protocol.save();
}

/** The amount paid out; in V1–V3 net of the withdraw fee, which leaves the stake at the FeePaid after it. */
export function handleUserWithdrawn(event: UserWithdrawn): void {
  const protocol = getProtocol();
  const flow = newTokenFlow(protocol);
  moveStake(protocol, flow, event.params.user, event.params.amount.neg(), event);
  flow.save();
  protocol.save();
}

/**
 * A fee in MOR to the protocol's treasury (withdraw in V1–V3, claim, subnet creation in V4): all of it is the
 * protocol's (protocolTax). V1–V3 emit it also when the fee is 0: no fee then. A withdraw fee came out of the
 * user's stake (UserWithdrawn before it carried the net amount).
 */
export function handleFeePaid(event: FeePaid): void {
  const p = event.params;
  if (p.amount.isZero()) return;
  const protocol = getProtocol();
  if (p.operation.equals(WITHDRAW)) {
    const flow = newTokenFlow(protocol);
    moveStake(protocol, flow, p.user, p.amount.neg(), event);
    flow.save();
    protocol.save();
  }
  const asset = protocol.token;
  recordFee(protocol, asset, p.user, p.treasury, p.amount, p.amount, BigInt.zero(), event);
  const payment = newFeePayment(protocol, "FeePaid", asset, p.user, p.treasury, p.amount, true, event);
  payment.protocolTax = p.amount; // to the protocol treasury (not burned)
  payment.save();
}
