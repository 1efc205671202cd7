/**
 * anvil from @foundry-rs/anvil: deterministic accounts, chain state loaded from <data>/anvil/state.json, which
 * the supervisor writes (chainstate.ts: anvil's own dumps rewrite the file in place and could leave it truncated).
 * anvil also writes the states of older blocks to a cache on disk as the chain grows (hundreds of MB to
 * GB for a simulated year), by default under ~/.foundry/anvil/tmp, and never removes them: the stack points
 * it at <data>/anvil/cache instead and empties that before anvil starts and after it stops.
 */
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { StackError } from "./errors.js";
import { waitFor } from "./ports.js";
import { failsDuringStart, type ManagedProcess, startProcess, tail } from "./proc.js";

const require = createRequire(import.meta.url);

/** The real anvil binary (the package's bin is a node wrapper around it). */
export function anvilBinary(): string {
  try {
    const pkg = require.resolve("@foundry-rs/anvil-linux-amd64/package.json");
    return join(dirname(pkg), "bin", "anvil");
  } catch {
    return join(dirname(require.resolve("@foundry-rs/anvil/package.json")), "..", "..", ".bin", "anvil");
  }
}

export async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export interface BlockHeader {
  number: string;
  hash: string;
  timestamp: string;
}

export async function getBlock(url: string, tag: number | "latest"): Promise<BlockHeader | null> {
  const t = tag === "latest" ? tag : `0x${tag.toString(16)}`;
  return rpc<BlockHeader | null>(url, "eth_getBlockByNumber", [t, false]);
}

/** Removes anvil's state cache (only the running anvil reads it; a restart never does). */
export function clearAnvilCache(cacheDir: string): void {
  rmSync(cacheDir, { recursive: true, force: true });
}

export async function startAnvil(opts: {
  port: number;
  stateFile: string;
  /** Where anvil keeps the states of older blocks (--cache-path); emptied first. */
  cacheDir: string;
  genesisTimestamp: number;
  logFile: string;
  /** anvil's chain id (default 31337); a second local network has its own (stack.ts: 31338). */
  chainId?: number;
  /** The process's name in logs and errors (default "anvil"). */
  name?: string;
  onSpawn?: (p: ManagedProcess) => void;
}): Promise<{ url: string; proc: ManagedProcess }> {
  clearAnvilCache(opts.cacheDir);
  const args = [
    "--port",
    String(opts.port),
    "--host",
    "127.0.0.1",
    ...(existsSync(opts.stateFile) ? ["--load-state", opts.stateFile] : []),
    "--cache-path",
    opts.cacheDir,
    "--timestamp",
    String(opts.genesisTimestamp),
    "--gas-limit",
    "1000000000",
    "--code-size-limit",
    "100000",
    // the simulator sends a block's transactions, from many accounts, in the order they must run
    "--order",
    "fifo",
    ...(opts.chainId === undefined ? [] : ["--chain-id", String(opts.chainId)]),
  ];
  const name = opts.name ?? "anvil";
  const url = `http://127.0.0.1:${opts.port}`;
  const proc = startProcess(name, anvilBinary(), args, opts.logFile, {
    onSpawn: opts.onSpawn,
    // the reaper saves the chain before it stops anvil (an unseeded one is started over anyway: stack.ts)
    persist: { rpcUrl: url, stateFile: opts.stateFile },
  });
  await Promise.race([
    waitFor(name, async () => (await rpc<string>(url, "eth_chainId")) ?? undefined, 30_000, 100),
    failsDuringStart(proc, name).catch((e: Error) => {
      // anvil refuses a state file it cannot parse (truncated, damaged): say so in one line, delete nothing
      const refused = /invalid value '[^']*' for '--load-state <PATH>': (.*)/.exec(tail(opts.logFile, 10));
      if (!refused) throw e;
      throw new StackError(
        `the chain state ${opts.stateFile} cannot be loaded (anvil: ${refused[1]?.trim()}): it is truncated or ` +
          "damaged. Put back a whole copy, or start over with `npm start -- --fresh` (deletes the data folder); " +
          "nothing was deleted.",
      );
    }),
  ]);
  return { url, proc };
}
