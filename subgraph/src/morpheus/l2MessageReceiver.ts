// Morpheus L2MessageReceiver (MorpheusAIs/SmartContracts contracts/capital-protocol/old/L2MessageReceiver.sol): the
// LayerZero v1 receiver of the emission claims made on Ethereum (Distribution / DepositPool UserClaimed → L1Sender
// message). lzReceive mints MOR to the claim's receiver, then emits MessageSuccess; a failed message emits
// MessageFailed (no mint) and is minted later by retryMessage, which emits RetryMessageSuccess. The payload is
// abi.encode(address user, uint256 amount): the emission. It counts only when the log just before it is that mint
// on this deployment's MOR (the receiver's rewardToken was set by its owner, and an earlier token may have been
// minted before: docs/protocols/morpheus.md, "Traps").
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { MessageSuccess, RetryMessageSuccess } from "../../generated/L2MessageReceiver/L2MessageReceiver";
import { ZERO_ADDRESS } from "../core/constants";
import { newTokenFlow } from "../core/flows";
import { getProtocol } from "../core/protocol";
import { dataUint, isEvent, topicAddress, TxLogs } from "../core/receipt";
import { recordEmission } from "../core/staking";

const TRANSFER = Bytes.fromHexString("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");

function claimed(payload: Bytes, event: ethereum.Event): void {
  const decoded = ethereum.decode("(address,uint256)", payload);
  if (decoded == null) return; // not a mint message: _nonblockingLzReceive would have reverted on it
  const user = decoded.toTuple()[0].toAddress();
  const amount = decoded.toTuple()[1].toBigInt();
  const protocol = getProtocol();
  const mint = new TxLogs(event).get(-1);
  if (mint == null || !isMint(mint, Address.fromBytes(protocol.token), user, amount)) return;
  const flow = newTokenFlow(protocol);
  recordEmission(protocol, flow, amount, event);
  flow.save();
  protocol.save();
}

function isMint(log: ethereum.Log, token: Address, user: Address, amount: BigInt): boolean {
  return (
    log.address.equals(token) &&
    isEvent(log, TRANSFER) &&
    topicAddress(log, 1).equals(ZERO_ADDRESS) &&
    topicAddress(log, 2).equals(user) &&
    dataUint(log, 0).equals(amount)
  );
}

export function handleMessageSuccess(event: MessageSuccess): void {
  claimed(event.params.payload, event);
}

export function handleRetryMessageSuccess(event: RetryMessageSuccess): void {
  claimed(event.params.payload, event);
}
