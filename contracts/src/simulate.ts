import { writeFile } from "node:fs/promises";
import { type Abi, type Address, decodeEventLog, type Hex, keccak256, parseAbi, toHex } from "viem";
import { blockTimes } from "./chain/blocks.js";
import { BlockDrafts } from "./chain/drafts.js";
import { EconomyHosts } from "./chain/economies.js";
import { BlockMiner } from "./chain/miner.js";
import { DayPlan } from "./chain/plan.js";
import { DEFAULT_INTERVAL_MS, type RealtimeOptions, wallClockBlocks } from "./chain/realtime.js";
import { type ProtocolTruth, protocolTruth } from "./chain/truth.js";
import { type CompiledContract, type CompiledContracts, compileContracts } from "./compile.js";
import {
  type ContractDeployment,
  type Deployment,
  deployerAccount,
  INITIAL_PRICES,
  type PriceSimDeployment,
  simulatorParts,
  sqrtPriceX96,
} from "./deploy.js";
import { DAY, HOUR, isoDate } from "./ledger.js";
import { PriceBook, PricePaths, type PriceTruth } from "./prices.js";
import { loadEconomies } from "./protocols/index.js";
import type { Economy } from "./protocols/types.js";
import { type Rng, rngFromSeed } from "./rng.js";
import { Rpc } from "./rpc.js";

// ---------------------------------------------------------------------------------------------------
// Public types

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
  /** Timestamp of the block with the first Horizon staking event (null if Horizon never switched on). */
  horizonSwitchTime: number | null;
  /** Count of logs emitted by the simulation (all contracts, all events). */
  events: number;
  /** Blocks mined by the simulation (including the closing empty block). */
  blocks: number;
  /** Per protocol slug: every registered economy (contracts/src/protocols/<slug>/). */
  protocols: { thegraph: ProtocolTruth } & Record<string, ProtocolTruth>;
  /** USD prices per asset (PriceStats: close, low, high, observations per hour and day with observations). */
  prices: PriceTruth;
}

const E18 = 10n ** 18n;
/** tokens(1.5) = 1.5e18 */
const tokens = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
/** Wall-clock mode: the price sources answer in the first live block and every PRICE_EVERY blocks after it. */
const PRICE_EVERY = 20;
/** The Uniswap v3 pool's Swap event (npm @uniswap/v3-core IUniswapV3PoolEvents). */
const UNISWAP_SWAP_ABI = parseAbi([
  "event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)",
]);
/** The one lane of SimHub transactions (SimHost.call). */
const LANE = "host";

/** Runs the simulation; resolves with the ground truth computed from the simulator's own ledger. */
export async function simulate(opts: SimulateOptions): Promise<GroundTruth> {
  const sim = await createSimulator(opts);
  return sim.run();
}

export async function createSimulator(opts: SimulateOptions): Promise<Simulator> {
  const compiled = await compileContracts();
  const parts = simulatorParts(opts.deployment);
  const economies = await loadEconomies();
  return new Simulator(opts, compiled, parts.SimHub.address as Hex, parts.prices, economies);
}

export async function writeGroundTruth(path: string, gt: GroundTruth): Promise<void> {
  await writeFile(path, `${JSON.stringify(gt, null, 2)}\n`);
}

export class Simulator {
  readonly days: number;
  readonly startTime: number;
  private readonly rng: Rng;
  /** Sends, mines and checks the blocks (contracts/src/chain/miner.ts). */
  private readonly miner: BlockMiner;
  private readonly rpc: Rpc;
  /** The transactions of the block being drafted (contracts/src/chain/drafts.ts). */
  private readonly drafts: BlockDrafts;
  /** The registered economies on this chain (contracts/src/chain/economies.ts). */
  private readonly hosts: EconomyHosts;
  /** The methodology's prices, applied to every receipt in log order (ground truth of USD values and prices). */
  private readonly priceBook: PriceBook;
  private readonly paths: PricePaths;
  /** ABIs of the logs the price book reads, by emitting address. */
  private readonly logAbis: Map<string, Abi>;
  /** Timestamp of the block being drafted (SimHost.now). */
  private now = 0;
  /** Timestamp of the block whose logs are being applied (SimHost.usd). */
  private logTs = 0;
  private day = 0;
  /** run() has produced the history (wall-clock mode continues it). */
  private ran = false;
  /** New holder accounts so far (SharedHost.nextHolder). */
  private newHolderCount = 0;
  private readonly emptyDays = new Set<number>();

