/**
 * A second local network (standing in for another chain a protocol also lives on, e.g. Base next to Arbitrum One):
 * no Livepeer, no The Graph, no price sources; only the registered economies whose deploy() returns a section
 * when Deployer.primary is false (a bridged token, the contracts of that side). It mines with the same
 * protocol-free parts as the main simulator (contracts/src/chain/: block times, the day's plan, sending and
 * mining, receipt checks, every log to the economies in order, afterBlock) and writes a ground truth of the same
 * format (docs/simulator.md, "A second local network").
 */
import { type Address, keccak256, toHex } from "viem";
import { Calendar } from "./chain/blocks.js";
import { ChainClient } from "./chain/client.js";
import { BlockDrafts } from "./chain/drafts.js";
import { EconomyHosts } from "./chain/economies.js";
import { BlockMiner } from "./chain/miner.js";
import { DayPlan } from "./chain/plan.js";
import { type RealtimeOptions, wallClockBlocks } from "./chain/realtime.js";
import { type ProtocolTruth, protocolTruth } from "./chain/truth.js";
import { type CompiledContracts, compileContracts } from "./compile.js";
import {
  type ContractDeployment,
  deployEconomies,
  deployerAccount,
  economyDeployer,
  economyOwner,
} from "./deploy.js";
import { DAY, HOUR, isoDate } from "./ledger.js";
import { loadEconomies } from "./protocols/index.js";
import type { Economy } from "./protocols/types.js";
import { Rpc } from "./rpc.js";
import type { GroundTruth, SimulateProgress } from "./simulate.js";

/** A second network's deployment: the shape of subgraph/deployments/*.json (no prices) plus the simulator's extras. */
export interface NetworkDeployment {
  network: string;
  description?: string;
  prune: "never";
  /** Protocols whose token here is a bridged copy of the main network's (their supply is not new supply). */
  bridgedSupply?: string[];
  /** Per protocol with a part on this network; empty when no registered economy has one. */
  protocols: Record<string, Record<string, ContractDeployment>>;
  simulator: { owner: Address; protocols: Record<string, Record<string, string>> };
}

/** The ground truth of a second network: GroundTruth's format, its protocols only, no prices. */
export type NetworkGroundTruth = Omit<GroundTruth, "protocols"> & {
  network: string;
  protocols: Record<string, ProtocolTruth>;
};

/**
 * Deploys the part of every registered economy (or of `economies`, or of those named in `protocols`) that lives on
 * this network: each economy's deploy() with `primary: false`, from its own account (as on the main chain); an
 * economy that returns null has no part here.
 */
export async function deployNetwork(opts: {
  rpcUrl: string;
  network: string;
  economies?: Economy[];
  protocols?: string[];
}): Promise<NetworkDeployment> {
  const compiled = await compileContracts();
  const chain = await ChainClient.connect(opts.rpcUrl, opts.network);
  const out = await deployEconomies(opts.economies ?? (await loadEconomies(opts.protocols)), (slug) =>
    economyDeployer({
      rpcUrl: opts.rpcUrl,
      network: opts.network,
      primary: false,
      compiled,
      chain,
      owner: economyOwner(slug),
      hub: null,
    }),
  );
  return {
    network: opts.network,
    description:
      "Second local network (contracts/src/network.ts): the registered economies' parts on another chain " +
      "(Deployer.primary false), e.g. a token bridged from the main local chain",
    // as on the main local chain (contracts/src/deploy.ts): a small history, keep it all
    prune: "never",
    ...(out.bridged.length > 0 ? { bridgedSupply: out.bridged } : {}),
    protocols: out.protocols,
    simulator: { owner: deployerAccount().address, protocols: out.extras },
  };
}

