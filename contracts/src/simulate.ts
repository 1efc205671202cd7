import { writeFile } from "node:fs/promises";
import {
  type Abi,
  type Address,
  decodeEventLog,
  encodeFunctionData,
  type Hex,
  keccak256,
  maxUint256,
  parseAbi,
  toHex,
} from "viem";
import { blockTimes } from "./chain/blocks.js";
import { EconomyHosts } from "./chain/economies.js";
import { BlockMiner, type DraftTx } from "./chain/miner.js";
import { DayPlan } from "./chain/plan.js";
import { DEFAULT_INTERVAL_MS, type RealtimeOptions, wallClockBlocks } from "./chain/realtime.js";
import { type ProtocolTruth, protocolTruth } from "./chain/truth.js";
import { type CompiledContracts, type ContractName, compileContracts } from "./compile.js";
import {
  type ContractDeployment,
  type Deployment,
  deployerAccount,
  INITIAL_PRICES,
  type PriceSimDeployment,
  simulatorParts,
  sqrtPriceX96,
} from "./deploy.js";
import { DAY, HOUR, isoDate, ProtocolLedger, ZERO } from "./ledger.js";
import { PriceBook, PricePaths, type PriceTruth } from "./prices.js";
import { loadEconomies } from "./protocols/index.js";
import type { Economy } from "./protocols/types.js";
import { type Rng, rngFromSeed } from "./rng.js";
import { Rpc } from "./rpc.js";
import { allocationKey, allocationProof } from "./thegraph/actions.js";
import { GraphContext, type GraphEvent } from "./thegraph/simctx.js";

// ---------------------------------------------------------------------------------------------------
// Public types

export type {
  ActivityRow,
  DayRow,
  FlowRow,
  HourRow,
  ProtocolTruth,
} from "./chain/truth.js";

import { drawTransfers } from "./chain/transfers.js";

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
  /** Operators per batched economy (SimHost.shared) and indexers (The Graph), default 5 each. */
  operators?: number;
  /** Delegators per protocol, default 30. */
  stakers?: number;
  /** Payers per batched economy (default 10); The Graph gateways = max(2, ceil(payers / 3)). */
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
  /** Per protocol slug: The Graph (this file) and every registered economy (protocols/<slug>/). */
  protocols: { thegraph: ProtocolTruth } & Record<string, ProtocolTruth>;
  /** USD prices per asset (PriceStats: close, low, high, observations per hour and day with observations). */
  prices: PriceTruth;
}

// ---------------------------------------------------------------------------------------------------
// Constants of the simulated economy

const E18 = 10n ** 18n;
/** tokens(1.5) = 1.5e18 */
const tokens = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
const GRAPH_THAW_DAYS = 3;
/** Wall-clock mode: the price sources answer in the first live block and every PRICE_EVERY blocks after it. */
const PRICE_EVERY = 20;
// The Graph on Arbitrum One, parts per million (graphprotocol/contracts packages/contracts/config/
// graph.arbitrum-one.yml; packages/horizon/ignition/configs/protocol.default.json5 protocolPaymentCut)
const PPM = 1_000_000n;
const GRAPH_CURATION_PERCENTAGE = 100_000n; // legacy Staking curation fees; the SubgraphService's curation cut
const GRAPH_PROTOCOL_PAYMENT_CUT = 10_000n; // GraphPayments
/** Horizon GraphPayments.PaymentTypes */
const QUERY_FEE = 0;
const INDEXING_FEE = 1;
const INDEXING_REWARDS = 2;
/** PPMMath.mulPPM (rounds down) and mulPPMRoundUp. */
const mulPPM = (a: bigint, ppm: bigint) => (a * ppm) / PPM;
const mulPPMRoundUp = (a: bigint, ppm: bigint) => a - mulPPM(a, PPM - ppm);

type Addr = string;

const ZERO_BYTES32 = `0x${"00".repeat(32)}` as Hex;
const lc = (v: unknown): string => String(v).toLowerCase();
/** Sum of one event's `field` over an action's logs (optionally only where `where` holds). */
const sumOf = (ev: GraphEvent[], name: string, field: string, where?: (e: GraphEvent) => boolean): bigint => {
  let s = 0n;
  for (const e of ev) if (e.event === name && (!where || where(e))) s += e.args[field] as bigint;
  return s;
};
/** The Uniswap v3 pool's Swap event (npm @uniswap/v3-core IUniswapV3PoolEvents). */
const UNISWAP_SWAP_ABI = parseAbi([
  "event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)",
]);
/** Events of The Graph's contracts the subgraph handles (subgraph/scripts/datasources.ts): their hours have rows. */
const GRAPH_HANDLED = new Set([
  "StakeDeposited",
  "StakeWithdrawn",
  "StakeDelegated",
  "StakeDelegatedWithdrawn",
  "StakeSlashed",
  "RebateCollected",
  "DelegationParametersUpdated",
  "HorizonStakeDeposited",
  "HorizonStakeWithdrawn",
  "TokensDelegated",
  "DelegatedTokensWithdrawn",
  "ThawRequestsFulfilled",
  "ProvisionSlashed",
  "VerifierTokensSent",
  "DelegationSlashed",
  "TokensToDelegationPoolAdded",
  "DelegationFeeCutSet",
  "GraphPaymentCollected",
]);

interface GrDelegator {
  addr: Addr;
  indexer: Addr | null;
  /** Principal in the pool (legacy: after the delegation tax). */
  delegated: bigint;
  /** legacy: undelegated before Horizon, so withdrawn with the legacy function (StakeDelegatedWithdrawn). */
  thawing: {
    indexer: Addr;
    tokens: bigint;
    readyDay: number;
    legacy: boolean;
    /** Horizon: the thaw request's thawingUntil (seconds). */
    until: bigint;
    /** Legacy: the epoch from which withdrawDelegated may be called (StakeDelegatedLocked.until). */
    untilEpoch: bigint;
  } | null;
  /** Horizon thaw requests created so far (the thaw request id's nonce). */
  thawNonce: number;
  joinDay: number;
}

interface Indexer {
  addr: Addr;
  /** Its subgraph deployment: it always has one allocation there, and curators signal on it. */
  deployment: Hex;
  /** The open allocation (null between a close and the next allocation). */
  allocation: Addr | null;
  allocatedDay: number;
  allocatedEpoch: bigint;
  allocationCount: number;
  /** Legacy stake locked by unstake, withdrawable from untilBlock. */
  locked: { tokens: bigint; untilBlock: number } | null;
  /** The open allocation was opened before the Horizon switch: closed by the legacy rules even after it. */
  legacyAllocation: boolean;
  /** Legacy delegation parameters: the indexer's shares (ppm). */
  indexingRewardCut: bigint;
  queryFeeCut: bigint;
  /** Horizon delegation fee cuts per payment type: the delegators' shares (ppm). */
  feeCut: [bigint, bigint, bigint];
  /** Rewards destination (legacy) / payments destination (SubgraphService): paid out instead of restaked. */
  destination: Addr | null;
}

/** A SimHub transaction (the emitters' calls, several actions in one), or one account's own transaction. */
interface TxDraft {
  targets: Hex[];
  datas: Hex[];
  /** Logs expected from the calls (null: not counted in advance, e.g. real-token calls). */
  logs: number | null;
  actions: number;
  cap: number;
  /** Set for an account's own transaction (sent from it, impersonated). */
  direct?: { from: Addr; to: Hex; data: Hex; label: string };
  /** The host's own transaction (the pool's liquidity and swaps): its token movements are the pool's math. */
  hostTx?: boolean;
}

// ---------------------------------------------------------------------------------------------------

/**
 * The economies this file still holds itself (the rest are modules: contracts/src/protocols/<slug>/). Moving them
 * out is the next step of docs/adding-a-protocol.md's layout; tests/protocols.test.ts accepts them until then.
 */
export const BUILT_IN_ECONOMIES: readonly string[] = ["thegraph"];

/** Runs the simulation; resolves with the ground truth computed from the simulator's own ledger. */
export async function simulate(opts: SimulateOptions): Promise<GroundTruth> {
  const sim = await createSimulator(opts);
  return sim.run();
}

export async function createSimulator(opts: SimulateOptions): Promise<Simulator> {
  const compiled = await compileContracts();
  const parts = simulatorParts(opts.deployment);
  const graph = new GraphContext(opts.deployment, parts.graph, compiled, new Rpc(opts.rpcUrl));
  await graph.init();
  const economies = await loadEconomies();
  return new Simulator(opts, compiled, parts.SimHub.address as Hex, graph, parts.prices, economies);
}

export async function writeGroundTruth(path: string, gt: GroundTruth): Promise<void> {
  await writeFile(path, `${JSON.stringify(gt, null, 2)}\n`);
}

