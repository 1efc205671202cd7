/**
 * One local chain of the stack (the main one, "anvil", and the second network's, "anvil-b"): its anvil, loaded from
 * the state file the supervisor keeps whole (chainstate.ts), saved when its head moves and before it stops.
 *
 * A chain is "seeded" once its deployment file exists (seed.ts writes it last, after the chain was saved). A state
 * file without that file is what a start that was stopped or killed during the simulation left: an unfinished
 * history, on which graph-node never ran. It is started over from a new chain (the history is deterministic: the
 * same seed and days give the same chain), with one line saying so.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { clearAnvilCache, startAnvil } from "./anvil.js";
import { ChainKeeper } from "./chainstate.js";
import type { StackLog } from "./log.js";
import type { ManagedProcess } from "./proc.js";
import type { Stop } from "./supervisor.js";

/** How often a chain whose head moved (live mode, reorgs) is saved. */
const SAVE_EVERY_MS = 30_000;

export interface LocalChain {
  url: string;
  proc: ManagedProcess;
  /** Whether this start resumes a seeded chain (else: a new chain, to be seeded). */
  resumed: boolean;
  /** Saves the chain just seeded (seed.ts calls it before writing the marker) and keeps it saved from then on. */
  persist(): Promise<void>;
}

export async function startLocalChain(o: {
  name: string;
  /** The step's label, given whether the chain is resumed. */
  label: (resumed: boolean) => string;
  /** The chain's folder (state.json, cache/). */
  dir: string;
  /** The deployment file whose presence marks the chain seeded. */
  marker: string;
  port: number;
  chainId?: number;
  genesisTimestamp: number;
  logFile: string;
  log: StackLog;
  onSpawn: (p: ManagedProcess) => void;
  /** The step runner (timed + guard) and the supervisor's hooks. */
  step: <T>(label: string, fn: () => Promise<T>) => Promise<T>;
  watch: (p: ManagedProcess) => void;
  stops: Stop[];
}): Promise<LocalChain> {
  mkdirSync(o.dir, { recursive: true });
  const stateFile = join(o.dir, "state.json");
  const cacheDir = join(o.dir, "cache");
  if (existsSync(stateFile) && !existsSync(o.marker)) {
    o.log.warn(
      `${o.name}: the previous start stopped before this chain's history was complete (${o.marker} is missing): ` +
        "starting the chain over",
    );
    rmSync(stateFile, { force: true });
    rmSync(`${stateFile}.head`, { force: true });
  }
  const resumed = existsSync(stateFile);
  const anvil = await o.step(o.label(resumed), () =>
    startAnvil({
      name: o.name,
      port: o.port,
      chainId: o.chainId,
      stateFile,
      cacheDir,
      genesisTimestamp: o.genesisTimestamp,
      logFile: o.logFile,
      onSpawn: o.onSpawn,
    }),
  );
  o.watch(anvil.proc);
  const keeper = new ChainKeeper({ rpcUrl: anvil.url, stateFile }, (e) =>
    o.log.warn(
      `${o.name}: the chain could not be saved (${e.message}); ${stateFile} keeps the last whole state`,
    ),
  );
  if (resumed) keeper.every(SAVE_EVERY_MS);
  o.stops.push({
    name: o.name,
    stop: async () => {
      keeper.stopTimer();
      // a chain not seeded yet is started over at the next start: not worth saving
      if (existsSync(o.marker) && anvil.proc.child.exitCode === null && anvil.proc.child.signalCode === null)
        await keeper
          .save()
          .catch((e: Error) => o.log.warn(`${o.name}: the chain could not be saved: ${e.message}`));
      await anvil.proc.stop(10_000);
      clearAnvilCache(cacheDir);
    },
  });
  return {
    url: anvil.url,
    proc: anvil.proc,
    resumed,
    persist: async () => {
      await keeper.save();
      keeper.every(SAVE_EVERY_MS);
    },
  };
}
