/**
 * Wall-clock mode's clock (npm start --live, `npm run simulate -- --realtime`): after a history, one block every
 * intervalMs at the current time until the signal aborts. Protocol-free: the main simulator and the second-network
 * host both run their live blocks with it (what goes in a block is theirs).
 */
import type { BlockMiner } from "./miner.js";

export interface RealtimeOptions {
  /** Milliseconds between blocks (default 3000). */
  intervalMs?: number;
  /** Stops after the block being built (the loop resolves). */
  signal?: AbortSignal;
  /** After each block: its number, timestamp and number of logs. */
  onBlock?: (b: LiveBlock) => void;
}

export interface LiveBlock {
  block: number;
  ts: number;
  events: number;
}

export const DEFAULT_INTERVAL_MS = 3000;

/**
 * Mines blocks with `build(ts, n)` (n: 0, 1, … the live blocks so far) at the wall clock's second, or one second
 * after the previous block when that is later (a history that ends after now continues a second a block until the
 * clock catches up). The miner runs as during a history (automine off, high block gas limit) and is restored after.
 */
export async function wallClockBlocks(
  miner: BlockMiner,
  opts: RealtimeOptions,
  build: (ts: number, n: number) => Promise<void>,
): Promise<void> {
  const interval = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  if (!Number.isFinite(interval) || interval <= 0)
    throw new Error(`realtime: intervalMs must be a positive number of milliseconds, got ${interval}`);
  // the head again: nothing else should have mined since the history, but a block mined meanwhile is no error
  await miner.prepare();
  try {
    for (let n = 0; !opts.signal?.aborted; n++) {
      const ts = Math.max(Math.floor(Date.now() / 1000), miner.lastTs + 1);
      const before = miner.events;
      await build(ts, n);
      opts.onBlock?.({ block: miner.nextBlock - 1, ts, events: miner.events - before });
      await sleep(interval, opts.signal);
    }
  } finally {
    await miner.restore();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
