/**
 * The registered economies (contracts/src/protocols/<slug>/) on one chain: each gets its host view (SimHost),
 * its deployment section, its actions in the day's plan, every log of every mined block in order, and afterBlock.
 * Protocol-free: the main simulator and the second-network host (contracts/src/network.ts) both run them with it.
 */
import type { Abi, Address } from "viem";
import type { CompiledContract } from "../compile.js";
import type {
  DeployedContract,
  Economy,
  EconomyTruth,
  Push,
  SharedHost,
  SimHost,
  SimOptions,
} from "../protocols/types.js";
import { rngFromSeed } from "../rng.js";
import type { RawLog } from "./miner.js";

/** What the chain's host gives every economy (SimHost, less what is per economy). */
export interface HostContext {
  days: number;
  startTime: number;
  /** true on the main local chain. */
  primary: boolean;
  /** Seed of each economy's random streams: `${rngSeed}:${slug}:${tag}`. */
  rngSeed: string;
  options: SimOptions;
  now(): number;
  day(): number;
  block(): number;
  compiled(name: string): CompiledContract;
  read<T>(to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<T>;
  /** SimHub batching of the economy `slug` (SimHost.call, beginAction, closeTx). */
  call(slug: string, to: Address, abi: Abi, functionName: string, args: unknown[], logs: number | null): void;
  beginAction(slug: string): void;
  closeTx(slug: string): void;
  txCount(): number;
  /** A deterministic account for a tag (already prefixed with the economy's slug). */
  account(tag: string): Address;
  /** Queues an account's own transaction in the block being drafted (the label is prefixed with the slug). */
  send(from: Address, to: Address, abi: Abi, functionName: string, args: unknown[], label: string): void;
  usd(asset: string, amount: bigint): bigint | null;
  /** The host's SimHub batching and stream, for the economies with `batched` (none: such an economy cannot run). */
  shared?: SharedHost;
}

export class EconomyHosts {
  /**
   * Attaches every economy to its host view and its section of the deployment. A missing section is an
   * error: the chain was deployed before the economy was registered (or without it).
   */
  constructor(
    readonly list: Economy[],
    ctx: HostContext,
    sections: Record<string, Record<string, DeployedContract> | undefined>,
    extras: Record<string, Record<string, string>> | undefined,
  ) {
    for (const econ of list) {
      const slug = econ.slug;
      const host: SimHost = {
        days: ctx.days,
        startTime: ctx.startTime,
        primary: ctx.primary,
        options: ctx.options,
        now: ctx.now,
        day: ctx.day,
        block: ctx.block,
        compiled: ctx.compiled,
        read: ctx.read,
        call: (to, abi, functionName, args, logs) => ctx.call(slug, to, abi, functionName, args, logs),
        beginAction: () => ctx.beginAction(slug),
        closeTx: () => ctx.closeTx(slug),
        txCount: ctx.txCount,
        rng: (tag = "") => rngFromSeed(`${ctx.rngSeed}:${slug}:${tag}`),
        account: (tag) => ctx.account(`${slug}:${tag}`),
        send: (from, to, abi, functionName, args, label) =>
          ctx.send(from, to, abi, functionName, args, `${slug}: ${label}`),
        usd: ctx.usd,
        ...(econ.batched && ctx.shared ? { shared: ctx.shared } : {}),
      };
      const section = sections[slug];
      if (!section)
        throw new Error(
          `the deployment has no "${slug}" section: start a new chain (npm start -- --fresh) so that it is deployed`,
        );
      econ.attach(host, section, extras?.[slug]);
    }
  }

  /**
   * The actions of day `d` of the economies with `batched` (they share the host's SimHub transactions): planned
   * before the host's own actions, not wrapped.
   */
  planBatched(d: number, blocks: number, push: Push): void {
    for (const econ of this.list) if (econ.batched) econ.plan(d, blocks, push);
  }

  /** Every other economy's actions of day `d`, each wrapped by `wrap` (the host's transaction boundaries). */
  plan(
    d: number,
    blocks: number,
    push: Push,
    wrap: (run: () => void | Promise<void>) => () => Promise<void>,
  ) {
    for (const econ of this.list)
      if (!econ.batched) econ.plan(d, blocks, (block, prio, run) => push(block, prio, wrap(run)));
  }

  /** Before day 0: every economy's reads of chain state (Economy.prepare). */
  async prepare(): Promise<void> {
    for (const econ of this.list) await econ.prepare?.();
  }

  /** The days the economies need blocks on (Economy.busyDays). */
  busyDays(days: number): number[] {
    return this.list.flatMap((e) => e.busyDays?.(days) ?? []);
  }

  /** Wall-clock mode: every economy's live activity (Economy.realtime) in the block being drafted. */
  async realtime(n: number): Promise<void> {
    for (const econ of this.list) await econ.realtime(n);
  }

  /** `hostTx`: the log's transaction is one of the host's own (ChainLog.hostTx). */
  onLog(log: RawLog, txIndex: number, hostTx = false): void {
    for (const econ of this.list) econ.onLog(hostTx ? { ...log, txIndex, hostTx } : { ...log, txIndex });
  }

  afterBlock(ts: number): void {
    for (const econ of this.list) econ.afterBlock(ts);
  }

  /** ", <progress>" per economy. */
  progress(): string {
    return this.list.map((e) => `, ${e.progress()}`).join("");
  }

  truths(): [string, EconomyTruth][] {
    return this.list.map((e) => [e.slug, e.truth()]);
  }
}
