/**
 * When a simulated day has blocks: a diurnal pattern (quiet around 03:00 UTC), drawn from the chain's own random
 * stream. Day 0 opens with a block at exactly 00:00:00 UTC (the genesis of the economies), day 1 has one at
 * 23:59:59 (the last second of a day is a bucket edge the subgraph must get right).
 */
import { DAY, HOUR } from "../ledger.js";
import { type Rng, rngFromSeed } from "../rng.js";

/** The timestamps of day `d`'s blocks (unix seconds, ascending), startTime being 00:00 UTC of day 0. */
export function blockTimes(rng: Rng, startTime: number, d: number): number[] {
  const base = startTime + d * DAY;
  const secs = new Set<number>();
  if (d === 0) secs.add(0); // the genesis block, exactly at 00:00:00 UTC
  if (d === 1) secs.add(DAY - 1); // a block at 23:59:59
  for (let h = 0; h < 24; h++) {
    const diurnal = 0.5 - 0.5 * Math.cos(((h - 3) / 24) * 2 * Math.PI); // quiet around 03:00 UTC
    if (rng.next() > 0.25 + 0.7 * diurnal) continue;
    const n = rng.int(1, 2 + Math.round(3 * diurnal));
    for (let i = 0; i < n; i++) secs.add(h * HOUR + rng.int(0, HOUR - 1));
  }
  if (secs.size < 4) for (let i = 0; i < 4; i++) secs.add(rng.int(0, DAY - 2));
  return [...secs].sort((x, y) => x - y).map((s) => base + s);
}

/**
 * The chain's calendar over a history of `days` days: which days have blocks and their block times, drawn from a
 * stream of its own (seeded by the run's seed alone), so it is the same whatever economies run. Days 0-2 always
 * have blocks; with `gaps`, day 5 (when the history has at least 10 days) and about one later day in 25 have none
 * (a day without blocks is a case every layer must get right).
 */
export class Calendar {
  private readonly empty = new Set<number>();
  private readonly rng: Rng;

  constructor(
    seed: string,
    readonly startTime: number,
    readonly days: number,
    gaps: boolean,
  ) {
    this.rng = rngFromSeed(seed);
    if (!gaps) return;
    if (days >= 10) this.empty.add(5);
    for (let d = 3; d < days; d++) if (this.rng.next() < 0.04) this.empty.add(d);
  }

  hasBlocks(day: number): boolean {
    return day >= 0 && day < this.days && !this.empty.has(day);
  }

  /** The block times of day `d` (drawn in day order: call once per day with blocks, in order). */
  times(d: number): number[] {
    return blockTimes(this.rng, this.startTime, d);
  }
}