  constructor(
    private readonly opts: SimulateOptions,
    private readonly compiled: CompiledContracts,
    hub: Hex,
    private readonly priceParts: PriceSimDeployment,
    economies: Economy[] = [],
  ) {
    this.days = opts.days ?? 90;
    this.startTime = opts.startTime;
    if (!Number.isInteger(this.days) || this.days < 1) throw new Error("days must be a positive integer");
    if (!Number.isInteger(this.startTime) || this.startTime % DAY !== 0)
      throw new Error(
        `startTime ${this.startTime} must be a unix time at 00:00:00 UTC (a multiple of 86400)`,
      );
    const seedTag = String(opts.seed);
    this.rng = rngFromSeed(opts.seed);
    const from = deployerAccount().address;
    this.rpc = new Rpc(opts.rpcUrl);
    this.miner = new BlockMiner(this.rpc, from);
    this.drafts = new BlockDrafts(
      { address: hub, abi: compiled.SimHub.abi as Abi },
      from,
      () => `${seedTag}:batching`,
    );
    const prices = opts.deployment.prices;
    if (!prices) throw new Error("the deployment has no prices: start a new chain (npm start -- --fresh)");
    this.priceBook = new PriceBook(prices.sources, prices.maxAgeSeconds);
    this.paths = new PricePaths(opts.seed, INITIAL_PRICES);
    this.logAbis = new Map<string, Abi>([
      [priceParts.EthUsdFeed.toLowerCase(), compiled.PriceFeed.abi as Abi],
      [priceParts.GrtUsdFeed.toLowerCase(), compiled.PriceFeed.abi as Abi],
      [priceParts.LptWethPool.toLowerCase(), UNISWAP_SWAP_ABI],
    ]);

    const mk = (tag: string): Address => `0x${keccak256(toHex(`${seedTag}:${tag}`)).slice(26)}` as Address;
    // the registered economies (contracts/src/protocols/<slug>/), each with a host view of this simulator; those
    // sharing the host's stream (Economy.batched) draw their actors from it here, in slug order
    this.hosts = new EconomyHosts(
      economies,
      {
        days: this.days,
        startTime: this.startTime,
        primary: true,
        rngSeed: seedTag,
        options: {
          operators: opts.operators ?? 5,
          stakers: opts.stakers ?? 30,
          payers: opts.payers ?? 10,
          ...(opts.horizonSwitchDay === undefined ? {} : { horizonSwitchDay: opts.horizonSwitchDay }),
        },
        now: () => this.now,
        day: () => this.day,
        block: () => this.miner.nextBlock,
        account: mk,
        compiled: (name) => this.contract(name),
        read: (to, abi, functionName, args) => this.rpc.read(to, abi, functionName, args),
        send: (from, to, abi, functionName, args, label) =>
          this.drafts.direct(from, to, abi, functionName, args, label),
        call: (_slug, to, abi, functionName, args, logs) =>
          this.drafts.call(LANE, to, abi, functionName, args, logs),
        beginAction: () => this.drafts.beginAction(LANE),
        closeTx: () => this.drafts.close(LANE),
        txCount: () => this.drafts.count,
        usd: (asset, amount) => this.priceBook.value(asset.toLowerCase(), amount, this.logTs),
        shared: {
          rng: this.rng,
          seedTag,
          account: mk,
          nextHolder: () => this.newHolderCount++,
          startPrices: (fund) => this.genesisPrices(fund),
        },
      },
      opts.deployment.protocols as Record<string, Record<string, ContractDeployment>>,
      opts.deployment.simulator?.protocols,
    );

    // days without blocks: never a day an economy needs (Economy.busyDays)
    const forced = new Set(this.hosts.busyDays(this.days));
    if (this.days >= 10 && !forced.has(5)) this.emptyDays.add(5);
    for (let d = 3; d < this.days; d++) if (!forced.has(d) && this.rng.next() < 0.04) this.emptyDays.add(d);
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
   * expected number of logs where known); applies every log to the prices and hands it to the economies, then
   * each economy's afterBlock (its settle steps, its stocks).
   */
  private async mine(ts: number): Promise<void> {
    await this.miner.mine(
      ts,
      this.drafts.txs(),
      (i, logs) => {
        const hostTx = this.drafts.isHostTx(i);
        for (const log of logs) {
          this.price(log, ts);
          this.logTs = ts;
          this.hosts.onLog(log, i, hostTx);
        }
      },
      () => this.drafts.reset(),
    );
    this.hosts.afterBlock(ts);
  }

