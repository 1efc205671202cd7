/**
 * Unknown before a protocol's first data (docs/metrics.md, "Unknown is not 0"). graph-node has a protocol's
 * buckets only from its first indexed event on; a period that ends at or before the start of the protocol's first
 * bucket (token or fee data, hour or day as the series reads) is unknown: every metric of it is null, with a note,
 * never 0. That holds whether nothing existed yet or indexing started late (a deployment's startBlock).
 */
import type { AggInterval, Need, Row } from "../upstream/loaders.js";
import { bucketSeconds, type DenseBucket, type Interval, isoLabel } from "./rollup.js";

/** The reads that find a protocol's first bucket: its first token bucket and its first bucket of each fee asset. */
export function firstDataNeeds(
  protocol: string,
  interval: AggInterval,
  feeAssets: readonly string[],
): Need[] {
  return [null, ...feeAssets].map((asset) => ({ kind: "firstBucket", protocol, interval, asset }));
}

/** The start (seconds) of the earliest bucket the first-bucket reads found; null when there is none yet. */
export function firstDataStart(rows: readonly (readonly Row[])[]): number | null {
  const starts = rows.flatMap((r) => r.map((x) => bucketSeconds(x.timestamp)));
  return starts.length === 0 ? null : Math.min(...starts);
}

/** The earliest first bucket of several networks (a protocol on several is known from its first data anywhere). */
export function earliestFirst(firsts: readonly (number | null)[]): number | null {
  const known = firsts.filter((f): f is number => f !== null);
  return known.length === 0 ? null : Math.min(...known);
}

/** A period wholly before the first data (or any period when there is none yet) is unknown. */
export const beforeFirstData = (periodEnd: number, first: number | null): boolean =>
  first === null || periodEnd <= first;

/** Why a period is null: it is before the protocol's first data. */
export function unknownNote(name: string, first: number | null, interval: Interval): string {
  return first === null
    ? `unknown: no data of ${name} is indexed yet at the block read`
    : `unknown: before ${name}'s first indexed data (${isoLabel(first, interval === "HOUR" ? "HOUR" : "DAY")}); not 0`;
}

/** The buckets from the first data on (a whole window's value covers only what is known). */
export function knownBuckets(dense: readonly DenseBucket[], first: number | null): DenseBucket[] {
  return first === null ? [] : dense.filter((d) => d.start >= first);
}