export interface NetworkSimulateOptions {
  rpcUrl: string;
  deployment: NetworkDeployment;
  /** The run's seed (the main chain's): accounts are the same addresses on both networks, random streams differ. */
  seed: number | string;
  days: number;
  /** 00:00 UTC of day 0 (the main chain's start). */
  startTime: number;
  onProgress?: (p: SimulateProgress) => void;
  /** Instead of the registry (tests); each must have a section in the deployment. */
  economies?: Economy[];
  /** Only these registered economies (slugs; default: every one the deployment has a section for). */
  protocols?: string[];
}

/** The economies of the deployment, from the registry (or the given list), in slug order. */
export async function createNetworkSimulator(opts: NetworkSimulateOptions): Promise<NetworkSimulator> {
  const all = opts.economies ?? (await loadEconomies(opts.protocols));
  const slugs = Object.keys(opts.deployment.protocols).filter(
    (s) => !opts.protocols || opts.protocols.includes(s),
  );
  const missing = slugs.filter((s) => !all.some((e) => e.slug === s));
  if (missing.length > 0)
    throw new Error(
      `the ${opts.deployment.network} deployment lists ${missing.join(", ")}, which no registered economy is ` +
        "(contracts/src/protocols/<slug>/economy.ts): start a new chain (npm start -- --fresh)",
    );
  return new NetworkSimulator(
    opts,
    all.filter((e) => slugs.includes(e.slug)),
    await compileContracts(),
  );
}

export class NetworkSimulator {
  readonly days: number;
  readonly startTime: number;
  readonly network: string;
  private readonly calendar: Calendar;
  private readonly miner: BlockMiner;
  private readonly rpc: Rpc;
  private readonly hosts: EconomyHosts;
  /** The transactions of the block being drafted, in order (no SimHub on this network). */
  private readonly drafts: BlockDrafts;
  private now = 0;
  private day = 0;
  /** run() has produced the history (wall-clock mode continues it). */
  private ran = false;

  constructor(
    private readonly opts: NetworkSimulateOptions,
    economies: Economy[],
    compiled: CompiledContracts,
  ) {
    this.days = opts.days;
    this.startTime = opts.startTime;
    this.network = opts.deployment.network;
    if (!Number.isInteger(this.days) || this.days < 1) throw new Error("days must be a positive integer");
    if (!Number.isInteger(this.startTime) || this.startTime % DAY !== 0)
      throw new Error(
        `startTime ${this.startTime} must be a unix time at 00:00:00 UTC (a multiple of 86400)`,
      );
    const seedTag = String(opts.seed);
    // this network's own streams (block times, each economy's draws): not the main chain's history again
    const rngSeed = `${seedTag}:${this.network}`;
    // every day has blocks here (no days without blocks: those are the main chain's case)
    this.calendar = new Calendar(`${rngSeed}:blocks`, this.startTime, this.days, false);
    const from = deployerAccount().address;
    this.rpc = new Rpc(opts.rpcUrl);
    this.miner = new BlockMiner(this.rpc, from);
    this.drafts = new BlockDrafts(null, from, (lane) => `${rngSeed}:${lane}:batching`);
    this.hosts = new EconomyHosts(
      economies,
      {
        days: this.days,
        startTime: this.startTime,
        primary: false,
        rngSeed,
        // the main chain's accounts (same seed, same tag): an address is the same account on every network
        accountSeed: seedTag,
        options: { operators: 5, stakers: 30, payers: 10 },
        now: () => this.now,
        day: () => this.day,
        hasBlocks: (d) => this.calendar.hasBlocks(d),
        block: () => this.miner.nextBlock,
        compiled: (name) => {
          const c = compiled[name];
          if (!c) throw new Error(`no compiled contract ${name} in contracts/sol`);
          return c;
        },
        read: (to, abi, functionName, args) => this.rpc.read(to, abi, functionName, args),
        drafts: this.drafts,
        account: (seed) => `0x${keccak256(toHex(seed)).slice(26)}` as Address,
        // no price source on this network: no USD values (docs/methodology.md, "Prices")
        usd: () => null,
        priceTick: () => null,
      },
      opts.deployment.protocols,
      opts.deployment.simulator?.protocols,
    );
  }

