/**
 * One protocol on several networks (one upstream each), served as one protocol (docs/api.md, "One protocol on
 * several networks"): flows summed across networks, supply from the canonical network (bridged copies are not new
 * supply), stake and counts summed, the per-network parts still reachable as "upstream/protocol".
 */
import { FEE_FIELDS, FLOW_FIELDS, STOCK_FIELDS } from "./fields.js";
import type { ProtocolTraits } from "./metrics/catalog.js";
import type { DenseBucket, Stocks } from "./rollup.js";
import type { ProtocolInfo } from "./snapshot.js";

/** Per period exact counts of one network (summed across networks: an account active on two counts twice). */
export type Activity = Map<number, { payers: bigint; newPayers: bigint; activeStakers: bigint }>;

/** The part of a protocol's dense data the merge needs (DenseData in gateway.ts). */
export interface MergeableData {
  dense: DenseBucket[];
  step: number;
  start: number;
  nominalEnd: number;
  activity: Activity | null;
}

/** The network whose token supply is canonical: the first part that says so, else the first. */
export function canonicalIndex(parts: readonly { protocol: ProtocolInfo }[]): number {
  const i = parts.findIndex((p) => p.protocol.canonicalSupply);
  return i < 0 ? 0 : i;
}

/** Stocks of several networks: totalSupply from the canonical one; stake, operators, stakers, holders summed. */
function mergeStocks(list: readonly Stocks[], canonical: number): Stocks {
  const out = Object.fromEntries(STOCK_FIELDS.map((k) => [k, 0n])) as Stocks;
  for (const s of list) for (const k of STOCK_FIELDS) if (k !== "totalSupply") out[k] += s[k];
  out.totalSupply = list[canonical]?.totalSupply ?? 0n;
  return out;
}

/**
 * Dense buckets of one protocol on several networks as one series. A bucket is in the result only when every
 * network has closed it (the shortest series sets the end). Prices come from the canonical network's data.
 */
export function mergeDense<T extends MergeableData>(parts: readonly T[], canonical: number): T {
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
        canonical,
      ),
      stocksStart: mergeStocks(
        buckets.map((b) => b.stocksStart),
        canonical,
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
  return { ...base, dense, activity };
}

/** The merged protocol's stocks at the parts' blocks: supply from the canonical network, the rest summed. */
export function mergeProtocolInfo(parts: readonly ProtocolInfo[], canonical: number): ProtocolInfo {
  const c = parts[canonical] as ProtocolInfo;
  const sum = (k: "staked" | "cumulativeMinted" | "cumulativeBurned" | "cumulativeGrossEmission") =>
    parts.reduce((a, p) => a + p[k], 0n);
  const count = (k: "operatorCount" | "stakerCount" | "holderCount") => parts.reduce((a, p) => a + p[k], 0);
  return {
    ...c,
    network: parts.map((p) => p.network).join("+"),
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