export class Simulator {
  readonly days: number;
  readonly startTime: number;
  readonly horizonSwitchDay: number;
  private readonly rng: Rng;
  /** How many actions share a SimHub transaction: its own stream, so batching never changes the economy's draws. */
  private readonly batchRng: Rng;
  /** Sends, mines and checks the blocks (contracts/src/chain/miner.ts). */
  private readonly miner: BlockMiner;
  private readonly from: Hex;
  private readonly addr: Record<ContractName, Hex>;
  readonly gr: ProtocolLedger;
  /** The registered economies on this chain (contracts/src/chain/economies.ts). */
  private readonly hosts: EconomyHosts;
  private tx: TxDraft | null = null;
  /** The transactions of the block being drafted, in order. */
  private planned: TxDraft[] = [];
  /** Settle steps of this block's The Graph actions: their transactions are planned[from..to). */
  private settles: { from: number; to: number; settle: (ev: GraphEvent[]) => void }[] = [];
  /** GRT moves drafted in this block, not yet in the ledger (grBal). */
  private grPlanned = new Map<Addr, bigint>();
  private readonly approved = new Set<string>();
  /** The methodology's prices, applied to every receipt in log order (ground truth of USD values and prices). */
  private readonly priceBook: PriceBook;
  private readonly paths: PricePaths;
  /** ABIs of the non-The Graph logs the price book reads, by emitting address. */
  private readonly logAbis: Map<string, Abi>;
  /** Kinds of redelegation done so far ("legacy", "horizon"): the first chance of each is taken. */
  private readonly redelegated = new Set<string>();
  /** Timestamp of the block being drafted (SimHost.now). */
  private now = 0;
  /** Timestamp of the block whose logs are being applied (SimHost.usd). */
  private logTs = 0;
  private day = 0;
  private initialized = false;

  // actors
  private readonly indexers: Indexer[];
  private readonly grDelegators: GrDelegator[];
  private readonly gateways: { addr: Addr; weight: number; joinDay: number }[];
  private readonly curators: Addr[];
  /** The legacy asset holder (the AllocationExchange that redeems gateway vouchers into Staking.collect). */
  private readonly allocationExchange: Addr;
  /** Horizon collectors: GraphTallyCollector (query fees) and RecurringCollector (indexing fees). */
  private readonly tallyCollector: Addr;
  private readonly recurringCollector: Addr;
  /** PaymentsEscrow balances per payer, collector and receiver. */
  private readonly escrow = new Map<string, bigint>();
  private readonly fisherman: Addr;
  private readonly grHolders: Addr[];
  private readonly grExchange: Addr;
  /** New holder accounts so far (both ledgers' transfers; SharedHost.nextHolder). */
  private newHolderCount = 0;

  // schedule
  private readonly grSlashDay: number;
  private readonly hzSlashDay: number;
  private readonly emptyDays = new Set<number>();

  constructor(
    private readonly opts: SimulateOptions,
    private readonly compiled: CompiledContracts,
    private readonly hub: Hex,
    private readonly graph: GraphContext,
    private readonly priceParts: PriceSimDeployment,
    private readonly economies: Economy[] = [],
  ) {
    this.days = opts.days ?? 90;
    this.startTime = opts.startTime;
    this.horizonSwitchDay = opts.horizonSwitchDay ?? Math.floor((this.days * 2) / 3);
    if (!Number.isInteger(this.days) || this.days < 1) throw new Error("days must be a positive integer");
    if (!Number.isInteger(this.startTime) || this.startTime % DAY !== 0)
      throw new Error(
        `startTime ${this.startTime} must be a unix time at 00:00:00 UTC (a multiple of 86400)`,
      );
    this.rng = rngFromSeed(opts.seed);
    this.batchRng = rngFromSeed(`${String(opts.seed)}:batching`);
    this.from = deployerAccount().address;
    this.miner = new BlockMiner(new Rpc(opts.rpcUrl), this.from);
    const p = opts.deployment.protocols;
    this.addr = {
      GraphHorizonStaking: p.thegraph.GraphStaking.address,
      GraphPayments: p.thegraph.GraphPayments.address,
      PaymentsEscrow: (opts.deployment.simulator?.PaymentsEscrow?.address ?? ZERO) as Hex,
      SubgraphService: (opts.deployment.simulator?.graph?.SubgraphService ?? ZERO) as Hex,
      PriceFeed: priceParts.EthUsdFeed,
      WETH: priceParts.WETH,
      PoolDriver: priceParts.PoolDriver,
      SimHub: hub,
    };
    const prices = opts.deployment.prices;
    if (!prices) throw new Error("the deployment has no prices: start a new chain (npm start -- --fresh)");
    this.priceBook = new PriceBook(prices.sources, prices.maxAgeSeconds);
    this.paths = new PricePaths(opts.seed, INITIAL_PRICES);
    this.logAbis = new Map<string, Abi>([
      [priceParts.EthUsdFeed.toLowerCase(), this.compiled.PriceFeed.abi as Abi],
      [priceParts.GrtUsdFeed.toLowerCase(), this.compiled.PriceFeed.abi as Abi],
      [priceParts.LptWethPool.toLowerCase(), UNISWAP_SWAP_ABI],
    ]);
    this.gr = new ProtocolLedger(graph.grt);

    const nOps = opts.operators ?? 5;
    const nStakers = opts.stakers ?? 30;
    const nPayers = opts.payers ?? 10;
    const days = this.days;
    const r = this.rng;
    const seedTag = String(opts.seed);
    const mk = (tag: string): Addr => `0x${keccak256(toHex(`${seedTag}:${tag}`)).slice(26)}`;
    const joinDay = (i: number, early: number) =>
      i < early ? 0 : r.int(1, Math.max(1, Math.floor(days * 0.8)));

    // the registered economies (contracts/src/protocols/<slug>/), each with a host view of this simulator; those
    // sharing the host's SimHub transactions and stream (Economy.batched) draw their actors from it here, first
    this.hosts = new EconomyHosts(
      this.economies,
      {
        days: this.days,
        startTime: this.startTime,
        primary: true,
        rngSeed: seedTag,
        now: () => this.now,
        day: () => this.day,
        account: (tag) => mk(tag) as Address,
        send: (from, to, abi, functionName, args, label) =>
          this.direct(from, to, abi, functionName, args, label),
        usd: (asset, amount) => this.priceBook.value(asset.toLowerCase(), amount, this.logTs),
        shared: {
          rng: this.rng,
          actors: { operators: nOps, stakers: nStakers, payers: nPayers },
          account: (tag) => mk(tag) as Address,
          nextHolder: () => this.newHolderCount++,
          beginAction: () => this.beginAction(),
          call: (to, abi, functionName, args, logs) => this.callTo(to, abi, functionName, args, logs),
          startPrices: (fund) => this.genesisPrices(fund),
        },
      },
      opts.deployment.protocols as Record<string, Record<string, ContractDeployment>>,
      opts.deployment.simulator?.protocols,
    );

    this.indexers = Array.from({ length: nOps }, (_, i) => ({
      addr: mk(`graph-indexer-${i}`),
      deployment: keccak256(toHex(`${seedTag}:deployment-${i}`)),
      allocation: null,
      allocatedDay: 0,
      allocatedEpoch: 0n,
      allocationCount: 0,
      locked: null,
      legacyAllocation: true,
      indexingRewardCut: 0n,
      queryFeeCut: 0n,
      feeCut: [0n, 0n, 0n],
      // one indexer has its rewards and fees paid to another address instead of restaked
      destination: i === 1 ? mk(`graph-indexer-${i}-destination`) : null,
    }));
    this.grDelegators = Array.from({ length: nStakers }, (_, i) => ({
      addr: mk(`graph-delegator-${i}`),
      indexer: null,
      delegated: 0n,
      thawing: null,
      thawNonce: 0,
      joinDay: joinDay(i, Math.ceil(nStakers * 0.4)),
    }));
    const nGateways = Math.max(2, Math.ceil(nPayers / 3));
    this.gateways = Array.from({ length: nGateways }, (_, i) => ({
      addr: mk(`graph-gateway-${i}`),
      weight: Math.min(20, r.pareto(1, 1.2)),
      joinDay: i < 2 ? 0 : r.int(1, Math.max(1, Math.floor(days * 0.7))),
    }));
    this.curators = Array.from({ length: 6 }, (_, i) => mk(`graph-curator-${i}`));
    this.allocationExchange = mk("graph-allocation-exchange");
    this.tallyCollector = mk("graph-tally-collector");
    this.recurringCollector = mk("graph-recurring-collector");
    this.fisherman = mk("graph-fisherman");
    this.grHolders = Array.from({ length: 15 }, (_, i) => mk(`graph-holder-${i}`));
    this.grExchange = mk("graph-exchange");

    // schedule of the forced events
    const sw = this.horizonSwitchDay;
    this.grSlashDay = Math.min(days - 1, Math.max(3, Math.floor(Math.min(sw, days) * 0.6)));
    this.hzSlashDay = sw < days ? Math.min(days - 1, sw + Math.floor((days - sw) / 2)) : -1;
    // the day before the switch has blocks: the allocations the switch closes are an epoch old (grHorizonSwitch)
    const forced = new Set([0, 1, 2, this.grSlashDay, this.hzSlashDay, sw, sw - 1]);
    for (const d of this.hosts.busyDays(days)) forced.add(d);
    if (days >= 10 && !forced.has(5)) this.emptyDays.add(5);
    for (let d = 3; d < days; d++) if (!forced.has(d) && r.next() < 0.04) this.emptyDays.add(d);
  }

