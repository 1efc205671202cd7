/**
 * One protocol on several networks (one upstream each), served as one protocol (docs/api.md, "One protocol on
 * several networks"): flows summed across networks; supply summed over the networks whose supply counts (every
 * network of a token bridged by burn-and-mint, only the canonical one for a lock-and-mint copy); stake and counts
 * summed; the per-network parts still reachable as "upstream/protocol".
 */
import { FEE_FIELDS, FLOW_FIELDS, STOCK_FIELDS } from "../fields.js";
import type { ProtocolTraits } from "../metrics/traits.js";
import type { ProtocolInfo } from "../upstream/snapshot.js";
import { earliestFirst } from "./firstData.js";
import type { DenseBucket, Stocks } from "./rollup.js";

/** Per period exact counts of one network (summed across networks: an account active on two counts twice). */
export type Activity = Map<number, { payers: bigint; newPayers: bigint; activeStakers: bigint }>;

/** The part of a protocol's dense data the merge needs (DenseData in dense.ts). */
export interface MergeableData {
  dense: DenseBucket[];
  step: number;
  start: number;
  nominalEnd: number;
  activity: Activity | null;
  /** Start of the protocol's first bucket on this network; null when there is none yet (firstData.ts). */
  first: number | null;
}

/** The network whose token supply is canonical: the first part that says so, else the first. */
export function canonicalIndex(parts: readonly { protocol: ProtocolInfo }[]): number {
  const i = parts.findIndex((p) => p.protocol.canonicalSupply);
  return Math.max(i, 0);
}

/**
 * Whether each network's totalSupply is part of the protocol's supply (docs/metrics.md, "Supply over several
 * networks"): the canonical network's is; a bridged copy's is when the token is bridged by burn-and-mint (the source
 * burned what the destination minted), not when it is a lock-and-mint copy (the source still counts the locked
 * tokens). With no canonical network, the one canonicalIndex picks counts.
 */
export function supplyCounted(parts: readonly { protocol: ProtocolInfo }[]): boolean[] {
  const counted = parts.map((p) => p.protocol.canonicalSupply || p.protocol.supplyBridge === "burnMint");
  if (!counted.includes(true)) counted[canonicalIndex(parts)] = true;
  return counted;
}

/** Stocks of several networks: totalSupply summed over the networks whose supply counts; the rest summed. */
function mergeStocks(list: readonly Stocks[], counted: readonly boolean[]): Stocks {
  const out = Object.fromEntries(STOCK_FIELDS.map((k) => [k, 0n])) as Stocks;
  list.forEach((s, i) => {
    for (const k of STOCK_FIELDS) if (k !== "totalSupply" || counted[i]) out[k] += s[k];
  });
  return out;
}

/**
 * Dense buckets of one protocol on several networks as one series. A bucket is in the result only when every
 * network has closed it (the shortest series sets the end). Prices come from the canonical network's data; the
 * first data is the earliest of any network's.
 */
export function mergeDense<T extends MergeableData>(
  parts: readonly T[],
  canonical: number,
  counted: readonly boolean[],
): T {
  const base = parts[canonical] as T;
  const n = Math.min(...parts.map((d) => d.dense.length));
  const dense: DenseBucket[] = [];
  for (let i = 0; i < n; i++) {
    const buckets = parts.map((d) => d.dense[i] as DenseBucket);
    const first = buckets[0] as DenseBucket;
    const flows = { ...first.flows };
    const fees = { ...first.fees };
    for (const b of buckets.slice(1)) {
      for (const k of FLOW_FIELDS) flows[k] += b.flows[k];
      for (const k of FEE_FIELDS) fees[k] += b.fees[k];
    }
    dense.push({
      start: first.start,
      flows,
      fees,
      stocks: mergeStocks(
        buckets.map((b) => b.stocks),
        counted,
      ),
      stocksStart: mergeStocks(
        buckets.map((b) => b.stocksStart),
        counted,
      ),
    });
  }
  let activity: Activity | null = null;
  if (parts.every((d) => d.activity)) {
    activity = new Map();
    for (const d of parts)
      for (const [ts, a] of d.activity as Activity) {
        const acc = activity.get(ts) ?? { payers: 0n, newPayers: 0n, activeStakers: 0n };
        activity.set(ts, {
          payers: acc.payers + a.payers,
          newPayers: acc.newPayers + a.newPayers,
          activeStakers: acc.activeStakers + a.activeStakers,
        });
      }
  }
  return { ...base, dense, activity, first: earliestFirst(parts.map((d) => d.first)) };
}

/** The merged protocol's stocks at the parts' blocks: supply over the networks whose supply counts, the rest summed. */
export function mergeProtocolInfo(
  parts: readonly ProtocolInfo[],
  canonical: number,
  counted: readonly boolean[],
): ProtocolInfo {
  const c = parts[canonical] as ProtocolInfo;
  const sum = (k: "staked" | "cumulativeMinted" | "cumulativeBurned" | "cumulativeGrossEmission") =>
    parts.reduce((a, p) => a + p[k], 0n);
  const count = (k: "operatorCount" | "stakerCount" | "holderCount") => parts.reduce((a, p) => a + p[k], 0);
  return {
    ...c,
    network: parts.map((p) => p.network).join("+"),
    totalSupply: parts.reduce((a, p, i) => (counted[i] ? a + p.totalSupply : a), 0n),
    staked: sum("staked"),
    cumulativeMinted: sum("cumulativeMinted"),
    cumulativeBurned: sum("cumulativeBurned"),
    cumulativeGrossEmission: sum("cumulativeGrossEmission"),
    operatorCount: count("operatorCount"),
    stakerCount: count("stakerCount"),
    holderCount: count("holderCount"),
    fields: [...new Set(parts.flatMap((p) => p.fields))],
  };
}

/** The merged protocol's traits: the canonical network's, with every field any network feeds. */
export function mergeTraits(parts: readonly ProtocolTraits[], canonical: number): ProtocolTraits {
  const c = parts[canonical] as ProtocolTraits;
  return { ...c, fields: new Set(parts.flatMap((t) => [...t.fields])) };
}
