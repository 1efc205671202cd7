/**
 * The simulator of the main local chain: the host of the registered economies (contracts/src/protocols/<slug>/).
 * It owns the day loop over the chain's calendar (contracts/src/chain/blocks.ts), the block's transactions and
 * their mining (chain/drafts.ts, chain/miner.ts), the price book every log goes through and the ETH/USD feed
 * (prices.ts), and the registry's economies (chain/economies.ts); each economy plans its own actions, keeps its own
 * ledger and contributes its part of the ground truth. Nothing here names a protocol (docs/adding-a-protocol.md).
 */
import { writeFile } from "node:fs/promises";
import { type Abi, type Address, type Hex, keccak256, toHex } from "viem";
import { Calendar } from "./chain/blocks.js";
import { BlockDrafts } from "./chain/drafts.js";
import { EconomyHosts } from "./chain/economies.js";
import { BlockMiner } from "./chain/miner.js";
import { DayPlan } from "./chain/plan.js";
import { DEFAULT_INTERVAL_MS, type RealtimeOptions, wallClockBlocks } from "./chain/realtime.js";
import { type ProtocolTruth, protocolTruth } from "./chain/truth.js";
import { type CompiledContract, type CompiledContracts, compileContracts } from "./compile.js";
import { type Deployment, deployerAccount, simulatorParts } from "./deploy.js";
import { DAY, HOUR, isoDate } from "./ledger.js";
import { PRICE_EVERY, PriceBook, PricePath, type PriceTruth, planPriceUpdates } from "./prices.js";
import { loadEconomies } from "./protocols/index.js";
import type { Economy } from "./protocols/types.js";
import { rngFromSeed } from "./rng.js";
import { Rpc } from "./rpc.js";

export type {
  ActivityRow,
  DayRow,
  FlowRow,
  HourRow,
  ProtocolTruth,
} from "./chain/truth.js";

export interface SimulateProgress {
  day: number;
  days: number;
  blocks: number;
  events: number;
  elapsedMs: number;
  message: string;
}

export interface SimulateOptions {
  rpcUrl: string;
  deployment: Deployment;
  /** Seed of the simulator's PRNG: same seed, same options, same chain state => same ground truth. */
  seed: number | string;
  /** Number of simulated UTC days (default 90). */
  days?: number;
  /** Unix seconds of the first simulated day; must be 00:00:00 UTC and after the chain's latest block. */
  startTime: number;
  /** Only these registered economies (slugs; default every one); each must have its section in the deployment. */
  protocols?: string[];
  /** Day (0-based) from which The Graph runs on Horizon (default floor(days * 2 / 3)); >= days: never. */
  horizonSwitchDay?: number;
  /** Operators (orchestrators, indexers) per protocol that sizes its actors by the run, default 5. */
  operators?: number;
  /** Delegators per protocol, default 30. */
  stakers?: number;
  /** Payers per protocol (default 10); The Graph gateways = max(2, ceil(payers / 3)). */
  payers?: number;
  onProgress?: (p: SimulateProgress) => void;
}

export interface GroundTruth {
  seed: number | string;
  days: number;
  startTime: number;
  /** startTime + days * 86400 (exclusive end of the last simulated day). */
  endTime: number;
  /** Count of logs emitted by the simulation (all contracts, all events). */
  events: number;
  /** Blocks mined by the simulation (including the closing empty block). */
  blocks: number;
  /** Per protocol slug: every simulated economy (contracts/src/protocols/<slug>/). */
  protocols: Record<string, ProtocolTruth>;
  /** USD prices per asset (PriceStats: close, low, high, observations per hour and day with observations). */
  prices: PriceTruth;
}

/** ETH/USD at the start of the history (8 decimals). */
const ETH_USD_START = 2_500_00000000n;
/** The host's lane of SimHub transactions (the ETH/USD feed's answers). */
const LANE = "host";

/** Runs the simulation; resolves with the ground truth computed from the simulator's own ledger. */
export async function simulate(opts: SimulateOptions): Promise<GroundTruth> {
  const sim = await createSimulator(opts);
  return sim.run();
}

export async function createSimulator(opts: SimulateOptions): Promise<Simulator> {
  return new Simulator(opts, await compileContracts(), await loadEconomies(opts.protocols));
}

export async function writeGroundTruth(path: string, gt: GroundTruth): Promise<void> {
  await writeFile(path, `${JSON.stringify(gt, null, 2)}\n`);
}