  get events(): number {
    return this.miner.events;
  }
  get blocks(): number {
    return this.miner.blocks;
  }

  private async mine(ts: number): Promise<void> {
    this.now = ts;
    await this.miner.mine(
      ts,
      this.drafts.txs(),
      (i, logs) => {
        for (const log of logs) this.hosts.onLog(log, i);
      },
      () => this.drafts.reset(),
    );
    this.hosts.afterBlock(ts);
  }

  async run(): Promise<NetworkGroundTruth> {
    const t0 = Date.now();
    await this.miner.prepare();
    if (this.miner.lastTs >= this.startTime)
      throw new Error(
        `${this.network}: startTime ${this.startTime} (${new Date(this.startTime * 1000).toISOString()}) is not after ` +
          `the chain's latest block timestamp ${this.miner.lastTs}: restart anvil with an earlier --timestamp`,
      );
    try {
      await this.hosts.prepare();
      for (let d = 0; d < this.days; d++) {
        this.day = d;
        const times = this.calendar.times(d);
        const plan = new DayPlan();
        this.hosts.plan(d, times.length, plan.push);
        await plan.run(times, {
          at: (ts) => {
            this.now = ts;
          },
          mine: (ts) => this.mine(ts),
        });
        if (this.opts.onProgress && ((d + 1) % 7 === 0 || d === this.days - 1))
          this.opts.onProgress({
            day: d + 1,
            days: this.days,
            blocks: this.blocks,
            events: this.events,
            elapsedMs: Date.now() - t0,
            message:
              `${this.network} day ${d + 1}/${this.days} (${isoDate(this.startTime + d * DAY)}): ` +
              `${this.blocks} blocks, ${this.events} events${this.hosts.progress()}`,
          });
      }
      // one empty block in the next day so graph-node closes the last hourly and daily buckets
      await this.mine(this.startTime + this.days * DAY + HOUR);
      this.ran = true;
    } finally {
      await this.miner.restore();
    }
    return this.groundTruth();
  }

  /**
   * Wall-clock mode (contracts/src/chain/realtime.ts): after run(), one block every intervalMs at the current time
   * with every economy's live activity (Economy.realtime), until the signal aborts. Receipts are checked as in the
   * history; the ledgers keep booking (stocks()); the ground truth covers the simulated days only.
   */
  async realtime(opts: RealtimeOptions = {}): Promise<void> {
    if (!this.ran)
      throw new Error(
        `${this.network}: wall-clock mode continues a history: call run() first (the economies' state comes from it)`,
      );
    await wallClockBlocks(this.miner, opts, async (ts, n) => {
      this.now = ts;
      this.day = Math.max(0, Math.floor((ts - this.startTime) / DAY));
      await this.hosts.realtime(n);
      await this.mine(ts);
    });
  }

  /** Each protocol's ledger stocks after the last mined block (history or live), with its token. */
  stocks(): Record<string, { token: string; supply: bigint; staked: bigint }> {
    return Object.fromEntries(
      this.hosts
        .truths()
        .map(([slug, t]) => [
          slug,
          { token: t.token.address, supply: t.ledger.supply, staked: t.ledger.staked },
        ]),
    );
  }

  groundTruth(): NetworkGroundTruth {
    return {
      network: this.network,
      seed: this.opts.seed,
      days: this.days,
      startTime: this.startTime,
      endTime: this.startTime + this.days * DAY,
      events: this.events,
      blocks: this.blocks,
      protocols: Object.fromEntries(
        this.hosts
          .truths()
          .map(([slug, t]) => [
            slug,
            protocolTruth(t.ledger, t.token, t.feeAsset, this.startTime, this.days, t.milestones),
          ]),
      ),
      prices: {},
    };
  }
}
