/**
 * Wall-clock mode (npm start --live, `npm run simulate -- --realtime`) continuing a short history on real anvils:
 * the main simulator (Simulator.realtime) and the second-network host (NetworkSimulator.realtime) mine blocks at the
 * current time, every registered economy of the network acts in them (its contracts emit logs), the main chain's
 * price sources get new answers, the miner checks every receipt, and afterwards each protocol's ledger supply is
 * its token's totalSupply() on chain (the ledgers keep booking live blocks from their receipts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { anvilBinary, rpc } from "../../stack/src/anvil.js";
import { deployContracts } from "../src/deploy.js";
import { createNetworkSimulator, deployNetwork } from "../src/network.js";
import { createSimulator } from "../src/simulate.js";

const START = Date.UTC(2025, 0, 6) / 1000;
const DAYS = 3;
/** Live blocks per network: enough for every economy to act (each does something in most blocks). */
const LIVE_BLOCKS = 40;
const cache = mkdtempSync(join(tmpdir(), "aitok-realtime-test-"));
const anvils: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

/** An anvil as the stack starts it (stack/src/anvil.ts), except for the block gas limit (anvil's default). */
async function startAnvil(chainId: number): Promise<string> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    anvilBinary(),
    [
      ...["--port", String(port), "--chain-id", String(chainId), "--timestamp", String(START - 86400)],
      ...[
        "--order",
        "fifo",
        "--code-size-limit",
        "100000",
        "--silent",
        "--cache-path",
        join(cache, String(port)),
      ],
    ],
    { stdio: "ignore" },
  );
  anvils.push(proc);
  for (let i = 0; ; i++) {
    try {
      await rpc(url, "eth_chainId");
      return url;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

afterAll(async () => {
  for (const a of anvils) a.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 300));
  rmSync(cache, { recursive: true, force: true });
});

const hex = (n: number) => `0x${n.toString(16)}`;
const head = async (url: string) => Number(await rpc<string>(url, "eth_blockNumber"));

/** Runs `realtime` until `count` blocks were mined; returns the first live block and the wall clock before it. */
async function live(
  url: string,
  realtime: (o: { intervalMs: number; signal: AbortSignal; onBlock: () => void }) => Promise<void>,
  count: number,
): Promise<{ first: number; clock: number }> {
  const first = (await head(url)) + 1;
  const clock = Math.floor(Date.now() / 1000);
  const ac = new AbortController();
  let n = 0;
  await realtime({
    intervalMs: 20,
    signal: ac.signal,
    onBlock: () => {
      if (++n >= count) ac.abort();
    },
  });
  return { first, clock };
}

/** Which of `contracts` (name → addresses) emitted no log in blocks first…head. */
async function idle(url: string, first: number, contracts: Record<string, string[]>): Promise<string[]> {
  const logs = await rpc<{ address: string }[]>(url, "eth_getLogs", [
    { fromBlock: hex(first), toBlock: "latest" },
  ]);
  const emitted = new Set(logs.map((l) => l.address.toLowerCase()));
  return Object.entries(contracts)
    .filter(([, addrs]) => !addrs.some((a) => emitted.has(a.toLowerCase())))
    .map(([name]) => name);
}

/** Every live block is at the wall clock or after it (never back in the simulated days). */
async function expectWallClock(url: string, first: number, clock: number): Promise<void> {
  const last = await head(url);
  expect(last - first + 1).toBe(LIVE_BLOCKS);
  for (let b = first; b <= last; b++) {
    const blk = await rpc<{ timestamp: string }>(url, "eth_getBlockByNumber", [hex(b), false]);
    expect(Number(blk.timestamp)).toBeGreaterThanOrEqual(clock);
  }
}

/** Each ledger's supply equals its token's totalSupply() on chain at the head. */
async function expectSupplies(url: string, stocks: Record<string, { token: string; supply: bigint }>) {
  expect(Object.keys(stocks).length).toBeGreaterThan(0);
  for (const [slug, s] of Object.entries(stocks)) {
    const onChain = BigInt(
      await rpc<string>(url, "eth_call", [{ to: s.token, data: "0x18160ddd" }, "latest"]),
    );
    expect(s.supply, `${slug}: ledger supply vs ${s.token}.totalSupply()`).toBe(onChain);
  }
}

describe("wall-clock mode after a history", () => {
  it("the main chain: blocks at the wall clock with every protocol's activity and the price sources' answers", async () => {
    const url = await startAnvil(31337);
    const deployment = await deployContracts({ rpcUrl: url });
    const sim = await createSimulator({ rpcUrl: url, deployment, seed: 7, days: DAYS, startTime: START });
    await sim.run();
    const { first, clock } = await live(url, (o) => sim.realtime(o), LIVE_BLOCKS);
    await expectWallClock(url, first, clock);
    const contracts: Record<string, string[]> = Object.fromEntries(
      Object.entries(deployment.protocols).map(([slug, cs]) => [
        slug,
        Object.values(cs).map((c) => c.address),
      ]),
    );
    contracts["price sources"] = (deployment.prices?.sources ?? []).map((s) => s.address);
    expect(Object.keys(contracts).length).toBeGreaterThan(2);
    expect(await idle(url, first, contracts)).toEqual([]);
    await expectSupplies(url, sim.stocks());
    // automine is back on after the live blocks (as after run())
    expect(await rpc<boolean>(url, "anvil_getAutomine")).toBe(true);
  }, 300_000);

  it("a second local network: blocks at the wall clock with the activity of every protocol that has a part there", async () => {
    const url = await startAnvil(31338);
    const deployment = await deployNetwork({ rpcUrl: url, network: "local-b" });
    expect(Object.keys(deployment.protocols).length).toBeGreaterThan(0);
    const sim = await createNetworkSimulator({
      rpcUrl: url,
      deployment,
      seed: 7,
      days: DAYS,
      startTime: START,
    });
    await sim.run();
    const { first, clock } = await live(url, (o) => sim.realtime(o), LIVE_BLOCKS);
    await expectWallClock(url, first, clock);
    const contracts = Object.fromEntries(
      Object.entries(deployment.protocols).map(([slug, cs]) => [
        slug,
        Object.values(cs).map((c) => c.address),
      ]),
    );
    expect(await idle(url, first, contracts)).toEqual([]);
    await expectSupplies(url, sim.stocks());
  }, 300_000);

  it("refuses to start without a history (the economies' state comes from it)", async () => {
    const url = await startAnvil(31337);
    const deployment = await deployContracts({ rpcUrl: url });
    const sim = await createSimulator({ rpcUrl: url, deployment, seed: 7, days: DAYS, startTime: START });
    await expect(sim.realtime({ intervalMs: 20 })).rejects.toThrow(/run\(\) first/);
  }, 120_000);
});
