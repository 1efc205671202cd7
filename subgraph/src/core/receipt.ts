import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

/**
 * The logs of an event's transaction, for handlers declared with `receipt: true` (datasources.ts): where a
 * real function emits the event that explains a token movement only before or after it. Positions are
 * relative to the event's own log.
 */
export class TxLogs {
  /** The transaction's logs (empty when the receipt is missing). */
  logs: ethereum.Log[];
  /** Index of the event's own log in `logs`; -1 when the receipt is missing. */
  at: i32;

  constructor(event: ethereum.Event) {
    this.logs = [];
    this.at = -1;
    const receipt = event.receipt;
    if (receipt != null) {
      const logs = (receipt as ethereum.TransactionReceipt).logs;
      for (let i = 0; i < logs.length && this.at < 0; i++) if (logs[i].logIndex.equals(event.logIndex)) this.at = i;
      this.logs = logs;
    }
  }

  /** The log `offset` positions from the event's own (negative: earlier), or null. */
  get(offset: i32): ethereum.Log | null {
    if (this.at < 0) return null;
    const i = this.at + offset;
    if (i < 0 || i >= this.logs.length) return null;
    return this.logs[i];
  }
}

export function isEvent(log: ethereum.Log, topic0: Bytes): boolean {
  return log.topics.length > 0 && log.topics[0].equals(topic0);
}

/** Indexed address parameter `i` (1-based: topics[0] is the signature). */
export function topicAddress(log: ethereum.Log, i: i32): Address {
  if (log.topics.length <= i) return Address.zero();
  return Address.fromBytes(Bytes.fromUint8Array(log.topics[i].subarray(12, 32)));
}

/** Word `i` (0-based) of the non-indexed data, as a uint256. */
export function dataUint(log: ethereum.Log, i: i32): BigInt {
  const start = i * 32;
  if (log.data.length < start + 32) return BigInt.zero();
  const le = new Bytes(32);
  for (let k = 0; k < 32; k++) le[k] = log.data[start + 31 - k];
  return BigInt.fromUnsignedBytes(le);
}

/** Word `i` (0-based) of the non-indexed data, as an address. */
export function dataAddress(log: ethereum.Log, i: i32): Address {
  const start = i * 32;
  if (log.data.length < start + 32) return Address.zero();
  return Address.fromBytes(Bytes.fromUint8Array(log.data.subarray(start + 12, start + 32)));
}
