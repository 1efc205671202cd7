import { Bytes, ethereum } from "@graphprotocol/graph-ts";

/** Id of an immutable per-event record: transaction hash ++ log index. */
export function eventId(event: ethereum.Event): Bytes {
  return event.transaction.hash.concatI32(event.logIndex.toI32());
}

/** Bytes prefix of every id scoped to one protocol. */
export function protocolKey(slug: string): Bytes {
  return Bytes.fromUTF8(slug);
}