export class Simulator {
  readonly days: number;
  readonly startTime: number;
  /** Which days have blocks, and when (drawn from the seed alone). */
  private readonly calendar: Calendar;
  /** Sends, mines and checks the blocks (contracts/src/chain/miner.ts). */
  private readonly miner: BlockMiner;
  private readonly rpc: Rpc;
  /** The transactions of the block being drafted (contracts/src/chain/drafts.ts). */
  private readonly drafts: BlockDrafts;
  /** The registered economies on this chain (contracts/src/chain/economies.ts). */
  private readonly hosts: EconomyHosts;
  /** The methodology's prices, applied to every receipt in log order (ground truth of USD values and prices). */
  private readonly priceBook: PriceBook;
  /** ETH/USD: the host's own market, answered by its feed. */
  private readonly ethUsd: PricePath;
  private readonly ethUsdFeed: Hex;
  /** Timestamp of the block being drafted (SimHost.now). */
  private now = 0;
  /** Timestamp of the block whose logs are being applied (SimHost.usd). */
  private logTs = 0;
  private day = 0;
  /** run() has produced the history (wall-clock mode continues it). */
  private ran = false;
  /** Wall-clock mode: the updates a day a price path's step is sized for (SimHost.priceTick). */
  private livePerDay = 1;

  constructor(
    private readonly opts: SimulateOptions,
    private readonly compiled: CompiledContracts,
    economies: Economy[],
  ) {
    this.days = opts.days ?? 90;
    this.startTime = opts.startTime;
    if (!Number.isInteger(this.days) || this.days < 1) throw new Error("days must be a positive integer");
    if (!Number.isInteger(this.startTime) || this.startTime % DAY !== 0)
      throw new Error(
        `startTime ${this.startTime} must be a unix time at 00:00:00 UTC (a multiple of 86400)`,
      );
    const parts = simulatorParts(opts.deployment);
    const prices = opts.deployment.prices;
    if (!prices) throw new Error("the deployment has no prices: start a new chain (npm start -- --fresh)");
    const seedTag = String(opts.seed);
    this.calendar = new Calendar(`${seedTag}:calendar`, this.startTime, this.days, true);
    const from = deployerAccount().address;
    this.rpc = new Rpc(opts.rpcUrl);
    this.miner = new BlockMiner(this.rpc, from);
    this.drafts = new BlockDrafts(
      { address: parts.SimHub.address, abi: this.contract("SimHub").abi },
      from,
      (lane) => `${seedTag}:${lane}:batching`,
    );
    this.priceBook = new PriceBook(prices.sources, prices.maxAgeSeconds);
    this.ethUsd = new PricePath(rngFromSeed(`${seedTag}:prices:eth`), ETH_USD_START, 0.035);
    this.ethUsdFeed = parts.EthUsdFeed;
    this.hosts = new EconomyHosts(
      economies,
      {
        days: this.days,
        startTime: this.startTime,
        primary: true,
        rngSeed: seedTag,
        accountSeed: seedTag,
        options: {
          operators: opts.operators ?? 5,
          stakers: opts.stakers ?? 30,
          payers: opts.payers ?? 10,
          ...(opts.horizonSwitchDay === undefined ? {} : { horizonSwitchDay: opts.horizonSwitchDay }),
        },
        now: () => this.now,
        day: () => this.day,
        hasBlocks: (d) => this.calendar.hasBlocks(d),
        block: () => this.miner.nextBlock,
        compiled: (name) => this.contract(name),
        read: (to, abi, functionName, args) => this.rpc.read(to, abi, functionName, args),
        drafts: this.drafts,
        usd: (asset, amount) => this.priceBook.value(asset.toLowerCase(), amount, this.logTs),
        priceTick: (n) => (n % PRICE_EVERY === 0 ? this.livePerDay : null),
        account: (seed) => `0x${keccak256(toHex(seed)).slice(26)}` as Address,
      },
      opts.deployment.protocols,
      parts.protocols,
    );
  }

  /** Events (logs) and blocks mined so far. */
  get events(): number {
    return this.miner.events;
  }
  get blocks(): number {
    return this.miner.blocks;
  }

  private contract(name: string): CompiledContract {
    const c = this.compiled[name];
    if (!c) throw new Error(`no compiled contract ${name} in contracts/sol`);
    return c;
  }

