/**
 * Live mode (`npm start -- --live`): after the history, every network the stack started keeps producing blocks in
 * wall-clock time, each with its protocols' activity, by continuing the simulators that produced the history
 * (contracts/src/chain/realtime.ts). A simulator's state (stakes, allocations, channels) lives in memory only, so
 * live mode needs the history made by this start: a chain seeded by an earlier start cannot be continued.
 */
import { DEFAULT_INTERVAL_MS, type RealtimeOptions } from "../../contracts/src/chain/realtime.js";
import { StackError } from "./errors.js";
import type { StackLog } from "./log.js";

/** A network's simulator, right after its history (Simulator, NetworkSimulator). */
export interface LiveNetwork {
  network: string;
  simulator: { realtime(opts: RealtimeOptions): Promise<void> };
}

export interface Live {
  /** Stops after the blocks being built; resolves when every network's loop has ended. */
  stop(): Promise<void>;
}

/** The error for --live on a data folder whose chain was seeded by an earlier start. */
export function liveNeedsNewChain(dataDir: string): StackError {
  return new StackError(
    `--live continues the history this start simulates, but the chain in ${dataDir} was seeded by an earlier ` +
      "start (the simulator's state, its stakes, allocations and channels, is not saved with the chain). " +
      "Start a new chain with `npm start -- --fresh --live` (deletes the data folder), use another --data-dir, " +
      "or leave out --live to serve the saved chain.",
  );
}

/**
 * Starts a block every intervalMs on every network. A network whose loop fails (a reverted transaction, a receipt
 * that does not match its draft, the chain gone) stops every network's loop and is reported through `onError`.
 */
export function startLive(
  networks: LiveNetwork[],
  log: StackLog,
  onError: (e: StackError) => void,
  intervalMs?: number,
): Live {
  const abort = new AbortController();
  const runs = networks.map(({ network, simulator }) => {
    let blocks = 0;
    let events = 0;
    return simulator
      .realtime({
        intervalMs,
        signal: abort.signal,
        onBlock: (b) => {
          blocks++;
          events += b.events;
          // a line for the first block, then one every 100 (5 minutes at 3 s)
          if (blocks === 1 || blocks % 100 === 0)
            log.info(`live: ${network} block ${b.block}, ${blocks} live blocks, ${events} events`, {
              live: network,
              block: b.block,
              blocks,
              events,
            });
        },
      })
      .catch((e: Error) => {
        if (abort.signal.aborted) return;
        abort.abort();
        onError(new StackError(`live blocks on ${network} stopped after ${blocks} blocks: ${e.message}`));
      });
  });
  log.info(
    `live: a block every ${(intervalMs ?? DEFAULT_INTERVAL_MS) / 1000} s on ${networks.map((n) => n.network).join(" and ")} (wall-clock time)`,
  );
  return {
    stop: async () => {
      abort.abort();
      await Promise.all(runs);
    },
  };
}
