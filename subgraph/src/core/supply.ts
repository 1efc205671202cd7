import { Address, BigInt, Bytes } from "@graphprotocol/graph-ts";
import { Protocol, TokenHolder, TokenFlow } from "../../generated/schema";
import { DEAD_ADDRESS, ZERO, ZERO_ADDRESS } from "./constants";
import { valueUsd } from "./prices";

/**
 * An ERC-20 Transfer: the only source of supply. Mints come from 0x0, burns go to 0x0 or 0x…dEaD.
 * Balances are kept per holder so that `holders` (balance > 0) is exact. Returns whether the protocol's
 * stocks changed (a mint, a burn, or a holder count change), i.e. whether it needs saving.
 */
export function recordTransfer(
  protocol: Protocol,
  flow: TokenFlow,
  token: Bytes,
  from: Address,
  to: Address,
  value: BigInt,
  timestamp: BigInt,
): boolean {
  const isMint = from.equals(ZERO_ADDRESS);
  const isBurn = to.equals(ZERO_ADDRESS) || to.equals(DEAD_ADDRESS);
  if (isMint) {
    flow.minted = flow.minted.plus(value);
    flow.supplyDelta = flow.supplyDelta.plus(value);
    protocol.cumulativeMinted = protocol.cumulativeMinted.plus(value);
    protocol.totalSupply = protocol.totalSupply.plus(value);
  }
  if (isBurn) {
    flow.burned = flow.burned.plus(value);
    const usd = valueUsd(token, value, timestamp);
    if (usd === null) flow.burnedUnpriced = flow.burnedUnpriced.plus(value);
    else flow.burnedUsd = flow.burnedUsd.plus(usd as BigInt);
    flow.supplyDelta = flow.supplyDelta.minus(value);
    protocol.cumulativeBurned = protocol.cumulativeBurned.plus(value);
    protocol.totalSupply = protocol.totalSupply.minus(value);
  }
  if (!isMint && !isBurn) {
    flow.transferVolume = flow.transferVolume.plus(value);
    flow.transferCount = flow.transferCount + 1;
  }
  if (value.isZero() || from.equals(to)) return isMint || isBurn;
  const holdersBefore = protocol.holderCount;
  if (!isMint) moveBalance(protocol, flow, token, from, value.neg());
  if (!isBurn) moveBalance(protocol, flow, token, to, value); // burned tokens (also at 0x…dEaD) have no holder
  return isMint || isBurn || protocol.holderCount != holdersBefore;
}

function moveBalance(protocol: Protocol, flow: TokenFlow, token: Bytes, account: Address, delta: BigInt): void {
  const id = token.concat(account);
  let holder = TokenHolder.load(id);
  if (holder == null) {
    holder = new TokenHolder(id);
    holder.token = token;
    holder.account = account;
    holder.balance = ZERO;
  }
  const before = holder.balance;
  holder.balance = before.plus(delta);
  if (before.le(ZERO) && holder.balance.gt(ZERO)) {
    flow.holdersDelta = flow.holdersDelta + 1;
    protocol.holderCount = protocol.holderCount + 1;
  } else if (before.gt(ZERO) && holder.balance.le(ZERO)) {
    flow.holdersDelta = flow.holdersDelta - 1;
    protocol.holderCount = protocol.holderCount - 1;
  }
  holder.save();
}
