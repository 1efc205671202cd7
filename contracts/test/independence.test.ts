/**
 * Each economy is independent (issue 23): its ground truth is byte-identical (as JSON) whether every registered
 * protocol is deployed and simulated on the chain or only it. Each run is a fresh anvil, deployContracts and
 * simulate with the same seed, days and start; the only difference is the `protocols` option (and, alone, blocks
 * mined between the deployment and the history, as a protocol deployed after it would add). What makes it hold
 * (docs/simulator.md, "Independent economies"): each economy's own random streams, accounts, deployer and SimHub
 * transactions, its clock in time (The Graph's epochs start at its own genesis), and the host's calendar drawn
 * from the seed alone.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilBinary, rpc } from "../../stack/src/anvil.js";
import { deployContracts } from "../src/deploy.js";
import { economySlugs } from "../src/protocols/index.js";
import { type GroundTruth, simulate } from "../src/simulate.js";

const START = Date.UTC(2024, 0, 1) / 1000;
/**
 * Long enough for the calendar's days without blocks, The Graph's switch (day 20), every slash, and legacy
 * undelegations whose end (an epoch) falls on either side of a check: with The Graph's epochs counted from the
 * chain's block numbers (not from its genesis) this history differs once two blocks more come before it.
 */
const DAYS = 30;
const SEED = 2;
/** Blocks mined between the deployment and the history in the second run of each protocol alone. */
const BLOCKS_BETWEEN = 2;
const cache = mkdtempSync(join(tmpdir(), "aitok-independence-"));

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

/** A fresh anvil as the stack starts it (stack/src/anvil.ts): first-in-first-out block order, large contracts. */
async function withAnvil<T>(run: (url: string) => Promise<T>): Promise<T> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["--port", String(port), "--timestamp", String(START - 30 * 86400), "--order", "fifo"];
  const more = ["--code-size-limit", "100000", "--silent", "--cache-path", join(cache, String(port))];
  const proc: ChildProcess = spawn(anvilBinary(), [...args, ...more], { stdio: "ignore" });
  try {
    for (let i = 0; ; i++) {
      try {
        await rpc(url, "eth_chainId");
        break;
      } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return await run(url);
  } finally {
    await new Promise<void>((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once("exit", () => done());
      proc.kill();
    });
  }
}

/**
 * The ground truth of a fresh chain with every registered economy (protocols undefined) or only those given;
 * `blocksBetween` empty blocks mined between the deployment and the history (as a protocol deployed after the given
 * ones would add): no economy's clock may count the chain's block numbers.
 */
function history(protocols?: string[], blocksBetween = 0): Promise<GroundTruth> {
  return withAnvil(async (url) => {
    const deployment = await deployContracts({ rpcUrl: url, protocols });
    if (blocksBetween > 0) await rpc(url, "anvil_mine", [`0x${blocksBetween.toString(16)}`]);
    return simulate({ rpcUrl: url, deployment, seed: SEED, days: DAYS, startTime: START, protocols });
  });
}

/** The first place two JSON values differ ("daily[3].staked: 12 ≠ 13"), or null when they are the same. */
function firstDifference(a: unknown, b: unknown, path = ""): string | null {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null)
    return a === b ? null : `${path || "(root)"}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const k of keys) {
    const d = firstDifference(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k,
    );
    if (d) return d;
  }
  return null;
}

afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe("each economy's history is the same with or without the other protocols", () => {
  let all: GroundTruth;

  beforeAll(async () => {
    all = await history();
  }, 300_000);

  it("every registered protocol is in the history of all of them", () => {
    expect(Object.keys(all.protocols).sort()).toEqual(economySlugs());
  });

  for (const slug of economySlugs())
    it(`${slug}: its ground truth alone is byte-identical to its ground truth among all protocols`, async () => {
      const alone = await history([slug]);
      expect(Object.keys(alone.protocols)).toEqual([slug]);
      const mine = all.protocols[slug];
      // not a vacuous comparison: the protocol has a history (supply, events on most days)
      expect(mine?.daily.some((r) => BigInt(r.totalSupply) > 0n)).toBe(true);
      expect(mine?.hourly.length).toBeGreaterThan(DAYS);
      expect(firstDifference(alone.protocols[slug], mine)).toBeNull();
      expect(JSON.stringify(alone.protocols[slug])).toBe(JSON.stringify(mine));
      // alone again, with blocks more before the history (as a protocol deployed after it would add)
      const later = await history([slug], BLOCKS_BETWEEN);
      expect(firstDifference(later.protocols[slug], mine)).toBeNull();
    }, 300_000);
});
