/**
 * anvil from @foundry-rs/anvil: deterministic accounts, chain state persisted in <data>/anvil/state.json.
 * anvil also writes the states of older blocks to a cache on disk as the chain grows (hundreds of MB to
 * GB for a simulated year), by default under ~/.foundry/anvil/tmp, and never removes them: the stack points
 * it at <data>/anvil/cache instead and empties that before anvil starts and after it stops.
 */
import { rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { waitFor } from "./ports.js";
import { failsDuringStart, type ManagedProcess, startProcess } from "./proc.js";

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
    "--state",
    opts.stateFile,
    "--state-interval",
    "30",
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
  const proc = startProcess(name, anvilBinary(), args, opts.logFile, { onSpawn: opts.onSpawn });
  const url = `http://127.0.0.1:${opts.port}`;
  await Promise.race([
    waitFor(name, async () => (await rpc<string>(url, "eth_chainId")) ?? undefined, 30_000, 100),
    failsDuringStart(proc, name),
  ]);
  return { url, proc };
}
