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
