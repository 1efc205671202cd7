/**
 * Whole-response cache: the exact bytes (and headers) of a cacheable answer, keyed by the request body and
 * the block hash of every upstream (RequestContext.blocksKey). An identical request at the same blocks is
 * answered without running GraphQL at all; a new block changes the key. Only JSON POSTs are served from it:
 * they cannot be simple cross-site requests. Sized in bytes; least recently used entries go first. An answer
 * larger than an eighth of the cache is not kept: one-off large answers (a notebook paging through years)
 * would otherwise evict the many small ones that dashboards repeat.
 */
import { LRUCache } from "lru-cache";

export class ResponseCache {
  /** Bodies kept as UTF-8 bytes: a hit writes them without encoding the text again. */
  private readonly lru: LRUCache<string, { body: Buffer; headers: [string, string][] }>;

  constructor(maxBytes: number) {
    this.lru = new LRUCache({
      maxSize: maxBytes,
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 8)),
      sizeCalculation: (v, k) => v.body.length + k.length,
    });
  }

  static key(body: string, blocksKey: string): string {
    return `${blocksKey}\u0000${body}`;
  }

  get(key: string) {
    return this.lru.get(key);
  }

  set(key: string, body: string | Buffer, headers: [string, string][]): void {
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    if (bytes.length + key.length <= this.lru.maxEntrySize) this.lru.set(key, { body: bytes, headers });
  }
}
