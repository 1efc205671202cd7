import { describe, expect, it } from "vitest";
import { AnswerCache, answerPoints, LastGoodCache } from "../src/core/answerCache.js";
import { ResponseCache } from "../src/http/responseCache.js";

const series = (n: number) => ({
  metric: "m",
  points: Array.from({ length: n }, (_, i) => ({ value: String(i) })),
});

describe("answer caches are bounded in points", () => {
  it("weighs an answer by its series points", () => {
    expect(answerPoints([series(3), series(4)])).toBe(1 + 4 + 5);
    expect(answerPoints({ series: [series(2)], window: [] })).toBe(1 + 1 + 3);
    expect(answerPoints({ lines: [1, 2, 3] })).toBe(1);
  });

  it("keeps small answers, not ones larger than the bound, and evicts to stay within it", async () => {
    const cache = new AnswerCache(100, 50);
    let computed = 0;
    const get = (key: string, n: number) =>
      cache.getOrCompute(key, async () => {
        computed += 1;
        return [series(n)];
      });
    await get("small", 10);
    await get("small", 10);
    expect(computed).toBe(1);
    await get("big", 60);
    await get("big", 60);
    expect(computed).toBe(3); // never kept
    await get("a", 20);
    await get("b", 20); // small (12) + a (22) + b (22) > 50: the least recently used goes
    await get("small", 10);
    expect(computed).toBe(6);
    const last = new LastGoodCache(100, 50);
    last.set("q", [series(60)]);
    expect(last.get("q")).toBeUndefined();
    last.set("q", [series(5)]);
    expect(last.get("q")).toBeDefined();
  });
});

describe("whole-response cache", () => {
  it("does not keep an answer larger than an eighth of it, so large one-off answers do not evict small ones", () => {
    const cache = new ResponseCache(8000);
    cache.set("small", "x".repeat(500), []);
    for (let i = 0; i < 10; i++) cache.set(`large${i}`, "y".repeat(1200), []);
    expect(cache.get("large0")).toBeUndefined();
    expect(cache.get("small")?.body.length).toBe(500);
  });
});