  /** One log, in order, for the prices (docs/methodology.md, "Prices"): price updates set the book's prices. */
  private price(log: { address: Hex; topics: Hex[]; data: Hex }, ts: number): void {
    const abi = this.logAbis.get(log.address.toLowerCase());
    if (!abi) return;
    let d: { eventName?: unknown; args?: unknown };
    try {
      d = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: false });
    } catch {
      return; // an event of these contracts that no price or value depends on (the pool's Mint, ...)
    }
    const a = (d.args ?? {}) as Record<string, unknown>;
    switch (d.eventName as unknown as string) {
      case "AnswerUpdated":
        this.priceBook.answer(log.address, a.current as bigint, ts);
        break;
      case "Swap":
        this.priceBook.swap(log.address, a.sqrtPriceX96 as bigint, ts);
        break;
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Run

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
        if (this.opts.onProgress && ((d + 1) % 7 === 0 || d === this.days - 1)) {
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
   * Wall-clock mode: after run(), one block every intervalMs at the current time (contracts/src/chain/realtime.ts)
   * until the signal aborts, continuing the history's economies: the price sources' answers in the first block and
   * every PRICE_EVERY blocks, then every registered economy's live activity (Economy.realtime). Every receipt is
   * checked as in the history; the ledgers keep booking (stocks()), but the ground truth covers the simulated days
   * only.
   */
  async realtime(opts: RealtimeOptions = {}): Promise<void> {
    if (!this.ran)
      throw new Error(
        "wall-clock mode continues a history: call run() first (the economies' stakes, allocations and channels come from it)",
      );
    // the price paths' steps sized for an answer every PRICE_EVERY blocks
    const perDay = Math.max(
      1,
      Math.round((DAY * 1000) / ((opts.intervalMs ?? DEFAULT_INTERVAL_MS) * PRICE_EVERY)),
    );
    await wallClockBlocks(this.miner, opts, async (ts, n) => {
      this.day = Math.max(0, Math.floor((ts - this.startTime) / DAY));
      this.now = ts;
      // first, as a feed's heartbeat would: after a pause the block's values have prices younger than maxAgeSeconds
      if (n % PRICE_EVERY === 0) {
        this.transmit("eth", perDay);
        this.transmit("grt", perDay);
        this.swapPool(perDay);
      }
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

  // -------------------------------------------------------------------------------------------------
  // A simulated day

  private async simulateDay(d: number): Promise<void> {
    if (this.emptyDays.has(d)) return;
    const times = blockTimes(this.rng, this.startTime, d);
    const nb = times.length;
    const plan = new DayPlan();
    const push = plan.push;

    // the economies that share the host's stream plan first (Economy.batched)
    this.hosts.planBatched(d, nb, push);

    // Prices: 2 to 6 answers of each feed and swaps of the Uniswap pool a day, at blocks drawn by the price stream
    const u = this.paths.updatesToday();
    // the first of each in the day's first block, before any fee, reward or burn (as a feed's heartbeat would):
    // after a day without blocks the day's values still have prices younger than maxAgeSeconds
    const priceBlock = (i: number) => (i === 0 ? 0 : this.paths.block(nb));
    for (let i = 0; i < u.eth; i++) push(priceBlock(i), 1, () => this.transmit("eth", u.eth));
    for (let i = 0; i < u.grt; i++) push(priceBlock(i), 1, () => this.transmit("grt", u.grt));
    for (let i = 0; i < u.lpt; i++) push(priceBlock(i), 1, () => this.swapPool(u.lpt));

    // every other registered economy's actions: each in transactions of its own (no SimHub batching)
    this.hosts.plan(d, nb, push, (run) => async () => {
      this.drafts.closeAll();
      await run();
      this.drafts.closeAll();
    });

    await plan.run(times, {
      at: (ts) => {
        this.now = ts;
      },
      beforeAction: () => this.drafts.beginAction(LANE),
      mine: (ts) => this.mine(ts),
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Prices (contracts/src/prices.ts): Chainlink-style answers and swaps of the real Uniswap v3 pool

  /** An answer of the ETH/USD or GRT/USD feed: the next step of its path (NewRound, AnswerUpdated). */
  private transmit(feed: "eth" | "grt", updatesToday: number): void {
    const answer = feed === "eth" ? this.paths.nextEthUsd(updatesToday) : this.paths.nextGrtUsd(updatesToday);
    const target = feed === "eth" ? this.priceParts.EthUsdFeed : this.priceParts.GrtUsdFeed;
    this.drafts.call(LANE, target as Hex, this.compiled.PriceFeed.abi as Abi, "transmit", [answer], 2);
  }

  /**
   * The pool driver swaps the pool to the next price of its path, in a transaction of its own: the tokens it moves
   * are the pool's math, so the ledger of the economy whose token it is takes them from the receipt (hostTx).
   */
  private swapPool(updatesToday: number): void {
    const price = this.paths.nextLptEth(updatesToday);
    this.poolCall("swapToPrice", [
      this.priceParts.LptWethPool,
      sqrtPriceX96(price, this.priceParts.lptIsToken0),
    ]);
  }

  private poolCall(functionName: string, args: unknown[]): void {
    this.drafts.hostCall(
      LANE,
      this.priceParts.PoolDriver,
      this.compiled.PoolDriver.abi as Abi,
      functionName,
      args,
    );
  }

  /**
   * The first prices and the pool's liquidity (SharedHost.startPrices, called by the economy whose token the pool
   * trades): ETH/USD and GRT/USD answers; the driver gets its side of the pool from `fund` (2 M of the token) and
   * 20,000 WETH, and adds full-range liquidity (≈300,000 of the token and ≈1,200 WETH at 0.004 ETH).
   */
  private genesisPrices(fund: (driver: Address) => void): void {
    const feed = this.compiled.PriceFeed.abi as Abi;
    this.drafts.call(LANE, this.priceParts.EthUsdFeed, feed, "transmit", [this.paths.ethUsd], 2);
    this.drafts.call(LANE, this.priceParts.GrtUsdFeed, feed, "transmit", [this.paths.grtUsd], 2);
    const driver = this.priceParts.PoolDriver.toLowerCase();
    fund(driver as Address);
    this.drafts.call(
      LANE,
      this.priceParts.WETH,
      this.compiled.WETH.abi as Abi,
      "mint",
      [driver, tokens(20_000)],
      1,
    );
    this.poolCall("addLiquidity", [
      this.priceParts.LptWethPool,
      -887220,
      887220,
      19_000_000_000_000_000_000_000n,
    ]);
  }

  // -------------------------------------------------------------------------------------------------
  // Ground truth

  groundTruth(): GroundTruth {
    const truths = this.hosts.truths();
    const switchTime = truths.map(([, t]) => t.milestones?.horizonSwitch).find((v) => v !== undefined);
    return {
      seed: this.opts.seed,
      days: this.days,
      startTime: this.startTime,
      endTime: this.startTime + this.days * DAY,
      horizonSwitchTime: switchTime ?? null,
      events: this.events,
      blocks: this.blocks,
      protocols: Object.fromEntries(
        truths.map(([slug, t]) => [
          slug,
          protocolTruth(t.ledger, t.token, t.feeAsset, this.startTime, this.days),
        ]),
      ) as GroundTruth["protocols"],
      prices: this.priceBook.truth(),
    };
  }
}

export const formatTokens = (v: bigint) => `${(v / E18).toLocaleString("en-US")}`;
