/** SnapshotStore: one `_meta` read shared within the TTL, refreshed in the background after it. */
import { describe, expect, it } from "vitest";
import type { UpstreamClient } from "../src/upstream/client.js";
import { SnapshotStore } from "../src/upstream/snapshot.js";

function fakeClient() {
  let block = 100;
  let reads = 0;
  let fail = false;
  const client = {
    name: "local",
    async query() {
      reads += 1;
      if (fail) throw new Error("upstream down");
      await new Promise((r) => setTimeout(r, 200));
      return {
        _meta: {
          block: { number: block, hash: `0x${block}`, timestamp: 1 },
          hasIndexingErrors: false,
          deployment: "d",
        },
        protocols: [],
      };
    },
  } as unknown as UpstreamClient;
  return {
    client,
    reads: () => reads,
    advance: () => {
      block += 1;
    },
    setFail: (v: boolean) => {
      fail = v;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SnapshotStore", () => {
  it("shares one read within the TTL", async () => {
    const f = fakeClient();
    const store = new SnapshotStore(200);
    const [a, b] = await Promise.all([store.get(f.client), store.get(f.client)]);
    expect(a.block.number).toBe(100);
    expect(b.block.number).toBe(100);
    expect(f.reads()).toBe(1);
  });

  it("after the TTL serves the last snapshot at once and refreshes it in the background", async () => {
    const f = fakeClient();
    const store = new SnapshotStore(300);
    await store.get(f.client);
    f.advance();
    await sleep(320);
    const t0 = performance.now();
    const stale = await store.get(f.client);
    expect(performance.now() - t0).toBeLessThan(100); // did not wait for the 200 ms read
    expect(stale.block.number).toBe(100);
    await sleep(250);
    expect((await store.get(f.client)).block.number).toBe(101);
    expect(f.reads()).toBe(2);
  });

  it("waits for a fresh read when the last snapshot is too old, and reports a down upstream", async () => {
    const f = fakeClient();
    const store = new SnapshotStore(10);
    await store.get(f.client);
    await sleep(150); // > 10 × TTL
    f.setFail(true);
    await expect(store.get(f.client)).rejects.toThrow("upstream down");
  });

  it("polls while requests come, so a request after a new block gets it without waiting, and stops when idle", async () => {
    const f = fakeClient();
    const store = new SnapshotStore(100);
    store.start([f.client], 700);
    try {
      await sleep(250); // the first read (200 ms) has landed
      expect((await store.get(f.client)).block.number).toBe(100);
      f.advance();
      await sleep(450); // a poll started after the new block has landed
      const t0 = performance.now();
      const s = await store.get(f.client);
      expect(performance.now() - t0).toBeLessThan(50);
      expect(s.block.number).toBe(101);
      await sleep(1000); // no request for longer than keepWarmMs: polling pauses
      const idle = f.reads();
      await sleep(500);
      expect(f.reads()).toBe(idle);
    } finally {
      store.stop();
    }
  });
});
