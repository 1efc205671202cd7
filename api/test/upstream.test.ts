import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLError } from "graphql";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/core/config.js";
import { Gateway } from "../src/core/gateway.js";
import { computeSeries } from "../src/series/series.js";
import { UpstreamClient } from "../src/upstream/client.js";
import { startFakeGraphNode } from "./fakeGraphNode.js";
import { fixtureData } from "./fixtures.js";

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(() => r(null)));
  }
});

async function serve(handler: (n: number) => { status: number; body: string } | null): Promise<string> {
  let n = 0;
  const s = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      n += 1;
      const out = handler(n);
      if (!out) return; // hang
      res.statusCode = out.status;
      res.end(out.body);
    });
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/api/deadbeefdeadbeefdeadbeefdeadbeef/subgraphs/id/x`;
}

const client = (url: string, retries = 2, timeoutMs = 500) =>
  new UpstreamClient({ name: "u", url, network: "n" }, { timeoutMs, retries, backoffMs: 1 });

const code = (e: unknown) => (e as GraphQLError).extensions?.code;

describe("upstream client", () => {
  it("retries 5xx with backoff, then succeeds", async () => {
    const url = await serve((n) =>
      n < 3 ? { status: 503, body: "busy" } : { status: 200, body: '{"data":{"x":1}}' },
    );
    const c = client(url);
    await expect(c.query("{ x }")).resolves.toEqual({ x: 1 });
    expect(c.requests).toBe(3);
  });
  it("gives up after the retries with UPSTREAM_UNAVAILABLE", async () => {
    const url = await serve(() => ({ status: 502, body: "bad gateway" }));
    const c = client(url, 1);
    const err = await c.query("{ x }").catch((e) => e);
    expect(code(err)).toBe("UPSTREAM_UNAVAILABLE");
    expect(c.requests).toBe(2);
    expect((err as Error).message).not.toContain("deadbeef");
  });
  it("times out with UPSTREAM_TIMEOUT", async () => {
    const url = await serve(() => null);
    const err = await client(url, 0, 100)
      .query("{ x }")
      .catch((e) => e);
    expect(code(err)).toBe("UPSTREAM_TIMEOUT");
  });
  it("does not retry GraphQL errors: UPSTREAM_QUERY_FAILED", async () => {
    const url = await serve(() => ({
      status: 200,
      body: '{"errors":[{"message":"Type `Query` has no field `x`"}]}',
    }));
    const c = client(url);
    const err = await c.query("{ x }").catch((e) => e);
    expect(code(err)).toBe("UPSTREAM_QUERY_FAILED");
    expect(c.requests).toBe(1);
  });
  it("maps non-JSON answers to UPSTREAM_BAD_RESPONSE", async () => {
    const url = await serve(() => ({ status: 200, body: "<html>" }));
    expect(
      code(
        await client(url)
          .query("{ x }")
          .catch((e) => e),
      ),
    ).toBe("UPSTREAM_BAD_RESPONSE");
  });
});

describe("cache and snapshots", () => {
  it("a repeated request at the same block is served from the cache", async () => {
    const up = await startFakeGraphNode(fixtureData());
    try {
      const gw = new Gateway(
        parseConfig({ upstreams: [{ name: "l", url: up.url, network: "n" }], snapshotTtlMs: 0 }),
      );
      const req = {
        protocols: ["livepeer"],
        metrics: ["minted", "fees"],
        interval: "DAY" as const,
        from: "2024-01-01",
        to: "2024-01-09",
      };
      await computeSeries(gw.newRequest(), req);
      expect(up.requests.length).toBe(2);
      const again = await computeSeries(gw.newRequest(), req);
      expect(up.requests.length).toBe(3); // new snapshot only
      expect(again[0]?.points.map((p) => p.value)).toEqual([
        10n * 10n ** 18n,
        5n * 10n ** 18n,
        0n,
        0n,
        0n,
        0n,
        0n,
        2n * 10n ** 18n,
      ]);
      // A new block invalidates: the data need is read again, pinned to the new block.
      up.data.block = { ...up.data.block, number: 4243 };
      await computeSeries(gw.newRequest(), req);
      expect(up.requests.length).toBe(5);
      expect(up.blocksSeen.at(-1)).toBe(4243);
    } finally {
      await up.stop();
    }
  });
});
