/** Bounded LRU of block-pinned upstream results, keyed by upstream + block + canonical query. */
import { LRUCache } from "lru-cache";

export class ResultCache {
  private readonly lru: LRUCache<string, { rows: unknown[] }> | null;
  hits = 0;
  misses = 0;

  /** maxEntries 0 disables caching; maxRows bounds the total number of cached rows. */
  constructor(maxEntries: number, maxRows = 500_000) {
    this.lru =
      maxEntries > 0
        ? new LRUCache({ max: maxEntries, maxSize: maxRows, sizeCalculation: (v) => v.rows.length + 1 })
        : null;
  }

  static key(upstream: string, block: number, query: string): string {
    return `${upstream}\u0000${block}\u0000${query}`;
  }

  get(key: string): unknown[] | undefined {
    const v = this.lru?.get(key);
    if (v) this.hits += 1;
    else this.misses += 1;
    return v?.rows;
  }

  set(key: string, rows: unknown[]): void {
    this.lru?.set(key, { rows });
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }
}

/**
 * The size of an answer in points (series values), for the answer caches' bounds: a series counts its
 * points, a list or a comparison the sum of its parts, anything else 1.
 */
export function answerPoints(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((a: number, x) => a + answerPoints(x), 1);
  if (v && typeof v === "object") {
    const o = v as { points?: unknown; series?: unknown };
    if (Array.isArray(o.points)) return o.points.length + 1;
    if (Array.isArray(o.series)) return answerPoints(o.series) + 1;
  }
  return 1;
}

/**
 * Bounded LRU of computed answers (series, compare, scorecard), keyed by the field, its arguments and the
 * block every upstream was read at. A new block changes the key, so an answer is never served for a block
 * it was not computed at; a repeated question at the same blocks costs no upstream read and no computation.
 * Bounded in entries and in points (answerPoints): large answers do not pile up.
 */
export class AnswerCache {
  private readonly lru: LRUCache<string, { value: unknown }> | null;
  hits = 0;

  constructor(maxEntries: number, maxPoints = 1_000_000) {
    this.lru =
      maxEntries > 0 && maxPoints > 0
        ? new LRUCache({ max: maxEntries, maxSize: maxPoints, sizeCalculation: (e) => answerPoints(e.value) })
        : null;
  }

  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.lru?.get(key);
    if (hit) {
      this.hits += 1;
      return hit.value as T;
    }
    const value = await compute();
    // An answer larger than the whole bound is not kept (lru-cache refuses it).
    this.lru?.set(key, { value });
    return value;
  }
}

/**
 * The last answer computed for each question (field + arguments, any block), for allowStale. Bounded LRU, in
 * entries and in points.
 */
export class LastGoodCache {
  private readonly lru: LRUCache<string, { value: unknown }> | null;

  constructor(maxEntries: number, maxPoints = 1_000_000) {
    this.lru =
      maxEntries > 0 && maxPoints > 0
        ? new LRUCache({ max: maxEntries, maxSize: maxPoints, sizeCalculation: (e) => answerPoints(e.value) })
        : null;
  }

  set(question: string, value: unknown): void {
    this.lru?.set(question, { value });
  }

  get<T>(question: string): T | undefined {
    return this.lru?.get(question)?.value as T | undefined;
  }
}
