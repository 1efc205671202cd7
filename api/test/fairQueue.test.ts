import { describe, expect, it } from "vitest";
import { FairQueue } from "../src/pool/fairQueue.js";

const drain = (q: FairQueue<string>, worker = 0) => {
  const out: string[] = [];
  for (let j = q.shift(worker); j; j = q.shift(worker)) out.push(j.value);
  return out;
};

describe("fair queue", () => {
  it("a client's backlog does not hold back another client's request", () => {
    const q = new FairQueue<string>();
    for (let i = 1; i <= 5; i++) q.push({ client: "heavy", cost: 250_000, pin: null, value: `h${i}` });
    q.push({ client: "light", cost: 3_000, pin: null, value: "l1" });
    expect(drain(q)).toEqual(["h1", "l1", "h2", "h3", "h4", "h5"]);
  });

  it("shares turns between heavy clients in proportion to cost", () => {
    const q = new FairQueue<string>();
    for (let i = 1; i <= 3; i++) q.push({ client: "a", cost: 100, pin: null, value: `a${i}` });
    for (let i = 1; i <= 3; i++) q.push({ client: "b", cost: 100, pin: null, value: `b${i}` });
    expect(drain(q)).toEqual(["a1", "b1", "a2", "b2", "a3", "b3"]);
  });

  it("a pinned job waits for its worker; others pass it", () => {
    const q = new FairQueue<string>();
    q.push({ client: "a", cost: 1, pin: 1, value: "pinned" });
    q.push({ client: "b", cost: 1, pin: null, value: "free" });
    expect(drain(q, 0)).toEqual(["free"]);
    expect(q.size).toBe(1);
    expect(drain(q, 1)).toEqual(["pinned"]);
  });
});
