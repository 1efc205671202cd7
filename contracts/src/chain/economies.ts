/**
 * The registered economies (contracts/src/protocols/<slug>/) on one chain: each gets its host view (SimHost: its own
 * random streams, accounts and SimHub lane), its deployment section, its actions in the day's plan (each started as
 * an action of its lane), every log of every mined block in order, and afterBlock. Protocol-free: the main
 * simulator and the second-network host (contracts/src/network.ts) both run them with it.
 */
import type { Abi, Address } from "viem";
import type { CompiledContract } from "../compile.js";
import type {
  DeployedContract,
  Economy,
  EconomyTruth,
  Push,
  SimHost,
  SimOptions,
} from "../protocols/types.js";
import { rngFromSeed } from "../rng.js";
import type { BlockDrafts } from "./drafts.js";
import type { RawLog } from "./miner.js";

/** What the chain's host gives every economy (SimHost, less what is per economy). */
export interface HostContext {
  days: number;
  startTime: number;
  /** true on the main local chain. */
  primary: boolean;
  /** Seed of each economy's random streams and accounts: `${rngSeed}:${slug}:${tag}`. */
  rngSeed: string;
  /** Seed of the accounts: `${accountSeed}:${slug}:${tag}` (the same on every network). */
  accountSeed: string;
  options: SimOptions;
  now(): number;
  day(): number;
  hasBlocks(day: number): boolean;
  block(): number;
  compiled(name: string): CompiledContract;
  read<T>(to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<T>;
  /** The block's transactions: each economy's own and its SimHub lane (named by its slug). */
  drafts: BlockDrafts;
  usd(asset: string, amount: bigint): bigint | null;
  priceTick(n: number): number | null;
  /** A deterministic account for a seed string. */
  account(seed: string): Address;
}

export class EconomyHosts {
  private readonly drafts: BlockDrafts;

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
    this.drafts = ctx.drafts;
    for (const econ of list) {
      const slug = econ.slug;
      const drafts = ctx.drafts;
      const host: SimHost = {
        days: ctx.days,
        startTime: ctx.startTime,
        primary: ctx.primary,
        options: ctx.options,
        now: ctx.now,
        day: ctx.day,
        hasBlocks: ctx.hasBlocks,
        block: ctx.block,
        compiled: ctx.compiled,
        read: ctx.read,
        rng: (tag = "") => rngFromSeed(`${ctx.rngSeed}:${slug}:${tag}`),
        account: (tag) => ctx.account(`${ctx.accountSeed}:${slug}:${tag}`),
        send: (from, to, abi, functionName, args, label) =>
          drafts.direct(from, to, abi, functionName, args, `${slug}: ${label}`),
        call: (to, abi, functionName, args, logs) => drafts.call(slug, to, abi, functionName, args, logs),
        beginAction: () => drafts.beginAction(slug),
        closeTx: () => drafts.close(slug),
        txCount: () => drafts.count,
        usd: ctx.usd,
        priceTick: ctx.priceTick,
      };
      const section = sections[slug];
      if (!section)
        throw new Error(
          `the deployment has no "${slug}" section: start a new chain (npm start -- --fresh) so that it is deployed`,
        );
      econ.attach(host, section, extras?.[slug]);
    }
  }

  /** Before day 0: every economy's reads of chain state (Economy.prepare). */
  async prepare(): Promise<void> {
    for (const econ of this.list) await econ.prepare?.();
  }

  /** Every economy's actions of day `d`, in slug order, each started as an action of its SimHub lane. */
  plan(d: number, blocks: number, push: Push): void {
    for (const econ of this.list) {
      const slug = econ.slug;
      econ.plan(d, blocks, (block, prio, run) =>
        push(block, prio, () => {
          this.drafts.beginAction(slug);
          return run();
        }),
      );
    }
  }

  /** Wall-clock mode: every economy's live activity (Economy.realtime) in the block being drafted. */
  async realtime(n: number): Promise<void> {
    for (const econ of this.list) await econ.realtime(n);
  }

  onLog(log: RawLog, txIndex: number): void {
    for (const econ of this.list) econ.onLog({ ...log, txIndex });
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