  /** Events (logs) and blocks mined so far. */
  get events(): number {
    return this.miner.events;
  }
  get blocks(): number {
    return this.miner.blocks;
  }
  private get nextBlock(): number {
    return this.miner.nextBlock;
  }
  private get lastTs(): number {
    return this.miner.lastTs;
  }

  private a(name: ContractName): Addr {
    return this.addr[name].toLowerCase();
  }

  // -------------------------------------------------------------------------------------------------
  // Transactions

  /** Appends a call of an emitter contract to the current SimHub transaction (logs: expected count, or null). */
  private call(
    name: ContractName,
    functionName: string,
    args: unknown[],
    logs: number | null,
    target?: Hex,
  ): void {
    this.callTo(target ?? this.addr[name], this.compiled[name].abi as Abi, functionName, args, logs);
  }

  /** Appends a call to the current SimHub transaction (SharedHost.call). */
  private callTo(to: Hex, abi: Abi, functionName: string, args: unknown[], logs: number | null): void {
    if (!this.tx || this.tx.direct) this.openHubTx();
    const tx = this.tx as TxDraft;
    const data = encodeFunctionData({ abi, functionName, args });
    tx.targets.push(to);
    tx.datas.push(data);
    tx.logs = tx.logs === null || logs === null ? null : tx.logs + logs;
  }

  private openHubTx(): void {
    this.tx = { targets: [], datas: [], logs: 0, actions: 1, cap: this.batchRng.int(1, 5) };
    this.planned.push(this.tx);
  }

  /** An account's own transaction (impersonated on anvil), after everything drafted so far in the block. */
  private direct(
    from: Addr,
    to: Hex | string,
    abi: Abi,
    functionName: string,
    args: unknown[],
    label: string,
  ): void {
    const data = encodeFunctionData({ abi, functionName, args });
    this.planned.push({
      targets: [],
      datas: [],
      logs: null,
      actions: 1,
      cap: 1,
      direct: { from: from.toLowerCase(), to: to as Hex, data, label },
    });
    this.tx = null;
  }

  /** Starts an action: a new SimHub transaction when the current one has enough actions. */
  private beginAction(): void {
    if (!this.tx || this.tx.direct || this.tx.actions >= this.tx.cap) {
      this.openHubTx();
      return;
    }
    this.tx.actions++;
  }

  /**
   * Sends the block's transactions in their drafted order and mines them in one block at `ts`
   * (contracts/src/chain/miner.ts checks every receipt: mined in this block at its position, successful, the
   * expected number of logs where known); applies the The Graph logs to the ledger, hands every log to the
   * economies, runs the actions' settle steps, and records the block's stocks.
   */
  private async mine(ts: number): Promise<void> {
    const txs: DraftTx[] = this.planned.map((t) => ({
      from: t.direct ? t.direct.from : this.from.toLowerCase(),
      to: t.direct ? t.direct.to : this.hub,
      data: t.direct
        ? t.direct.data
        : encodeFunctionData({
            abi: this.compiled.SimHub.abi as Abi,
            functionName: "exec",
            args: [t.targets, t.datas],
          }),
      what: t.direct ? `${t.direct.label} from ${t.direct.from}` : "SimHub.exec",
      logs: t.logs,
    }));
    const decoded: GraphEvent[][] = [];
    await this.miner.mine(
      ts,
      txs,
      (i, logs) => {
        const t = this.planned[i] as TxDraft;
        const ev: GraphEvent[] = [];
        for (const log of logs) {
          const e = this.graph.decode(log);
          if (e) ev.push(e);
          this.price(log, e, ts);
          this.logTs = ts;
          this.hosts.onLog(log, i, t.hostTx === true);
        }
        decoded.push(ev);
        this.applyGraphLogs(ev);
      },
      () => {
        for (const st of this.settles) st.settle(decoded.slice(st.from, st.to).flat());
        this.planned = [];
        this.settles = [];
        this.grPlanned.clear();
        this.tx = null;
      },
    );
    this.hosts.afterBlock(ts);
    this.gr.snapshot(ts);
  }