  /**
   * Sends the block's transactions in their drafted order and mines them in one block at `ts`
   * (contracts/src/chain/miner.ts checks every receipt: mined in this block at its position, successful, the
   * expected number of logs where known); every log goes to the price book, then to the economies, in block
   * order; then each economy's afterBlock (its settle steps, its stocks).
   */
  private async mine(ts: number): Promise<void> {
    this.logTs = ts;
    await this.miner.mine(
      ts,
      this.drafts.txs(),
      (i, logs) => {
        for (const log of logs) {
          this.priceBook.apply(log, ts);
          this.hosts.onLog(log, i);
        }
      },
      () => this.drafts.reset(),
    );
    this.hosts.afterBlock(ts);
  }

  async run(): Promise<GroundTruth> {
    const t0 = Date.now();
    await this.miner.prepare();
    if (this.miner.lastTs >= this.startTime)
      throw new Error(
        `startTime ${this.startTime} (${new Date(this.startTime * 1000).toISOString()}) is not after the chain's ` +
          `latest block timestamp ${this.miner.lastTs} (${new Date(this.miner.lastTs * 1000).toISOString()}): ` +
          "choose a later --start or restart anvil with an earlier --timestamp",
      );
    try {
      await this.hosts.prepare();
      for (let d = 0; d < this.days; d++) {
        this.day = d;
        await this.simulateDay(d);
        if (this.opts.onProgress && ((d + 1) % 7 === 0 || d === this.days - 1))
          this.opts.onProgress({
            day: d + 1,
            days: this.days,
            blocks: this.blocks,
            events: this.events,
            elapsedMs: Date.now() - t0,
            message:
              `day ${d + 1}/${this.days} (${isoDate(this.startTime + d * DAY)}): ${this.blocks} blocks, ` +
              `${this.events} events${this.hosts.progress()}`,
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

  /** A day of the calendar: the ETH/USD answers and every economy's actions, block by block. */
  private async simulateDay(d: number): Promise<void> {
    if (!this.calendar.hasBlocks(d)) return;
    const times = this.calendar.times(d);
    const plan = new DayPlan();
    planPriceUpdates(this.ethUsd, times.length, plan.push, (n) => {
      this.drafts.beginAction(LANE);
      this.transmit(n);
    });
    this.hosts.plan(d, times.length, plan.push);
    await plan.run(times, {
      at: (ts) => {
        this.now = ts;
      },
      mine: (ts) => this.mine(ts),
    });
  }

  /** An answer of the ETH/USD feed: the next step of its path (NewRound, AnswerUpdated). */
  private transmit(updatesToday: number): void {
    const answer = this.ethUsd.next(updatesToday);
    this.drafts.call(LANE, this.ethUsdFeed, this.contract("PriceFeed").abi as Abi, "transmit", [answer], 2);
  }

  /**
   * Wall-clock mode: after run(), one block every intervalMs at the current time (contracts/src/chain/realtime.ts)
   * until the signal aborts, continuing the history's economies: the price sources' answers in the first block and
   * every PRICE_EVERY blocks (SimHost.priceTick), and every registered economy's live activity (Economy.realtime).
   * Every receipt is checked as in the history; the ledgers keep booking (stocks()), but the ground truth covers the
   * simulated days only.
   */
  async realtime(opts: RealtimeOptions = {}): Promise<void> {
    if (!this.ran)
      throw new Error(
        "wall-clock mode continues a history: call run() first (the economies' stakes, allocations and channels come from it)",
      );
    // the price paths' steps sized for an answer every PRICE_EVERY blocks
    this.livePerDay = Math.max(
      1,
      Math.round((DAY * 1000) / ((opts.intervalMs ?? DEFAULT_INTERVAL_MS) * PRICE_EVERY)),
    );
    await wallClockBlocks(this.miner, opts, async (ts, n) => {
      this.day = Math.max(0, Math.floor((ts - this.startTime) / DAY));
      this.now = ts;
      // first, as a feed's heartbeat would: after a pause the block's values have prices younger than maxAgeSeconds
      if (n % PRICE_EVERY === 0) this.transmit(this.livePerDay);
      await this.hosts.realtime(n);
      await this.mine(ts);
    });
  }

  /** Each protocol's ledger stocks after the last mined block (history or live), with its token. */
  stocks(): Record<string, { token: string; supply: bigint; staked: bigint }> {
    const out: Record<string, { token: string; supply: bigint; staked: bigint }> = {};
    for (const [slug, t] of this.hosts.truths())
      out[slug] = { token: t.token.address, supply: t.ledger.supply, staked: t.ledger.staked };
    return out;
  }

  groundTruth(): GroundTruth {
    return {
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
      prices: this.priceBook.truth(),
    };
  }
}
