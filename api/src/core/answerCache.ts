/**
 * Caches of computed answers (series, compare, scorecard): by block (AnswerCache: a repeated question at the same
 * blocks costs nothing) and the last good answer of each question at any block (LastGoodCache, for allowStale),
 * both bounded in entries and in points; cachedAnswer() asks through both.
 */
import { LRUCache } from "lru-cache";
import type { RequestContext } from "./context.js";
import type { Gateway } from "./gateway.js";

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

const isUpstreamFailure = (e: unknown) =>
  e instanceof Error &&
  "extensions" in e &&
  String((e as { extensions: { code?: unknown } }).extensions.code ?? "").startsWith("UPSTREAM_");

/**
 * A computed answer through the gateway's answer caches: reused while every upstream is at the same block, and
 * kept as the last good answer of its question (any block). When an upstream fails and the user passed allowStale,
 * that last good answer is returned with `stale: true` instead of the error. GraphQL's resolvers and the series
 * routes ask the same questions in the same words, so either reuses the other's answer.
 */
export async function cachedAnswer<T>(
  gateway: Gateway,
  ctx: RequestContext,
  question: string,
  allowStale: boolean,
  compute: () => Promise<T>,
  log: Record<string, unknown>,
): Promise<{ value: T; stale: boolean }> {
  try {
    const value = await gateway.answers.getOrCompute(`${question}\u0000${await ctx.blocksKey()}`, compute);
    gateway.lastGood.set(question, value);
    return { value, stale: false };
  } catch (e) {
    const last = allowStale && isUpstreamFailure(e) ? gateway.lastGood.get<T>(question) : undefined;
    if (last === undefined) throw e;
    gateway.logger?.warn(
      { ...log, error: (e as Error).message },
      "upstream failed: serving the last good answer (allowStale)",
    );
    return { value: last, stale: true };
  }
}