  /**
   * One log, in order, for the prices and USD values (docs/methodology.md, "Prices"): price updates set the
   * book's prices; The Graph's fees, emission and burns are valued with the prices set before them (the
   * economies value theirs in onLog, SimHost.usd).
   */
  private price(log: { address: Hex; topics: Hex[]; data: Hex }, g: GraphEvent | null, ts: number): void {
    const book = this.priceBook;
    const fee = (l: ProtocolLedger, asset: string, tokens: bigint, tax: bigint) => {
      const usd = book.value(asset, tokens, ts);
      const taxUsd = book.value(asset, tax, ts);
      if (usd === null || taxUsd === null) l.f.feesUnpriced += tokens;
      else {
        l.f.feesUsd += usd;
        l.f.protocolTaxUsd += taxUsd;
      }
    };
    const emission = (l: ProtocolLedger, amount: bigint) => {
      const usd = book.value(l.token, amount, ts);
      if (usd === null) l.f.grossEmissionUnpriced += amount;
      else l.f.grossEmissionUsd += usd;
    };
    const burn = (l: ProtocolLedger, to: string, amount: bigint) => {
      if (to !== ZERO && to !== "0x000000000000000000000000000000000000dead") return;
      const usd = book.value(l.token, amount, ts);
      if (usd === null) l.f.burnedUnpriced += amount;
      else l.f.burnedUsd += usd;
    };
    if (g) {
      const a = g.args;
      if (g.contract === "L2GraphToken" && g.event === "Transfer") burn(this.gr, lc(a.to), a.value as bigint);
      else if (g.event === "RewardsAssigned" || g.event === "HorizonRewardsAssigned")
        emission(this.gr, a.amount as bigint);
      else if (g.event === "RebateCollected")
        fee(this.gr, this.gr.token, a.tokens as bigint, a.protocolTax as bigint);
      else if (g.event === "GraphPaymentCollected" && (a.paymentType === 0n || a.paymentType === 1n))
        fee(this.gr, this.gr.token, a.tokens as bigint, a.tokensProtocol as bigint);
      return;
    }
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
        book.answer(log.address, a.current as bigint, ts);
        break;
      case "Swap":
        book.swap(log.address, a.sqrtPriceX96 as bigint, ts);
        break;
    }
  }

  /**
   * The context-free part of The Graph's ledger, from a transaction's decoded logs: every GRT Transfer
   * (supply, balances, holders, mints, burns, transfer volume), bridge burns, curation tax, indexing rewards;
   * and the hours with an event the subgraph handles. The rest is each action's (draft or settle step).
   */
  private applyGraphLogs(ev: GraphEvent[]): void {
    const l = this.gr;
    for (const e of ev) {
      const a = e.args;
      if (e.contract === "L2GraphToken" && e.event === "Transfer")
        l.transfer(lc(a.from), lc(a.to), a.value as bigint);
      else if (e.event === "BridgeBurned") l.f.burnedBridge += a.amount as bigint;
      else if (e.event === "Signalled") l.f.burnedCurationTax += a.curationTax as bigint;
      else if (e.event === "RewardsAssigned" || e.event === "HorizonRewardsAssigned")
        l.f.grossEmission += a.amount as bigint;
      else if (GRAPH_HANDLED.has(e.event)) l.touch();
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Run

  async run(): Promise<GroundTruth> {
    const t0 = Date.now();
    await this.miner.prepare();
    if (this.lastTs >= this.startTime)
      throw new Error(
        `startTime ${this.startTime} (${new Date(this.startTime * 1000).toISOString()}) is not after the chain's ` +
          `latest block timestamp ${this.lastTs} (${new Date(this.lastTs * 1000).toISOString()}): ` +
          "choose a later --start or restart anvil with an earlier --timestamp",
      );
    try {
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
              `${this.events} events, GRT supply ${fmt(this.gr.supply)}` +
              this.hosts.progress(),
          });
        }
      }
      // one empty block in the next day so graph-node closes the last hourly and daily buckets
      await this.mine(this.startTime + this.days * DAY + HOUR);
    } finally {
      await this.miner.restore();
    }
    return this.groundTruth();
  }

  /**
   * Wall-clock mode: after run(), one block every intervalMs at the current time (contracts/src/chain/realtime.ts)
   * until the signal aborts, continuing the history's economies: the price sources' answers in the first block and
   * every PRICE_EVERY blocks, every registered economy's live activity (Economy.realtime), The Graph's transfers
   * and a query fee. Every receipt is checked as in the history; the ledgers keep booking (stocks()), but the
   * ground truth covers the simulated days only.
   */
  async realtime(opts: RealtimeOptions = {}): Promise<void> {
    if (!this.initialized)
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
      this.at(ts);
      // first, as a feed's heartbeat would: after a pause the block's values have prices younger than maxAgeSeconds
      if (n % PRICE_EVERY === 0) {
        this.transmit("eth", perDay);
        this.transmit("grt", perDay);
        this.swapPool(perDay);
      }
      await this.hosts.realtime(n);
      await this.graphAction(() => this.randomTransfers(2));
      const gw = this.rng.pick(this.gateways).addr;
      await (this.gr.horizonActive ? this.grPayment(0, gw) : this.grRebate(gw));
      await this.mine(ts);
    });
  }

  /** Each protocol's ledger stocks after the last mined block (history or live), with its token. */
  stocks(): Record<string, { token: string; supply: bigint; staked: bigint }> {
    const out: Record<string, { token: string; supply: bigint; staked: bigint }> = {};
    for (const [slug, t] of this.hosts.truths())
      out[slug] = { token: t.token.address, supply: t.ledger.supply, staked: t.ledger.staked };
    out.thegraph = { token: this.gr.token, supply: this.gr.supply, staked: this.gr.staked };
    return out;
  }

  private at(ts: number): void {
    this.now = ts;
    this.gr.now = ts;
  }

  // -------------------------------------------------------------------------------------------------
  // A simulated day

  private async simulateDay(d: number): Promise<void> {
    if (this.emptyDays.has(d)) return;
    const times = blockTimes(this.rng, this.startTime, d);
    const nb = times.length;
    const plan = new DayPlan();
    const r = this.rng;
    const push = plan.push;
    const anyBlock = () => r.int(0, nb - 1);

    // the economies that share the host's SimHub transactions and stream plan first (Economy.batched)
    this.hosts.planBatched(d, nb, push);
    if (d === 0) push(0, 0, () => this.genesis());
    if (d === this.horizonSwitchDay) push(0, 0, () => this.grHorizonSwitch());

    // Prices: 2 to 6 answers of each feed and swaps of the Uniswap pool a day, at blocks drawn by the price stream
    const u = this.paths.updatesToday();
    // the first of each in the day's first block, before any fee, reward or burn (as a feed's heartbeat would):
    // after a day without blocks the day's values still have prices younger than maxAgeSeconds
    const priceBlock = (i: number) => (i === 0 ? 0 : this.paths.block(nb));
    for (let i = 0; i < u.eth; i++) push(priceBlock(i), 1, () => this.transmit("eth", u.eth));
    for (let i = 0; i < u.grt; i++) push(priceBlock(i), 1, () => this.transmit("grt", u.grt));
    for (let i = 0; i < u.lpt; i++) push(priceBlock(i), 1, () => this.swapPool(u.lpt));

    // The Graph
    const horizon = d >= this.horizonSwitchDay;
    for (const ix of this.indexers) {
      const daysOpen = d - ix.allocatedDay;
      const slashDay = (d === this.grSlashDay || d === this.hzSlashDay) && ix === this.indexers[0];
      // no legacy close the day before the switch: the switch closes every legacy allocation an epoch later
      const beforeSwitch = d === this.horizonSwitchDay - 1;
      if (slashDay || (daysOpen >= 1 && !beforeSwitch && r.next() < 0.45)) {
        const b = slashDay ? 0 : anyBlock();
        if (!beforeSwitch) push(b, 2, () => this.grCloseAllocation(ix));
        if (slashDay)
          push(b, 3, () => (horizon ? this.grHorizonSlash(ix.addr) : this.grLegacySlash(ix.addr)));
      }
      if (r.next() < 0.05 || (ix.locked && r.next() < 0.5))
        push(anyBlock(), 4, () => this.grIndexerStake(ix, horizon));
    }
    for (const del of this.grDelegators) {
      if (d >= del.joinDay && (d === del.joinDay || r.next() < (del.thawing ? 0.5 : 0.15)))
        push(anyBlock(), 4, () => this.grDelegatorDay(del, d === del.joinDay));
    }
    for (const g of this.gateways) {
      if (d < g.joinDay) continue;
      let n = 0;
      if (r.next() < Math.min(0.95, 0.4 + 0.1 * g.weight)) n = 1 + Math.floor(r.next() * 4 * g.weight);
      if (g === this.gateways[0] && d <= 2) n = Math.max(n, d === 1 ? 2 : 1);
      for (let i = 0; i < n; i++)
        push(anyBlock(), 6, () => (horizon ? this.grPayment(0, g.addr) : this.grRebate(g.addr)));
      const forcedType1 = d === this.horizonSwitchDay && g === this.gateways[0];
      if (horizon && (forcedType1 || r.next() < 0.15)) push(anyBlock(), 6, () => this.grPayment(1, g.addr));
    }
    for (const c of this.curators) if (r.next() < 0.12) push(anyBlock(), 7, () => this.grSignal(c));
    if (d === 1 || r.next() < 0.08) push(anyBlock(), 7, () => this.grBridgeMint());
    if (d === 2 || r.next() < 0.06) push(anyBlock(), 7, () => this.grBridgeBurn());
    const nGrTransfers = r.int(2, 10);
    for (let i = 0; i < nGrTransfers; i++)
      push(anyBlock(), 8, () => this.graphAction(() => this.randomTransfers(r.int(1, 4))));
    if (d === 1) push(anyBlock(), 8, () => this.graphAction(() => this.zeroTransfer()));

    // every other registered economy's actions: each in transactions of its own (no SimHub batching)
    this.hosts.plan(d, nb, push, (run) => async () => {
      this.tx = null;
      await run();
      this.tx = null;
    });

    await plan.run(times, {
      at: (ts) => this.at(ts),
      beforeAction: () => this.beginAction(),
      mine: (ts) => this.mine(ts),
    });
  }

  // -------------------------------------------------------------------------------------------------
  // GRT helpers (planned balances; each transfer its holder's own transaction)

  /** Funds an account from the exchange (a plain transfer) when its balance is short. */
  private topUp(account: Addr, need: bigint, chunk: bigint): void {
    const bal = (a: Addr) => this.grBal(a);
    if (bal(account) >= need) return;
    const amount = need - bal(account) + chunk;
    const exchange = this.grExchange;
    // the exchange buys from the bridge
    if (bal(exchange) < amount) this.grBridgeMintTo(exchange, amount * 2n);
    this.tokenTransfers([[exchange, account, amount]]);
  }

  private tokenTransfers(list: [Addr, Addr, bigint][]): void {
    for (const [f, t, v] of list) this.grTransfer(f, t, v);
  }

  private randomTransfers(n: number): void {
    const r = this.rng;
    const exchange = this.grExchange;
    const holders = this.grHolders;
    const others = [
      ...this.grDelegators.map((x) => x.addr),
      ...this.indexers.map((x) => x.addr),
      ...this.curators,
    ];
    const list = drawTransfers(r, n, {
      exchange,
      holders,
      others,
      balanceOf: (a) => this.grBal(a),
      newHolder: () =>
        `0x${keccak256(toHex(`${String(this.opts.seed)}:graph-new-holder-${this.newHolderCount++}`)).slice(26)}`,
    });
    if (list.length === 0) this.zeroTransfer();
    else this.tokenTransfers(list);
  }

  private zeroTransfer(): void {
    this.tokenTransfers([[this.grExchange, this.grHolders[0] as Addr, 0n]]);
  }

  // -------------------------------------------------------------------------------------------------
  // Prices (contracts/src/prices.ts): Chainlink-style answers and swaps of the real Uniswap v3 pool

  /** An answer of the ETH/USD or GRT/USD feed: the next step of its path (NewRound, AnswerUpdated). */
  private transmit(feed: "eth" | "grt", updatesToday: number): void {
    const answer = feed === "eth" ? this.paths.nextEthUsd(updatesToday) : this.paths.nextGrtUsd(updatesToday);
    const target = feed === "eth" ? this.priceParts.EthUsdFeed : this.priceParts.GrtUsdFeed;
    this.call("PriceFeed", "transmit", [answer], 2, target as Hex);
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
    this.tx = null;
    this.call("PoolDriver", functionName, args, null);
    const tx = this.tx as TxDraft | null;
    if (tx) tx.hostTx = true;
    this.tx = null;
  }

  /**
   * The first prices and the pool's liquidity (SharedHost.startPrices, called by the economy whose token the pool
   * trades): ETH/USD and GRT/USD answers; the driver gets its side of the pool from `fund` (2 M of the token) and
   * 20,000 WETH, and adds full-range liquidity (≈300,000 of the token and ≈1,200 WETH at 0.004 ETH).
   */
  private genesisPrices(fund: (driver: Address) => void): void {
    this.call("PriceFeed", "transmit", [this.paths.ethUsd], 2, this.priceParts.EthUsdFeed as Hex);
    this.call("PriceFeed", "transmit", [this.paths.grtUsd], 2, this.priceParts.GrtUsdFeed as Hex);
    const driver = this.priceParts.PoolDriver.toLowerCase();
    fund(driver as Address);
    this.call("WETH", "mint", [driver, tokens(20_000)], 1);
    this.poolCall("addLiquidity", [
      this.priceParts.LptWethPool,
      -887220,
      887220,
      19_000_000_000_000_000_000_000n,
    ]);
  }

  // -------------------------------------------------------------------------------------------------
  // Genesis: token distribution and initial stake (day 0, 00:00:00)

  private async genesis(): Promise<void> {
    const r = this.rng;
    this.initialized = true;
    // Sizes calibrated to the real network (docs/simulator.md, "Calibration"): each of the few simulated operators
    // and delegators holds what a group of real ones holds.
    // The Graph: ≈10.8 B GRT at genesis, ≈26% staked. All GRT on Arbitrum One arrives through the gateway
    // (bridgeMint); indexers stake (the first stake sets the default delegation parameters), set theirs and a
    // rewards destination; curators signal on each indexer's deployment, where it allocates half its stake.
    // The exchange holds the rest of the 10.8 B (at least 1 B).
    const g = this.graph;
    const grants: [Addr, bigint][] = [];
    const selfStake = new Map<Addr, bigint>();
    for (const ix of this.indexers) {
      const self = tokens(r.int(300_000_000, 1_500_000_000));
      selfStake.set(ix.addr, self);
      grants.push([ix.addr, self + tokens(r.int(200_000, 4_000_000))]);
      ix.indexingRewardCut = BigInt(r.int(50_000, 300_000));
      ix.queryFeeCut = BigInt(r.int(50_000, 300_000));
    }
    for (const d of this.grDelegators)
      grants.push([d.addr, tokens(Math.min(400_000_000, r.pareto(4_000_000, 1.1)))]);
    for (const gw of this.gateways) grants.push([gw.addr, tokens(2_000_000)]);
    for (const c of this.curators) grants.push([c, tokens(r.int(100_000, 2_000_000))]);
    for (const h of this.grHolders) grants.push([h, tokens(Math.min(5_000_000, r.pareto(1_000, 1.0)))]);
    const granted = grants.reduce((a, [, v]) => a + v, 0n);
    const minExchange = tokens(1_000_000_000);
    const exchange = tokens(10_800_000_000) - granted;
    const rest = [exchange, minExchange].sort((x, y) => (x < y ? 1 : -1))[0] as bigint; // bigint max
    this.grBridgeMintTo(this.grExchange, rest);
    for (const [to, v] of grants) this.grBridgeMintTo(to, v);
    for (const ix of this.indexers) {
      await this.grStake(ix.addr, selfStake.get(ix.addr) as bigint, false);
      await this.graphAction(() => {
        const params = [Number(ix.indexingRewardCut), Number(ix.queryFeeCut), 0];
        this.direct(
          ix.addr,
          g.staking,
          g.abi.staking,
          "setDelegationParameters",
          params,
          "Staking.setDelegationParameters",
        );
        if (ix.destination)
          this.direct(
            ix.addr,
            g.staking,
            g.abi.staking,
            "setRewardsDestination",
            [ix.destination],
            "Staking.setRewardsDestination",
          );
      });
    }
    for (const [i, ix] of this.indexers.entries())
      await this.grSignal(this.curators[i % this.curators.length] as Addr, ix.deployment);
    for (const ix of this.indexers) await this.grAllocate(ix, false);
  }

  // -------------------------------------------------------------------------------------------------
  // The Graph

  // -------------------------------------------------------------------------------------------------
  // The Graph: the real legacy contracts (per-actor transactions), then the Horizon emitters behind the same
  // proxies. GRT Transfers, BridgeBurned, Signalled and the rewards events enter the ledger from the receipts
  // (applyGraphLogs); each action's stake and fee bookkeeping runs at draft time when its amounts are the
  // simulator's, or in its settle step from its own decoded logs when the contracts compute them.

  private horizonOn(): void {
    if (!this.gr.horizonActive) {
      this.gr.horizonActive = true;
      this.gr.horizonSince = this.gr.now;
    }
  }

  /** Tokens added to an indexer's stake that no account staked (restaked rewards and fees, pool shares). */
  private grCredit(indexer: Addr, amount: bigint): void {
    if (amount === 0n) return;
    this.gr.staked += amount;
    this.gr.opDelta(indexer, amount);
  }

  /** Principal an account moved into (amount > 0) or out of `staked` at an indexer. */
  private grPrincipal(indexer: Addr, account: Addr, amount: bigint): void {
    const l = this.gr;
    if (amount > 0n) l.f.stakeInflow += amount;
    else l.f.stakeOutflow -= amount;
    l.staked += amount;
    l.opDelta(indexer, amount);
    // principal at the indexer, floored at 0 (docs/metrics.md): what leaves may include the pool's growth
    l.principalDelta(indexer, account, amount);
    l.activeStaker(account);
  }

  /** Planned balance: the ledger's (end of the previous block) plus this block's drafted transfers. */
  private grBal(a: Addr): bigint {
    return this.gr.balanceOf(a) + (this.grPlanned.get(a) ?? 0n);
  }

  private grPlan(from: Addr, to: Addr, amount: bigint): void {
    if (from !== ZERO) this.grPlanned.set(from, (this.grPlanned.get(from) ?? 0n) - amount);
    if (to !== ZERO) this.grPlanned.set(to, (this.grPlanned.get(to) ?? 0n) + amount);
  }

  /** Epoch of a block (EpochManager.currentEpoch: no length change on the local chain). */
  private epochOf(block: number): bigint {
    const g = this.graph;
    return g.epoch0 + BigInt(block - g.epochBlock0) / g.epochLength;
  }

  /** A GRT approval of `spender` by `owner` (unlimited), once per pair, as its own transaction. */
  private grApprove(owner: Addr, spender: Addr): void {
    const key = `${owner}:${spender}`;
    if (this.approved.has(key)) return;
    this.approved.add(key);
    this.direct(owner, this.graph.grt, this.graph.abi.grt, "approve", [spender, maxUint256], "GRT.approve");
  }

  /** A GRT transfer by its holder. */
  private grTransfer(from: Addr, to: Addr, amount: bigint): void {
    this.grPlan(from, to, amount);
    this.direct(from, this.graph.grt, this.graph.abi.grt, "transfer", [to, amount], "GRT.transfer");
  }

  /** L2GraphToken.bridgeMint by the gateway (L2GraphTokenGateway on Arbitrum One). */
  private grBridgeMintTo(account: Addr, amount: bigint): void {
    this.grPlan(ZERO, account, amount);
    this.direct(
      this.graph.gateway,
      this.graph.grt,
      this.graph.abi.grt,
      "bridgeMint",
      [account, amount],
      "GRT.bridgeMint",
    );
  }

  /**
   * One The Graph action: its transactions get their own slots in the block (no other action's calls in them);
   * `settle` runs after the block is mined with the action's logs, decoded.
   */
  private async graphAction(
    build: () => void | Promise<void>,
    settle?: (ev: GraphEvent[]) => void,
  ): Promise<void> {
    this.tx = null;
    const from = this.planned.length;
    await build();
    this.tx = null;
    if (settle) this.settles.push({ from, to: this.planned.length, settle });
  }

  private grStake(indexer: Addr, amount: bigint, horizon: boolean): Promise<void> {
    return this.graphAction(() => {
      this.topUp(indexer, amount, tokens(10_000));
      this.grApprove(indexer, this.graph.staking);
      this.grPlan(indexer, this.graph.staking, amount);
      if (horizon) {
        this.call("GraphHorizonStaking", "horizonStake", [indexer, amount], null);
        this.horizonOn();
      } else
        this.direct(indexer, this.graph.staking, this.graph.abi.staking, "stake", [amount], "Staking.stake");
      this.grPrincipal(indexer, indexer, amount);
    });
  }

  /**
   * An indexer takes stake out. Legacy: `unstake` locks it (StakeLocked) for the thawing period, `withdraw`
   * pays it out later (StakeWithdrawn); only while the lock ends well before the Horizon switch. Horizon: the
   * provider's idle stake is withdrawn at once (HorizonStakeWithdrawn).
   */
  private grUnstake(ix: Indexer, amount: bigint, horizon: boolean): Promise<void> {
    return this.graphAction(() => {
      if (horizon) {
        this.grPlan(this.graph.staking, ix.addr, amount);
        this.call("GraphHorizonStaking", "horizonWithdraw", [ix.addr, amount], null);
        this.horizonOn();
        this.grPrincipal(ix.addr, ix.addr, -amount);
        return;
      }
      this.direct(
        ix.addr,
        this.graph.staking,
        this.graph.abi.staking,
        "unstake",
        [amount],
        "Staking.unstake",
      );
      ix.locked = { tokens: amount, untilBlock: this.nextBlock + Number(this.graph.thawingPeriod) };
      this.gr.touch();
    });
  }

  private grWithdrawLocked(ix: Indexer): Promise<void> {
    const amount = ix.locked?.tokens ?? 0n;
    ix.locked = null;
    return this.graphAction(
      () => {
        this.grPlan(this.graph.staking, ix.addr, amount);
        this.direct(ix.addr, this.graph.staking, this.graph.abi.staking, "withdraw", [], "Staking.withdraw");
      },
      (ev) => this.grPrincipal(ix.addr, ix.addr, -sumOf(ev, "StakeWithdrawn", "tokens")),
    );
  }

  /**
   * The Horizon switch, as on Arbitrum One: the open legacy allocations are closed first (the simulator closes
   * them; the real transition let them run), the governor upgrades the staking proxy to the Horizon
   * implementation and the RewardsManager proxy to 7.2.1's (HorizonRewardsAssigned), and sets the
   * SubgraphService on the RewardsManager and Curation; then the first Horizon staking event, every indexer's
   * delegation fee cuts (the delegators' share per payment type, from its legacy cuts), and a SubgraphService
   * allocation per indexer.
   */
  private async grHorizonSwitch(): Promise<void> {
    const g = this.graph;
    for (const ix of this.indexers) if (ix.allocation) await this.grLegacyClose(ix, false);
    await this.graphAction(() => {
      const admin = (fn: string, args: unknown[]) =>
        this.direct(g.governor, g.proxyAdmin, g.abi.proxyAdmin, fn, args, `GraphProxyAdmin.${fn}`);
      admin("upgrade", [g.staking, g.horizonStakingImpl]);
      const init = encodeFunctionData({
        abi: this.compiled.GraphHorizonStaking.abi as Abi,
        functionName: "initializeSim",
        args: [this.from, [this.hub, this.addr.GraphPayments, this.addr.SubgraphService]],
      });
      admin("acceptProxyAndCall", [g.horizonStakingImpl, g.staking, init]);
      admin("upgrade", [g.rewardsManager, g.rewardsManagerHorizonImpl]);
      admin("acceptProxy", [g.rewardsManagerHorizonImpl, g.rewardsManager]);
      this.direct(
        g.governor,
        g.rewardsManager,
        g.abi.rewards,
        "setSubgraphService",
        [this.addr.SubgraphService],
        "RewardsManager.setSubgraphService",
      );
      this.direct(
        g.governor,
        g.curation,
        g.abi.curation,
        "setSubgraphService",
        [this.addr.SubgraphService],
        "L2Curation.setSubgraphService",
      );
    });
    await this.grStake((this.indexers[0] as Indexer).addr, tokens(2_000_000), true);
    await this.graphAction(() => {
      for (const ix of this.indexers) {
        ix.feeCut = [PPM - ix.queryFeeCut, PPM - ix.queryFeeCut, PPM - ix.indexingRewardCut];
        for (const type of [QUERY_FEE, INDEXING_FEE, INDEXING_REWARDS])
          this.call(
            "GraphHorizonStaking",
            "setDelegationFeeCut",
            [ix.addr, this.addr.SubgraphService, type, ix.feeCut[type] as bigint],
            null,
          );
      }
      this.gr.touch();
    });
    for (const ix of this.indexers) await this.grAllocate(ix, true);
  }

  private async grIndexerStake(ix: Indexer, horizon: boolean): Promise<void> {
    const r = this.rng;
    if (ix.locked) {
      if (this.nextBlock >= ix.locked.untilBlock && !horizon) await this.grWithdrawLocked(ix);
      return;
    }
    const stake = this.gr.stakeOf(ix.addr);
    if (r.next() < 0.6) await this.grStake(ix.addr, tokens(r.int(1_000_000, 40_000_000)), horizon);
    // a legacy unstake only while its thawing ends (≈3.3 days) well before the switch
    else if (stake > 0n && (horizon || this.day + 6 < this.horizonSwitchDay))
      await this.grUnstake(ix, (stake * BigInt(r.int(1, 15))) / 100n, horizon);
  }

  /** A new allocation of half the indexer's own stake on its deployment: legacy allocateFrom, or the SubgraphService's. */
  private async grAllocate(ix: Indexer, horizon: boolean): Promise<void> {
    ix.allocationCount++;
    const key = allocationKey(`${String(this.opts.seed)}:${ix.addr}:${ix.allocationCount}`);
    const allocation = key.address.toLowerCase();
    const tokensAllocated = this.gr.stakeOf(ix.addr) / 2n;
    const proof = horizon ? null : await allocationProof(ix.addr as Hex, key);
    await this.graphAction(() => {
      if (horizon)
        this.call(
          "SubgraphService",
          "startService",
          [ix.addr, allocation, ix.deployment, tokensAllocated],
          null,
        );
      else
        this.direct(
          ix.addr,
          this.graph.staking,
          this.graph.abi.staking,
          "allocateFrom",
          [ix.addr, ix.deployment, tokensAllocated, allocation, ZERO_BYTES32, proof],
          "Staking.allocateFrom",
        );
    });
    ix.allocation = allocation;
    ix.allocatedDay = this.day;
    ix.allocatedEpoch = this.epochOf(this.nextBlock);
    ix.legacyAllocation = !horizon;
  }

  /**
   * Staking.closeAllocation with a POI (legacy): RewardsManager.takeRewards mints the rewards to the staking
   * contract (RewardsAssigned; HorizonRewardsAssigned from 7.2.1's RewardsManager), the delegators' share joins
   * the pool without an event, the indexer's is restaked (StakeDeposited) or pushed to its rewards destination,
   * then AllocationClosed. The amounts are the contracts': the settle step reads them from the logs.
   */
  private grLegacyClose(ix: Indexer, reallocate: boolean): Promise<void> {
    const allocation = ix.allocation as Addr;
    ix.allocation = null;
    const staking = this.graph.staking;
    const poi = keccak256(toHex(`${allocation}:${this.day}`));
    return this.graphAction(
      async () => {
        this.direct(
          ix.addr,
          staking,
          this.graph.abi.staking,
          "closeAllocation",
          [allocation, poi],
          "Staking.closeAllocation",
        );
        if (reallocate) await this.grAllocate(ix, false);
      },
      (ev) => this.settleRewards(ix, ev, "StakeDeposited"),
    );
  }

  /** Rewards of a close: the indexer's part restaked (`restakeEvent`) or paid out, the rest the pool's. */
  private settleRewards(ix: Indexer, ev: GraphEvent[], restakeEvent: string): void {
    const total = sumOf(ev, "RewardsAssigned", "amount") + sumOf(ev, "HorizonRewardsAssigned", "amount");
    const indexerKey = restakeEvent === "StakeDeposited" ? "indexer" : "serviceProvider";
    const restaked = sumOf(ev, restakeEvent, "tokens", (e) => lc(e.args[indexerKey]) === ix.addr);
    const paidOut = ix.destination
      ? sumOf(
          ev,
          "Transfer",
          "value",
          (e) => e.contract === "L2GraphToken" && lc(e.args.to) === ix.destination,
        )
      : 0n;
    const pool = total - restaked - paidOut;
    if (pool < 0n)
      throw new Error(`rewards of ${ix.addr}: ${total} minted, ${restaked + paidOut} to the indexer`);
    this.grCredit(ix.addr, restaked + pool);
  }

  /**
   * An indexer closes its allocation and opens the next one on the same deployment in the same block (no block
   * without an allocation: every signalled deployment's rewards are minted). Legacy: above. Horizon: the
   * SubgraphService presents the POI (AllocationManager._presentPOI: takeRewards mints to it,
   * HorizonRewardsAssigned; the delegators' cut to the pool, TokensToDelegationPoolAdded; the indexer's to its
   * provision, HorizonStakeDeposited + ProvisionIncreased, or to its payments destination), closes it, and
   * starts the next.
   */
  private async grCloseAllocation(ix: Indexer): Promise<void> {
    if (!ix.allocation) return;
    if (ix.legacyAllocation) {
      // Staking._closeAllocation requires at least one epoch since the allocation was created
      if (this.epochOf(this.nextBlock) <= ix.allocatedEpoch) return;
      await this.grLegacyClose(ix, true);
      return;
    }
    const allocation = ix.allocation;
    await this.graphAction(
      async () => {
        const pool = this.hasDelegation(ix.addr);
        this.call(
          "SubgraphService",
          "presentPOI",
          [allocation, ix.feeCut[INDEXING_REWARDS], pool, ix.destination ?? ZERO],
          null,
        );
        this.call("SubgraphService", "closeAllocation", [allocation], null);
        await this.grAllocate(ix, true);
      },
      (ev) => this.settleRewards(ix, ev, "HorizonStakeDeposited"),
    );
  }

  /**
   * Legacy query fees: the asset holder (the AllocationExchange that redeems the gateways' vouchers, funded by
   * them) calls Staking.collect on the indexer's open allocation: 1% protocol tax burned, 10% curation fees to
   * Curation, exponential rebates (the part above the curve burned), the delegators' share to the pool, the
   * indexer's restaked or paid out (RebateCollected). Contract math: the settle step reads the amounts.
   */
  private grRebate(gateway: Addr): Promise<void> {
    const ix = this.pickIndexer();
    const allocation = ix.allocation;
    if (!allocation || !ix.legacyAllocation) return Promise.resolve();
    const tokensIn = tokens(Math.min(500_000, this.rng.pareto(50, 1.3)));
    const holder = this.allocationExchange;
    const staking = this.graph.staking;
    return this.graphAction(
      () => {
        if (this.grBal(holder) < tokensIn) {
          // the gateway funds the exchange that redeems its vouchers
          this.topUp(gateway, tokensIn, tokens(2_000_000));
          this.grTransfer(gateway, holder, this.grBal(gateway));
        }
        this.grApprove(holder, staking);
        this.grPlan(holder, staking, tokensIn);
        this.direct(
          holder,
          staking,
          this.graph.abi.staking,
          "collect",
          [tokensIn, allocation],
          "Staking.collect",
        );
      },
      (ev) => {
        const rc = ev.find((e) => e.event === "RebateCollected");
        if (!rc) throw new Error(`Staking.collect on ${allocation}: no RebateCollected`);
        const a = rc.args as Record<string, bigint>;
        const l = this.gr;
        l.f.burnedFeeTax += a.protocolTax as bigint;
        l.fee(holder, a.tokens as bigint, a.protocolTax as bigint, a.curationFees as bigint);
        const restaked = sumOf(ev, "StakeDeposited", "tokens");
        this.grCredit(ix.addr, (a.delegationRewards as bigint) + restaked);
      },
    );
  }

  /**
   * A Horizon payment from a gateway's escrow: type 0 query fees (SubgraphService.collect → GraphTallyCollector →
   * PaymentsEscrow.collect → GraphPayments.collect, then the curators' cut pushed to Curation and booked), type
   * 1 indexing fees (a RecurringCollector; no data service cut). GraphPayments: 1% protocol cut burned, the data
   * service cut, the delegation pool's cut (feeCut of the payment type), the rest restaked (stakeTo) or pushed to
   * the receiver's destination. The gateway deposits into the escrow first when its balance there is short.
   */
  private grPayment(type: 0 | 1, gateway: Addr): Promise<void> {
    return this.graphAction(() => {
      const r = this.rng;
      const l = this.gr;
      const tokensIn = tokens(Math.min(500_000, r.pareto(type === INDEXING_FEE ? 500 : 50, 1.3)));
      const ix = this.pickIndexer();
      const ss = this.addr.SubgraphService.toLowerCase();
      const collector = type === QUERY_FEE ? this.tallyCollector : this.recurringCollector;
      const escrow = this.a("PaymentsEscrow");
      const key = `${gateway}:${collector}:${ix.addr}`;
      if ((this.escrow.get(key) ?? 0n) < tokensIn) {
        const deposit = tokensIn * 5n;
        this.topUp(gateway, deposit, tokens(2_000_000));
        this.grApprove(gateway, escrow);
        this.grPlan(gateway, escrow, deposit);
        this.call("PaymentsEscrow", "deposit", [gateway, collector, ix.addr, deposit], null);
        this.escrow.set(key, (this.escrow.get(key) ?? 0n) + deposit);
      }
      this.escrow.set(key, (this.escrow.get(key) ?? 0n) - tokensIn);
      const tokensProtocol = mulPPMRoundUp(tokensIn, GRAPH_PROTOCOL_PAYMENT_CUT);
      let rest = tokensIn - tokensProtocol;
      const tokensDataService = type === QUERY_FEE ? mulPPMRoundUp(rest, GRAPH_CURATION_PERCENTAGE) : 0n;
      rest -= tokensDataService;
      const tokensDelegationPool = this.hasDelegation(ix.addr) ? mulPPMRoundUp(rest, ix.feeCut[type]) : 0n;
      rest -= tokensDelegationPool;
      this.grPlan(escrow, ZERO, tokensIn);
      if (rest > 0n && ix.destination) this.grPlan(ZERO, ix.destination, rest);
      this.grCredit(ix.addr, tokensDelegationPool + (ix.destination ? 0n : rest));
      const payment = {
        paymentType: type,
        receiver: ix.addr,
        dataService: ss,
        tokens: tokensIn,
        tokensProtocol,
        tokensDataService,
        tokensDelegationPool,
        receiverDestination: ix.destination ?? ZERO,
      };
      this.call("PaymentsEscrow", "collect", [gateway, collector, payment], null);
      if (tokensDataService > 0n)
        // the SubgraphService pushes the curators' cut to Curation and books it
        this.call("SubgraphService", "collectCurationFees", [ix.deployment, tokensDataService], null);
      l.f.burnedFeeTax += tokensProtocol;
      l.fee(gateway, tokensIn, tokensProtocol, tokensDataService);
    });
  }

  private pickIndexer(): Indexer {
    const l = this.gr;
    const total = this.indexers.reduce((s, ix) => s + Number(l.operatorStake(ix.addr) / E18), 0);
    let u = this.rng.next() * total;
    for (const ix of this.indexers) {
      u -= Number(l.operatorStake(ix.addr) / E18);
      if (u <= 0) return ix;
    }
    return this.indexers[0] as Indexer;
  }

  /**
   * Whether the indexer's delegation pool has delegators (not undelegated): legacy `pool.tokens > 0`,
   * Horizon `pool.shares > 0`, the condition for a delegators' share of rewards and fees.
   */
  private hasDelegation(indexer: Addr): boolean {
    return this.grDelegators.some((d) => d.indexer === indexer && d.delegated > 0n);
  }

  private thawRequestId(d: GrDelegator, indexer: Addr): Hex {
    return keccak256(toHex(`${indexer}:${this.addr.SubgraphService.toLowerCase()}:${d.addr}:${d.thawNonce}`));
  }

  private async grDelegatorDay(d: GrDelegator, joining: boolean): Promise<void> {
    const r = this.rng;
    const horizon = this.day >= this.horizonSwitchDay;
    const staking = this.graph.staking;
    const ss = this.addr.SubgraphService.toLowerCase();
    if (d.thawing) {
      const t = d.thawing;
      const ready = t.legacy ? this.epochOf(this.nextBlock) >= t.untilEpoch : this.day >= t.readyDay;
      if (!ready) return;
      d.thawing = null;
      // a delegator that undelegated everything sometimes moves it to another indexer instead (before the
      // switch: withdrawDelegated to the new indexer, real; after it: HorizonStaking.redelegate)
      const others = this.indexers.filter((ix) => ix.addr !== t.indexer);
      const kind = t.legacy ? "legacy" : "horizon";
      const draw = r.next() < 0.3 || !this.redelegated.has(kind); // the first chance of each kind is taken
      if (d.delegated === 0n && others.length > 0 && draw && (!t.legacy || !horizon)) {
        this.redelegated.add(kind);
        const to = (r.pick(others) as Indexer).addr;
        d.indexer = to;
        if (!t.legacy) {
          await this.graphAction(() => {
            this.call(
              "GraphHorizonStaking",
              "horizonRedelegate",
              [
                t.indexer,
                ss,
                to,
                d.addr,
                t.tokens,
                t.tokens,
                t.until,
                this.thawRequestId(d, t.indexer),
                t.tokens,
              ],
              null,
            );
            d.thawNonce++;
            // a move between operators: no flow, no activity (docs/methodology.md, Counts)
            this.gr.opDelta(t.indexer, -t.tokens);
            this.gr.opDelta(to, t.tokens);
            this.gr.principalDelta(t.indexer, d.addr, -t.tokens);
            this.gr.principalDelta(to, d.addr, t.tokens);
            this.gr.touch();
            d.delegated = t.tokens;
          });
          return;
        }
        await this.graphAction(
          () =>
            this.direct(
              d.addr,
              staking,
              this.graph.abi.staking,
              "withdrawDelegated",
              [t.indexer, to],
              "Staking.withdrawDelegated",
            ),
          (ev) => {
            // StakeDelegatedWithdrawn at the old indexer, the 0.5% tax burned, StakeDelegated at the new one
            this.grPrincipal(t.indexer, d.addr, -sumOf(ev, "StakeDelegatedWithdrawn", "tokens"));
            const delegated = sumOf(ev, "StakeDelegated", "tokens");
            this.grPrincipal(to, d.addr, delegated);
            d.delegated = delegated;
          },
        );
        return;
      }
      await this.graphAction(() => {
        this.grPlan(staking, d.addr, t.tokens);
        if (!t.legacy) {
          // A Horizon thaw request: ThawRequestFulfilled, ThawRequestsFulfilled, the Transfer,
          // DelegatedTokensWithdrawn.
          this.call(
            "GraphHorizonStaking",
            "horizonWithdrawDelegated",
            [t.indexer, ss, d.addr, t.tokens, t.tokens, t.until, this.thawRequestId(d, t.indexer)],
            null,
          );
          d.thawNonce++;
          this.horizonOn();
        } else if (horizon) {
          // tokens undelegated before Horizon: HorizonStaking's legacy withdrawDelegated
          this.call("GraphHorizonStaking", "withdrawDelegatedLegacy", [t.indexer, d.addr], null);
        } else
          this.direct(
            d.addr,
            staking,
            this.graph.abi.staking,
            "withdrawDelegated",
            [t.indexer, ZERO],
            "Staking.withdrawDelegated",
          );
        this.grPrincipal(t.indexer, d.addr, -t.tokens);
        if (d.delegated === 0n) d.indexer = null;
      });
      return;
    }
    const delegate = (amount: bigint) => {
      const indexer = d.indexer ?? this.pickIndexer().addr;
      d.indexer = indexer;
      return this.graphAction(
        () => {
          this.topUp(d.addr, amount, tokens(20_000));
          this.grApprove(d.addr, staking);
          this.grPlan(d.addr, staking, amount);
          if (horizon) {
            this.call("GraphHorizonStaking", "horizonDelegate", [indexer, ss, d.addr, amount, amount], null);
            this.horizonOn();
            this.grPrincipal(indexer, d.addr, amount);
            d.delegated += amount;
          } else
            this.direct(
              d.addr,
              staking,
              this.graph.abi.staking,
              "delegate",
              [indexer, amount],
              "Staking.delegate",
            );
        },
        horizon
          ? undefined
          : (ev) => {
              // StakingExtension._delegate: the 0.5% tax burned, StakeDelegated(tokens - tax)
              const delegated = sumOf(ev, "StakeDelegated", "tokens");
              this.grPrincipal(indexer, d.addr, delegated);
              d.delegated += delegated;
            },
      );
    };
    const liquid = this.grBal(d.addr);
    if (!d.indexer) {
      if (joining || r.next() < 0.1)
        await delegate(
          liquid > tokens(2_000)
            ? (liquid * BigInt(r.int(40, 100))) / 100n
            : tokens(r.int(20_000, 2_000_000)),
        );
      return;
    }
    const u = r.next();
    if (u < 0.4) await delegate(tokens(Math.min(100_000_000, r.pareto(20_000, 1.2))));
    else if (u < 0.7 && d.delegated > 0n) {
      const indexer = d.indexer;
      const all = r.next() < 0.4;
      const pct = BigInt(r.int(10, 60));
      if (horizon) {
        const amount = all ? d.delegated : (d.delegated * pct) / 100n;
        const until = BigInt(this.gr.now + GRAPH_THAW_DAYS * DAY);
        await this.graphAction(() => {
          this.call(
            "GraphHorizonStaking",
            "horizonUndelegate",
            [indexer, ss, d.addr, amount, amount, until, this.thawRequestId(d, indexer), BigInt(d.thawNonce)],
            null,
          );
          this.gr.touch();
        });
        d.delegated -= amount;
        d.thawing = {
          indexer,
          tokens: amount,
          readyDay: this.day + GRAPH_THAW_DAYS,
          legacy: false,
          until,
          untilEpoch: 0n,
        };
        return;
      }
      // StakingExtension.undelegate takes shares: the pool converts them to tokens (its growth included)
      const shares = (await this.graph.readDelegationShares(indexer, d.addr)) as bigint;
      const undelegateShares = all ? shares : (shares * pct) / 100n;
      if (undelegateShares === 0n) return;
      const thawing: NonNullable<GrDelegator["thawing"]> = {
        indexer,
        tokens: 0n,
        readyDay: this.day,
        legacy: true,
        until: 0n,
        untilEpoch: 0n,
      };
      d.thawing = thawing;
      await this.graphAction(
        () => {
          this.direct(
            d.addr,
            staking,
            this.graph.abi.staking,
            "undelegate",
            [indexer, undelegateShares],
            "Staking.undelegate",
          );
          this.gr.touch();
        },
        (ev) => {
          const locked = ev.find((e) => e.event === "StakeDelegatedLocked");
          if (!locked) throw new Error(`undelegate of ${d.addr}: no StakeDelegatedLocked`);
          thawing.tokens = locked.args.tokens as bigint;
          thawing.untilEpoch = locked.args.until as bigint;
          // principal left: what the shares were worth, at most the principal (floored, docs/metrics.md)
          d.delegated = all ? 0n : d.delegated > thawing.tokens ? d.delegated - thawing.tokens : 0n;
        },
      );
    }
  }

  private grLegacySlash(indexer: Addr): Promise<void> {
    const amount = (this.gr.stakeOf(indexer) * 2n) / 100n;
    const reward = amount / 2n;
    return this.graphAction(
      () => {
        this.grPlan(this.graph.staking, this.fisherman, reward);
        this.direct(
          this.graph.slasher,
          this.graph.staking,
          this.graph.abi.staking,
          "slash",
          [indexer, amount, reward, this.fisherman],
          "Staking.slash",
        );
      },
      (ev) => {
        const s = ev.find((e) => e.event === "StakeSlashed");
        if (!s) throw new Error(`slash of ${indexer}: no StakeSlashed`);
        const t = s.args.tokens as bigint;
        const rw = s.args.reward as bigint;
        const l = this.gr;
        l.slash(indexer, t, rw);
        l.principalDelta(indexer, indexer, -t);
      },
    );
  }

  /**
   * HorizonStaking.slash by the verifier: the provision first (the verifier's cut pushed with
   * VerifierTokensSent, the rest burned, ProvisionSlashed), then what the provision did not cover from the
   * delegation pool, burned (DelegationSlashed). The simulated provision slash is 0.5% of the indexer's own
   * stake; the slash asks for as much again from the pool (1% of its active delegation at most).
   */
  private grHorizonSlash(indexer: Addr): Promise<void> {
    return this.graphAction(() => {
      const l = this.gr;
      const amount = (l.stakeOf(indexer) * 5n) / 1000n;
      const toVerifier = amount / 4n;
      let pool = 0n;
      for (const d of this.grDelegators) if (d.indexer === indexer) pool += d.delegated;
      const fromPool = pool / 100n < amount ? pool / 100n : amount;
      this.grPlan(this.graph.staking, this.fisherman, toVerifier);
      this.call(
        "GraphHorizonStaking",
        "horizonSlash",
        [indexer, this.addr.SubgraphService, amount, toVerifier, this.fisherman, fromPool],
        null,
      );
      this.horizonOn();
      // VerifierTokensSent: the verifier's part is not burned; ProvisionSlashed and DelegationSlashed: all of it
      l.slash(indexer, amount + fromPool, toVerifier);
      l.principalDelta(indexer, indexer, -amount); // the delegators' principal is kept (docs/methodology.md)
    });
  }

  /** L2Curation.mint by a curator on an indexer's deployment: 1% curation tax burned (Signalled). */
  private grSignal(curator: Addr, deployment?: Hex): Promise<void> {
    const r = this.rng;
    const amount = tokens(r.int(1_000, 100_000));
    const sd = deployment ?? (r.pick(this.indexers) as Indexer).deployment;
    return this.graphAction(() => {
      this.topUp(curator, amount, tokens(100_000));
      this.grApprove(curator, this.graph.curation);
      this.grPlan(curator, ZERO, amount);
      this.direct(
        curator,
        this.graph.curation,
        this.graph.abi.curation,
        "mint",
        [sd, amount, 0n],
        "L2Curation.mint",
      );
    });
  }

  private grBridgeMint(): Promise<void> {
    const r = this.rng;
    const to = r.next() < 0.5 ? this.grExchange : r.pick(this.grHolders);
    const amount = tokens(Math.min(50_000_000, r.pareto(10_000, 1.1)));
    return this.graphAction(() => this.grBridgeMintTo(to, amount));
  }

  /** L2GraphToken.bridgeBurn by the gateway (the holder approved it, as for an outbound transfer). */
  private grBridgeBurn(): Promise<void> {
    const r = this.rng;
    const from = r.next() < 0.5 ? this.grExchange : r.pick(this.grHolders);
    const bal = this.grBal(from);
    const amount = from === this.grExchange ? tokens(r.int(10_000, 5_000_000)) : bal / BigInt(r.int(1, 4));
    if (amount === 0n || amount > bal) return Promise.resolve();
    return this.graphAction(() => {
      const g = this.graph;
      this.grApprove(from, g.gateway);
      this.grPlan(from, ZERO, amount);
      this.direct(g.gateway, g.grt, g.abi.grt, "bridgeBurn", [from, amount], "GRT.bridgeBurn");
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Ground truth

  groundTruth(): GroundTruth {
    type TokenTruth = ProtocolTruth["token"];
    const build = (l: ProtocolLedger, token: TokenTruth, feeAsset: string): ProtocolTruth =>
      protocolTruth(l, token, feeAsset, this.startTime, this.days);
    return {
      seed: this.opts.seed,
      days: this.days,
      startTime: this.startTime,
      endTime: this.startTime + this.days * DAY,
      horizonSwitchTime: this.gr.horizonSince,
      events: this.events,
      blocks: this.blocks,
      protocols: {
        ...Object.fromEntries(
          this.hosts.truths().map(([slug, t]) => [slug, build(t.ledger, t.token, t.feeAsset)]),
        ),
        thegraph: build(this.gr, { address: this.gr.token, symbol: "GRT", decimals: 18 }, this.gr.token),
      },
      prices: this.priceBook.truth(),
    };
  }
}

const fmt = (v: bigint) => `${(v / E18).toLocaleString("en-US")}`;
