/**
 * End to end, live mode (`npm start -- --live`): after a short history the stack keeps producing blocks in
 * wall-clock time on every network it started (the main chain and local-b), each protocol acting in them;
 * graph-node follows both chains, and the gateway's answers (GraphQL `protocols`, the dashboard's first query, and
 * the /protocols.json data route) move to later blocks with other values.
 *
 * Live blocks are not in the ground-truth files (those cover the simulated days): what is checked against the chain
 * here is that every live transaction landed (the simulator checks every receipt) and that the indexed supply of
 * each protocol at a live block is its token contract's totalSupply() at that block.
 *
 * Waiting has a generous deadline (blocks come every few seconds); no duration is asserted.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, startStack, type TestStack } from "../stack/src/harness.js";

const DAYS = 3;
const HOUR = 3600;
/** How long to wait for something live blocks bring (they come every few seconds). */
const DEADLINE_MS = 4 * 60_000;

let stack: TestStack;
/** Per network with a history: timestamp of the history's last block (its closing block, endTime + 1 h). */
const historyEnd: Record<string, number> = {};

interface Deployed {
  protocols: Record<string, Record<string, { address: string }>>;
  prices?: { sources: { address: string }[] };
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method} on ${url}: ${body.error.message}`);
  return body.result as T;
}
const hex = (n: number) => `0x${n.toString(16)}`;
const blockAt = async (url: string, n: number | "latest") =>
  rpc<{ number: string; timestamp: string }>(url, "eth_getBlockByNumber", [
    typeof n === "number" ? hex(n) : n,
    false,
  ]).then((b) => ({ number: Number(b.number), timestamp: Number(b.timestamp) }));

/** Polls `probe` until it returns a value, the stack fails, or the deadline passes (then says what was last seen). */
async function until<T>(what: string, probe: () => Promise<{ value: T } | string>): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let seen = "";
  for (;;) {
    const r = await Promise.race([probe(), stack.failed]);
    if (typeof r !== "string") return r.value;
    seen = r;
    if (Date.now() > deadline)
      throw new Error(`${what}: not seen within ${DEADLINE_MS / 1000} s; last: ${seen}`);
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** The first block after the history (the history ends with its closing block at historyEnd). */
async function firstLiveBlock(url: string, end: number): Promise<number | null> {
  const head = await blockAt(url, "latest");
  if (head.timestamp <= end) return null;
  let n = head.number;
  while (n > 0 && (await blockAt(url, n - 1)).timestamp > end) n--;
  return n;
}

beforeAll(async () => {
  stack = await startStack({ days: DAYS, seed: 7, gateway: true, secondNetwork: true, live: true });
  for (const [network, path] of Object.entries(stack.groundTruthPaths))
    historyEnd[network] = (JSON.parse(readFileSync(path, "utf8")) as { endTime: number }).endTime + HOUR;
}, 20 * 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe("live mode", () => {
  it("runs every network the stack started, each with a history", () => {
    expect(Object.keys(stack.networks).sort()).toEqual(["local", "local-b"]);
    expect(Object.keys(historyEnd).sort()).toEqual(["local", "local-b"]);
  });

  it("every network keeps producing blocks after the history, with every protocol's activity (and prices on the main chain)", async () => {
    for (const net of Object.values(stack.networks)) {
      const end = historyEnd[net.network] as number;
      const deployed = JSON.parse(readFileSync(net.deploymentFile, "utf8")) as Deployed;
      const contracts: Record<string, string[]> = Object.fromEntries(
        Object.entries(deployed.protocols).map(([slug, cs]) => [
          slug,
          Object.values(cs).map((c) => c.address.toLowerCase()),
        ]),
      );
      if (deployed.prices)
        contracts["price sources"] = deployed.prices.sources.map((s) => s.address.toLowerCase());
      expect(Object.keys(deployed.protocols).length, net.network).toBeGreaterThan(0);
      await until(`${net.network}: logs of ${Object.keys(contracts).join(", ")} in live blocks`, async () => {
        const first = await firstLiveBlock(net.rpcUrl, end);
        if (first === null) return `${net.network}: no block after the history`;
        const logs = await rpc<{ address: string }[]>(net.rpcUrl, "eth_getLogs", [
          { fromBlock: hex(first), toBlock: "latest" },
        ]);
        const emitted = new Set(logs.map((l) => l.address.toLowerCase()));
        const idle = Object.entries(contracts)
          .filter(([, addrs]) => !addrs.some((a) => emitted.has(a)))
          .map(([slug]) => slug);
        const head = await blockAt(net.rpcUrl, "latest");
        return idle.length === 0 && head.number >= first + 2
          ? { value: true }
          : `${net.network}: live blocks ${first}…${head.number}, no logs yet from ${idle.join(", ") || "(none)"}`;
      });
    }
  });

  it("graph-node indexes live blocks of every network: each protocol's supply there is its token's totalSupply() at that block", async () => {
    for (const net of Object.values(stack.networks)) {
      const url = net.graphqlUrl as string;
      const end = historyEnd[net.network] as number;
      const block = await until(`${net.network}: graph-node at a live block`, async () => {
        const { _meta } = await gql<{
          _meta: { block: { number: number; timestamp: number }; hasIndexingErrors: boolean };
        }>(url, "{ _meta { block { number timestamp } hasIndexingErrors } }");
        expect(_meta.hasIndexingErrors, net.network).toBe(false);
        return _meta.block.timestamp > end
          ? { value: _meta.block.number }
          : `${net.network}: indexed block ${_meta.block.number} (${_meta.block.timestamp}), history ends ${end}`;
      });
      const { protocols } = await gql<{
        protocols: { id: string; token: { id: string }; totalSupply: string }[];
      }>(url, `{ protocols(block: { number: ${block} }) { id token { id } totalSupply } }`);
      expect(protocols.length, net.network).toBeGreaterThan(0);
      for (const p of protocols) {
        // totalSupply() selector
        const onChain = await rpc<string>(net.rpcUrl, "eth_call", [
          { to: p.token.id, data: "0x18160ddd" },
          hex(block),
        ]);
        expect(p.totalSupply, `${net.network} ${p.id} at block ${block}`).toBe(BigInt(onChain).toString());
      }
    }
  });

  it("the gateway's answers (GraphQL protocols, the dashboard's /protocols.json) move to later blocks of every network with other values", async () => {
    const gw = stack.gatewayUrl as string;
    const QUERY = `{ protocols { id reads { network block { number } }
      totalSupply { raw } staked { raw } operators stakers holders
      cumulativeMinted { raw } cumulativeBurned { raw } cumulativeGrossEmission { raw } } }`;
    type P = { id: string; reads: { network: string; block: { number: number } }[] } & Record<
      string,
      unknown
    >;
    const read = async () => (await gql<{ protocols: P[] }>(`${gw}/graphql`, QUERY)).protocols;
    const blocks = (ps: P[]) => {
      const out: Record<string, number> = {};
      for (const p of ps)
        for (const r of p.reads) out[r.network] = Math.max(out[r.network] ?? 0, r.block.number);
      return out;
    };
    const values = (ps: P[]) => JSON.stringify(ps.map(({ reads: _, ...v }) => v));
    const route = async () => {
      const res = await fetch(`${gw}/protocols.json`);
      expect(res.status).toBe(200);
      return { etag: res.headers.get("etag"), body: await res.text() };
    };

    const first = await read();
    const firstBlocks = blocks(first);
    const firstRoute = await route();
    expect(Object.keys(firstBlocks).sort()).toEqual(["local", "local-b"]);
    await until("the gateway answering later blocks of every network, with other values", async () => {
      const now = await read();
      const b = blocks(now);
      const behind = Object.keys(firstBlocks).filter((n) => !((b[n] ?? 0) > (firstBlocks[n] as number)));
      const same = values(now) === values(first);
      return behind.length === 0 && !same
        ? { value: true }
        : `blocks ${JSON.stringify(b)} (first ${JSON.stringify(firstBlocks)})${same ? ", same values" : ""}`;
    });
    const later = await route();
    expect(later.body).not.toBe(firstRoute.body);
    expect(later.etag).not.toBe(firstRoute.etag);
  });
});
