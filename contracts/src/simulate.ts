import { writeFile } from "node:fs/promises";
import { type Abi, encodeFunctionData, encodePacked, type Hex, keccak256, numberToHex, toHex } from "viem";
import { type CompiledContracts, type ContractName, compileContracts } from "./compile.js";
import { type Deployment, deployerAccount, ensureHub } from "./deploy.js";
import {
  addFlows,
  DAY,
  emptyFlows,
  type Flows,
  HOUR,
  isoDate,
  monthStart,
  type PeriodKind,
  ProtocolLedger,
  type Stocks,
  weekStart,
  ZERO,
} from "./ledger.js";
import { type Rng, rngFromSeed } from "./rng.js";
import { Rpc } from "./rpc.js";

// ---------------------------------------------------------------------------------------------------
// Public types

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
  /** Orchestrators (Livepeer) and indexers (The Graph), default 5 each. */
  operators?: number;
  /** Delegators per protocol, default 30. */
  stakers?: number;
  /** Livepeer broadcasters (default 10); The Graph gateways = max(2, ceil(payers / 3)). */
  payers?: number;
  onProgress?: (p: SimulateProgress) => void;
}

/** One row per bucket: TokenFlowStats + FeeFlowStats fields (BigInt as decimal strings). */
export interface FlowRow {
  timestamp: number;
  date: string;
  minted: string;
  burned: string;
  burnedFeeTax: string;
  burnedCurationTax: string;
  burnedSlashing: string;
  burnedBridge: string;
  grossEmission: string;
  treasuryEmission: string;
  stakeInflow: string;
  stakeOutflow: string;
  slashed: string;
  slashedBurned: string;
  slashedToFinder: string;
  transferVolume: string;
  transferCount: number;
  totalSupply: string;
  staked: string;
  operators: number;
  stakers: number;
  holders: number;
  fees: string;
  supplySideFees: string;
  protocolTax: string;
  curationFees: string;
  feeEvents: number;
  depositsFunded: string;
  cumulativeFees: string;
}

export interface ActivityRow {
  timestamp: number;
  date: string;
  payers: number;
  newPayers: number;
  activeStakers: number;
}

export type DayRow = FlowRow & ActivityRow;
export type HourRow = FlowRow;

export interface ProtocolTruth {
  token: { address: string; symbol: string; decimals: number };
  /** Fee asset: the token address, or the zero address for ETH (Livepeer). */
  feeAsset: string;
  /** Every UTC day of the run, gap-free (empty days: flows 0, stocks carried). */
  daily: DayRow[];
  /** Only hours with at least one event of this protocol's contracts. */
  hourly: HourRow[];
  /** ISO weeks (Monday 00:00 UTC) that overlap the run; distinct counts over the simulated part. */
  weekly: ActivityRow[];
  /** Calendar months that overlap the run. */
  monthly: ActivityRow[];
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
  protocols: { livepeer: ProtocolTruth; thegraph: ProtocolTruth };
}

// ---------------------------------------------------------------------------------------------------
// Constants of the simulated economy

const E18 = 10n ** 18n;
/** tokens(1.5) = 1.5e18 */
const tokens = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
const PERC_DIVISOR = 1_000_000_000n; // Livepeer Minter (inflation, bonding rate)
const TARGET_BONDING_RATE = 500_000_000n; // 50%
const INFLATION_CHANGE = 500n;
const UNBONDING_ROUNDS = 7;
const GRAPH_THAW_DAYS = 3;
// The Graph on Arbitrum One, parts per million (graphprotocol/contracts packages/contracts/config/
// graph.arbitrum-one.yml; packages/horizon/ignition/configs/protocol.default.json5 protocolPaymentCut)
const PPM = 1_000_000n;
const GRAPH_PROTOCOL_PERCENTAGE = 10_000n; // legacy Staking protocol tax
const GRAPH_CURATION_PERCENTAGE = 100_000n; // legacy Staking curation fees; the SubgraphService's curation cut
const GRAPH_DELEGATION_TAX = 5_000n; // legacy StakingExtension delegation tax
const GRAPH_PROTOCOL_PAYMENT_CUT = 10_000n; // GraphPayments
/** Horizon GraphPayments.PaymentTypes */
const QUERY_FEE = 0;
const INDEXING_FEE = 1;
const INDEXING_REWARDS = 2;
/** PPMMath.mulPPM (rounds down) and mulPPMRoundUp. */
const mulPPM = (a: bigint, ppm: bigint) => (a * ppm) / PPM;
const mulPPMRoundUp = (a: bigint, ppm: bigint) => a - mulPPM(a, PPM - ppm);

type Addr = string;

interface LpDelegator {
  addr: Addr;
  delegate: Addr | null;
  bonded: bigint;
  pending: bigint;
  lastClaimRound: number;
  locks: Map<number, { amount: bigint; withdrawRound: number }>;
  nextLockId: number;
  joinDay: number;
}

interface GrDelegator {
  addr: Addr;
  indexer: Addr | null;
  /** Principal in the pool (legacy: after the delegation tax). */
  delegated: bigint;
  /** legacy: undelegated before Horizon, so withdrawn with the legacy function (StakeDelegatedWithdrawn). */
  thawing: { indexer: Addr; tokens: bigint; readyDay: number; legacy: boolean; until: bigint } | null;
  /** Horizon thaw requests created so far (the thaw request id's nonce). */
  thawNonce: number;
  joinDay: number;
}

interface Indexer {
  addr: Addr;
  allocation: Addr;
  allocatedDay: number;
  allocationCount: number;
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

interface TxDraft {
  targets: Hex[];
  datas: Hex[];
  logs: number;
  gas: number;
  actions: number;
  cap: number;
}

interface SentTx {
  hash: Hex;
  logs: number;
  block: number;
}

interface Action {
  block: number;
  prio: number;
  seq: number;
  run: () => void;
}

// ---------------------------------------------------------------------------------------------------

/** Runs the simulation; resolves with the ground truth computed from the simulator's own ledger. */
export async function simulate(opts: SimulateOptions): Promise<GroundTruth> {
  const sim = await createSimulator(opts);
  return sim.run();
}

export async function createSimulator(opts: SimulateOptions): Promise<Simulator> {
  const compiled = await compileContracts();
  const hub = await ensureHub(opts.rpcUrl, opts.deployment);
  return new Simulator(opts, compiled, hub as Hex);
}

export async function writeGroundTruth(path: string, gt: GroundTruth): Promise<void> {
  await writeFile(path, `${JSON.stringify(gt, null, 2)}\n`);
}

export class Simulator {
  readonly days: number;
  readonly startTime: number;
  readonly horizonSwitchDay: number;
  private readonly rng: Rng;
  private readonly rpc: Rpc;
  private readonly from: Hex;
  private readonly addr: Record<ContractName, Hex>;
  readonly lp: ProtocolLedger;
  readonly gr: ProtocolLedger;
  events = 0;
  blocks = 0;
  private tx: TxDraft | null = null;
  private blockTxs: TxDraft[] = [];
  private sent: SentTx[] = [];
  private nonce = 0;
  private nextBlock = 0;
  private lastTs = 0;
  private day = 0;
  private initialized = false;
  private seqCounter = 0;

  // actors
  private readonly lpOrchs: Addr[];
  private readonly lpDels = new Map<Addr, LpDelegator>();
  private readonly lpDelegators: LpDelegator[];
  private readonly broadcasters: { addr: Addr; weight: number; joinDay: number; nonce: number }[];
  private readonly lpHolders: Addr[];
  private readonly lpExchange: Addr;
  private readonly treasury: Addr;
  private readonly lpFinder: Addr;
  private readonly indexers: Indexer[];
  private readonly grDelegators: GrDelegator[];
  private readonly gateways: { addr: Addr; weight: number; joinDay: number }[];
  private readonly curators: Addr[];
  private readonly subgraphService: Addr;
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
  private readonly subgraphDeployments: Hex[];
  private newHolderCount = 0;

  // Livepeer protocol state
  private round = 3000;
  // Minter inflation per round (of 1e9). The real ≈0.061% a round over ≈417 rounds a year is ≈25.6% a year; one
  // simulated round a day needs ≈0.074% for the same yearly figure (docs/simulator.md, "Calibration").
  private inflation = 740_000n;
  private mintable = 0n;
  private roundStake = new Map<Addr, bigint>();
  private roundTotal = 0n;
  private rewardedThisRound = new Set<Addr>();
  private readonly rewardCut = new Map<Addr, bigint>();

  // schedule
  private readonly treasuryStartDay: number;
  private readonly lpSlashDay: number;
  private readonly grSlashDay: number;
  private readonly hzSlashDay: number;
  private readonly emptyDays = new Set<number>();

  constructor(
    private readonly opts: SimulateOptions,
    private readonly compiled: CompiledContracts,
    private readonly hub: Hex,
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
    this.rpc = new Rpc(opts.rpcUrl);
    this.from = deployerAccount().address;
    const p = opts.deployment.protocols;
    this.addr = {
      LivepeerToken: p.livepeer.LivepeerToken.address,
      BondingManager: p.livepeer.BondingManager.address,
      Minter: p.livepeer.Minter.address,
      RoundsManager: p.livepeer.RoundsManager.address,
      TicketBroker: p.livepeer.TicketBroker.address,
      L2GraphToken: p.thegraph.L2GraphToken.address,
      GraphStaking: p.thegraph.GraphStaking.address,
      RewardsManager: p.thegraph.RewardsManager.address,
      L2Curation: p.thegraph.L2Curation.address,
      GraphPayments: p.thegraph.GraphPayments.address,
      PaymentsEscrow: (opts.deployment.simulator?.PaymentsEscrow?.address ?? ZERO) as Hex,
      SimHub: hub,
    };
    this.lp = new ProtocolLedger(this.a("LivepeerToken"));
    this.gr = new ProtocolLedger(this.a("L2GraphToken"));

    const nOps = opts.operators ?? 5;
    const nStakers = opts.stakers ?? 30;
    const nPayers = opts.payers ?? 10;
    const days = this.days;
    const r = this.rng;
    const seedTag = String(opts.seed);
    const mk = (tag: string): Addr => `0x${keccak256(toHex(`${seedTag}:${tag}`)).slice(26)}`;
    const joinDay = (i: number, early: number) =>
      i < early ? 0 : r.int(1, Math.max(1, Math.floor(days * 0.8)));

    this.lpOrchs = Array.from({ length: nOps }, (_, i) => mk(`lp-orchestrator-${i}`));
    for (const o of this.lpOrchs) this.lpDels.set(o, this.newLpDel(o, 0));
    this.lpDelegators = Array.from({ length: nStakers }, (_, i) => {
      const d = this.newLpDel(mk(`lp-delegator-${i}`), joinDay(i, Math.ceil(nStakers * 0.4)));
      this.lpDels.set(d.addr, d);
      return d;
    });
    this.broadcasters = Array.from({ length: nPayers }, (_, i) => ({
      addr: mk(`lp-broadcaster-${i}`),
      weight: Math.min(20, r.pareto(1, 1.2)),
      joinDay: i < 2 ? 0 : r.int(0, Math.max(0, Math.floor(days * 0.7))),
      nonce: 0,
    }));
    this.lpHolders = Array.from({ length: 15 }, (_, i) => mk(`lp-holder-${i}`));
    this.lpExchange = mk("lp-exchange");
    this.treasury = mk("lp-treasury");
    this.lpFinder = mk("lp-finder");

    this.indexers = Array.from({ length: nOps }, (_, i) => ({
      addr: mk(`graph-indexer-${i}`),
      allocation: mk(`graph-allocation-${i}-0`),
      allocatedDay: 0,
      allocationCount: 0,
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
    this.subgraphService = mk("graph-subgraph-service");
    this.allocationExchange = mk("graph-allocation-exchange");
    this.tallyCollector = mk("graph-tally-collector");
    this.recurringCollector = mk("graph-recurring-collector");
    this.fisherman = mk("graph-fisherman");
    this.grHolders = Array.from({ length: 15 }, (_, i) => mk(`graph-holder-${i}`));
    this.grExchange = mk("graph-exchange");
    this.subgraphDeployments = Array.from({ length: 8 }, (_, i) =>
      keccak256(toHex(`${seedTag}:deployment-${i}`)),
    );

    // schedule of the forced events
    const sw = this.horizonSwitchDay;
    this.treasuryStartDay = Math.floor(days / 3);
    this.lpSlashDay = Math.min(days - 1, Math.max(3, Math.floor(days * 0.4)));
    this.grSlashDay = Math.min(days - 1, Math.max(3, Math.floor(Math.min(sw, days) * 0.6)));
    this.hzSlashDay = sw < days ? Math.min(days - 1, sw + Math.floor((days - sw) / 2)) : -1;
    const forced = new Set([0, 1, 2, this.lpSlashDay, this.grSlashDay, this.hzSlashDay, sw]);
    forced.add(this.treasuryStartDay);
    if (days >= 10 && !forced.has(5)) this.emptyDays.add(5);
    for (let d = 3; d < days; d++) if (!forced.has(d) && r.next() < 0.04) this.emptyDays.add(d);
  }

  private newLpDel(addr: Addr, joinDay: number): LpDelegator {
    return {
      addr,
      delegate: null,
      bonded: 0n,
      pending: 0n,
      lastClaimRound: 0,
      locks: new Map(),
      nextLockId: 0,
      joinDay,
    };
  }

  private a(name: ContractName): Addr {
    return this.addr[name].toLowerCase();
  }

  // -------------------------------------------------------------------------------------------------
  // Transactions

  /** Appends a contract call to the current transaction. */
  private call(name: ContractName, functionName: string, args: unknown[], logs: number): void {
    if (!this.tx) throw new Error("no open transaction");
    const data = encodeFunctionData({ abi: this.compiled[name].abi as Abi, functionName, args });
    this.tx.targets.push(this.addr[name]);
    this.tx.datas.push(data);
    this.tx.logs += logs;
    this.tx.gas += 90_000 + 30_000 * logs + data.length * 8;
    this.events += logs;
  }

  /** Starts an action: a new transaction when the current one has enough actions. */
  private beginAction(): void {
    if (!this.tx || this.tx.actions >= this.tx.cap) {
      this.tx = { targets: [], datas: [], logs: 0, gas: 60_000, actions: 0, cap: this.rng.int(1, 5) };
      this.blockTxs.push(this.tx);
    }
    this.tx.actions++;
  }

  private async prepareChain(): Promise<void> {
    const [head, nonce, automine] = await this.rpc.batch<unknown>([
      { method: "eth_getBlockByNumber", params: ["latest", false] },
      { method: "eth_getTransactionCount", params: [this.from, "pending"] },
      { method: "anvil_getAutomine", params: [] },
    ]);
    const h = head as { number: Hex; timestamp: Hex; gasLimit: Hex };
    this.nextBlock = Number(h.number) + 1;
    this.lastTs = Number(h.timestamp);
    this.nonce = Number(nonce as Hex);
    this.savedGasLimit = h.gasLimit;
    this.savedAutomine = automine as boolean;
    await this.rpc.batch([
      { method: "anvil_impersonateAccount", params: [this.from] },
      { method: "evm_setBlockGasLimit", params: [numberToHex(1_000_000_000)] },
      { method: "evm_setAutomine", params: [false] },
    ]);
  }
  private savedGasLimit: Hex = "0x1c9c380";
  private savedAutomine = true;

  private async restoreChain(): Promise<void> {
    await this.rpc.batch([
      { method: "evm_setBlockGasLimit", params: [this.savedGasLimit] },
      { method: "evm_setAutomine", params: [this.savedAutomine] },
    ]);
  }

  /** Sends the block's transactions and mines them in one block at `ts`. */
  private async mine(ts: number): Promise<void> {
    if (ts <= this.lastTs)
      throw new Error(`block timestamp ${ts} not after the previous block (${this.lastTs})`);
    const reqs: { method: string; params: unknown[] }[] = [
      { method: "evm_setNextBlockTimestamp", params: [ts] },
    ];
    for (const t of this.blockTxs) {
      const data = encodeFunctionData({
        abi: this.compiled.SimHub.abi as Abi,
        functionName: "exec",
        args: [t.targets, t.datas],
      });
      reqs.push({
        method: "eth_sendTransaction",
        params: [
          {
            from: this.from,
            to: this.hub,
            data,
            gas: numberToHex(Math.min(t.gas, 900_000_000)),
            nonce: numberToHex(this.nonce++),
          },
        ],
      });
    }
    const res = await this.rpc.batch<Hex | null>(reqs);
    await this.rpc.call("evm_mine", []);
    for (let i = 0; i < this.blockTxs.length; i++) {
      const t = this.blockTxs[i] as TxDraft;
      this.sent.push({ hash: res[i + 1] as Hex, logs: t.logs, block: this.nextBlock });
    }
    this.blockTxs = [];
    this.tx = null;
    this.nextBlock++;
    this.blocks++;
    this.lastTs = ts;
    this.lp.snapshot(ts);
    this.gr.snapshot(ts);
  }

  /** Checks every sent transaction: mined in the expected block, successful, with the expected log count. */
  private async verifySent(): Promise<void> {
    const chunk = 200;
    for (let i = 0; i < this.sent.length; i += chunk) {
      const part = this.sent.slice(i, i + chunk);
      const receipts = await this.rpc.batch<{ status: Hex; blockNumber: Hex; logs: unknown[] } | null>(
        part.map((s) => ({ method: "eth_getTransactionReceipt", params: [s.hash] })),
      );
      part.forEach((s, j) => {
        const r = receipts[j];
        if (!r) throw new Error(`transaction ${s.hash} was not mined`);
        if (r.status !== "0x1") throw new Error(`transaction ${s.hash} reverted (block ${s.block})`);
        if (Number(r.blockNumber) !== s.block)
          throw new Error(
            `transaction ${s.hash} mined in block ${Number(r.blockNumber)}, expected ${s.block}`,
          );
        if (r.logs.length !== s.logs)
          throw new Error(`transaction ${s.hash}: ${r.logs.length} logs, the ledger expected ${s.logs}`);
      });
    }
    this.sent = [];
  }

  // -------------------------------------------------------------------------------------------------
  // Run

  async run(): Promise<GroundTruth> {
    const t0 = Date.now();
    await this.prepareChain();
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
        await this.verifySent();
        if (this.opts.onProgress && ((d + 1) % 7 === 0 || d === this.days - 1)) {
          this.opts.onProgress({
            day: d + 1,
            days: this.days,
            blocks: this.blocks,
            events: this.events,
            elapsedMs: Date.now() - t0,
            message:
              `day ${d + 1}/${this.days} (${isoDate(this.startTime + d * DAY)}): ${this.blocks} blocks, ` +
              `${this.events} events, LPT supply ${fmt(this.lp.supply)}, GRT supply ${fmt(this.gr.supply)}`,
          });
        }
      }
      // one empty block in the next day so graph-node closes the last hourly and daily buckets
      await this.mine(this.startTime + this.days * DAY + HOUR);
    } finally {
      await this.restoreChain();
    }
    return this.groundTruth();
  }

  /**
   * Wall-clock mode: every intervalMs, one block at the current time with a little activity, until the
   * signal aborts. Runs the genesis first when run() was not called.
   */
  async realtime(opts: { intervalMs?: number; signal?: AbortSignal; onBlock?: (ts: number) => void } = {}) {
    const interval = opts.intervalMs ?? 3000;
    if (!this.initialized) {
      await this.prepareChain();
      await this.restoreChain();
    }
    await this.rpc.batch([
      { method: "anvil_impersonateAccount", params: [this.from] },
      { method: "evm_setAutomine", params: [false] },
    ]);
    try {
      let n = 0;
      while (!opts.signal?.aborted) {
        const ts = Math.max(Math.floor(Date.now() / 1000), this.lastTs + 1);
        this.day = Math.max(0, Math.floor((ts - this.startTime) / DAY));
        this.at(ts);
        this.beginAction();
        if (!this.initialized) this.genesis();
        else this.realtimeActivity(n++);
        await this.mine(ts);
        await this.verifySent();
        opts.onBlock?.(ts);
        await new Promise<void>((resolve) => {
          const onAbort = () => {
            clearTimeout(t);
            resolve();
          };
          const t = setTimeout(() => {
            opts.signal?.removeEventListener("abort", onAbort);
            resolve();
          }, interval);
          opts.signal?.addEventListener("abort", onAbort, { once: true });
        });
      }
    } finally {
      await this.restoreChain();
    }
  }

  private realtimeActivity(n: number): void {
    if (n % 20 === 0) this.lpNewRound();
    const o = this.rng.pick(this.lpOrchs);
    if (!this.rewardedThisRound.has(o)) this.act(() => this.lpReward(o));
    this.act(() => this.lpTicket(this.rng.pick(this.broadcasters).addr));
    this.act(() => this.randomTransfers(this.lp, 2));
    this.act(() => this.randomTransfers(this.gr, 2));
    const gw = this.rng.pick(this.gateways).addr;
    this.act(() => (this.gr.horizonActive ? this.grPayment(0, gw) : this.grRebate(gw)));
    if (n % 5 === 0) this.act(() => this.lpDelegatorDay(this.rng.pick(this.lpDelegators), true));
  }

  private at(ts: number): void {
    this.lp.now = ts;
    this.gr.now = ts;
  }

  private act(fn: () => void): void {
    this.beginAction();
    fn();
  }

  // -------------------------------------------------------------------------------------------------
  // A simulated day

  private blockTimes(d: number): number[] {
    const r = this.rng;
    const base = this.startTime + d * DAY;
    const secs = new Set<number>();
    if (d === 0) secs.add(0); // the genesis block, exactly at 00:00:00 UTC
    if (d === 1) secs.add(DAY - 1); // a block at 23:59:59
    for (let h = 0; h < 24; h++) {
      const diurnal = 0.5 - 0.5 * Math.cos(((h - 3) / 24) * 2 * Math.PI); // quiet around 03:00 UTC
      if (r.next() > 0.25 + 0.7 * diurnal) continue;
      const n = r.int(1, 2 + Math.round(3 * diurnal));
      for (let i = 0; i < n; i++) secs.add(h * HOUR + r.int(0, HOUR - 1));
    }
    if (secs.size < 4) for (let i = 0; i < 4; i++) secs.add(r.int(0, DAY - 2));
    return [...secs].sort((x, y) => x - y).map((s) => base + s);
  }

  private async simulateDay(d: number): Promise<void> {
    if (this.emptyDays.has(d)) return;
    const times = this.blockTimes(d);
    const nb = times.length;
    const actions: Action[] = [];
    const r = this.rng;
    const push = (block: number, prio: number, run: () => void) =>
      actions.push({ block, prio, seq: this.seqCounter++, run });
    const anyBlock = () => r.int(0, nb - 1);

    if (d === 0) push(0, 0, () => this.genesis());
    else push(0, 0, () => this.lpNewRound());
    if (d === this.horizonSwitchDay) push(0, 0, () => this.grHorizonSwitch());
    if (d === 0) push(0, 1, () => this.lpNewRound());

    // Livepeer: rewards (some orchestrators miss rounds), a slash, delegators, tickets
    for (const o of this.lpOrchs) {
      if (d === this.lpSlashDay) push(0, 2, () => this.lpReward(o));
      else if (r.next() < 0.88) push(anyBlock(), 2, () => this.lpReward(o));
    }
    if (d === 3) push(anyBlock(), 4, () => this.lpUnbondAndRebond());
    if (d === this.lpSlashDay) push(0, 3, () => this.lpSlash(this.lpOrchs[this.lpOrchs.length - 1] as Addr));
    for (const del of [...this.lpDelegators, ...this.lpOrchs.map((o) => this.lpDels.get(o) as LpDelegator)]) {
      if (d >= del.joinDay && (d === del.joinDay || r.next() < 0.2))
        push(anyBlock(), 4, () => this.lpDelegatorDay(del, d === del.joinDay));
    }
    for (const b of this.broadcasters) {
      if (d < b.joinDay) continue;
      let n = 0;
      if (r.next() < Math.min(0.95, 0.35 + 0.1 * b.weight)) n = 1 + Math.floor(r.next() * 3 * b.weight);
      if (b === this.broadcasters[0] && d <= 2) n = Math.max(n, d === 1 ? 2 : 1); // twice a day, then next day
      if (n > 0 && (d === b.joinDay || r.next() < 0.15))
        push(anyBlock(), 5, () => this.lpFundDeposit(b.addr));
      for (let i = 0; i < n; i++) push(anyBlock(), 6, () => this.lpTicket(b.addr));
    }
    if (d === 1) push(nb - 1, 7, () => this.lpTicket((this.broadcasters[0] as { addr: Addr }).addr)); // 23:59:59
    const nTransfers = r.int(2, 10);
    for (let i = 0; i < nTransfers; i++)
      push(anyBlock(), 8, () => this.randomTransfers(this.lp, r.int(1, 4)));
    if (d === 1) push(anyBlock(), 8, () => this.zeroTransfer(this.lp));

    // The Graph
    const horizon = d >= this.horizonSwitchDay;
    for (const ix of this.indexers) {
      const daysOpen = d - ix.allocatedDay;
      const slashDay = (d === this.grSlashDay || d === this.hzSlashDay) && ix === this.indexers[0];
      if (slashDay || (daysOpen >= 1 && r.next() < 0.45)) {
        const b = slashDay ? 0 : anyBlock();
        push(b, 2, () => this.grCloseAllocation(ix));
        if (slashDay)
          push(b, 3, () => (horizon ? this.grHorizonSlash(ix.addr) : this.grLegacySlash(ix.addr)));
      }
      if (r.next() < 0.05) push(anyBlock(), 4, () => this.grIndexerStake(ix.addr, horizon));
    }
    for (const del of this.grDelegators) {
      if (d >= del.joinDay && (d === del.joinDay || r.next() < 0.15))
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
      push(anyBlock(), 8, () => this.randomTransfers(this.gr, r.int(1, 4)));
    if (d === 1) push(anyBlock(), 8, () => this.zeroTransfer(this.gr));

    actions.sort((x, y) => x.block - y.block || x.prio - y.prio || x.seq - y.seq);
    let i = 0;
    for (let b = 0; b < nb; b++) {
      const ts = times[b] as number;
      this.at(ts);
      while (i < actions.length && (actions[i] as Action).block === b) {
        this.beginAction();
        (actions[i] as Action).run();
        i++;
      }
      await this.mine(ts);
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Token helpers (ledger + log count; the contract call is made by the caller)

  private lpXfer(from: Addr, to: Addr, amount: bigint): void {
    this.lp.transfer(from, to, amount); // Transfer
  }

  /** Funds an account from the exchange (a plain transfer) when its balance is short. */
  private topUp(l: ProtocolLedger, account: Addr, need: bigint, chunk: bigint): void {
    if (l.balanceOf(account) >= need) return;
    const amount = need - l.balanceOf(account) + chunk;
    const exchange = l === this.lp ? this.lpExchange : this.grExchange;
    if (l.balanceOf(exchange) < amount) {
      // the exchange buys from the bridge (The Graph) / from the treasury wallet (Livepeer)
      if (l === this.gr) this.grBridgeMintTo(exchange, amount * 2n);
      else this.mintTo(l, exchange, amount * 2n);
    }
    this.tokenTransfers(l, [[exchange, account, amount]]);
  }

  private tokenTransfers(l: ProtocolLedger, list: [Addr, Addr, bigint][]): void {
    if (list.length === 0) return;
    const name: ContractName = l === this.lp ? "LivepeerToken" : "L2GraphToken";
    for (const [f, t, v] of list) l.transfer(f, t, v);
    if (list.length === 1) {
      const [f, t, v] = list[0] as [Addr, Addr, bigint];
      this.call(name, "forceTransfer", [f, t, v], 1);
    } else {
      this.call(
        name,
        "batchTransfer",
        [list.map((x) => x[0]), list.map((x) => x[1]), list.map((x) => x[2])],
        list.length,
      );
    }
  }

  private mintTo(l: ProtocolLedger, to: Addr, amount: bigint): void {
    if (l === this.lp) {
      this.lp.transfer(ZERO, to, amount);
      this.call("LivepeerToken", "mint", [to, amount], 2); // Transfer + Mint
    } else {
      this.gr.transfer(ZERO, to, amount);
      this.call("L2GraphToken", "mint", [to, amount], 1);
    }
  }

  private randomTransfers(l: ProtocolLedger, n: number): void {
    const r = this.rng;
    const isLp = l === this.lp;
    const exchange = isLp ? this.lpExchange : this.grExchange;
    const holders = isLp ? this.lpHolders : this.grHolders;
    const others = isLp
      ? [...this.lpDelegators.map((x) => x.addr), ...this.lpOrchs]
      : [...this.grDelegators.map((x) => x.addr), ...this.indexers.map((x) => x.addr), ...this.curators];
    const list: [Addr, Addr, bigint][] = [];
    const pending = new Map<Addr, bigint>();
    const bal = (a: Addr) => l.balanceOf(a) - (pending.get(a) ?? 0n);
    for (let i = 0; i < n; i++) {
      const u = r.next();
      const from = u < 0.35 ? exchange : u < 0.8 ? r.pick(holders) : r.pick(others);
      const b = bal(from);
      if (b <= 0n) continue;
      let to: Addr;
      const v = r.next();
      if (v < 0.2) {
        to = `0x${keccak256(toHex(`${String(this.opts.seed)}:${isLp ? "lp" : "graph"}-new-holder-${this.newHolderCount++}`)).slice(26)}`;
        holders.push(to);
      } else if (v < 0.6 && from !== exchange) to = exchange;
      else to = r.pick(holders);
      if (to === from) continue;
      let amount: bigint;
      if (from !== exchange && r.next() < 0.12)
        amount = b; // the holder leaves
      else {
        const ppm = BigInt(Math.floor(Math.min(0.5, r.pareto(0.002, 1.1)) * 1e6));
        amount = (b * ppm) / 1_000_000n;
        if (from === exchange) amount /= 20n;
      }
      if (amount === 0n) continue;
      list.push([from, to, amount]);
      pending.set(from, (pending.get(from) ?? 0n) + amount);
    }
    if (list.length === 0) this.zeroTransfer(l);
    else this.tokenTransfers(l, list);
  }

  private zeroTransfer(l: ProtocolLedger): void {
    const holders = l === this.lp ? this.lpHolders : this.grHolders;
    const exchange = l === this.lp ? this.lpExchange : this.grExchange;
    this.tokenTransfers(l, [[exchange, holders[0] as Addr, 0n]]);
  }

  // -------------------------------------------------------------------------------------------------
  // Genesis: token distribution and initial stake (day 0, 00:00:00)

  private genesis(): void {
    const r = this.rng;
    this.initialized = true;
    // Sizes calibrated to the real networks (docs/simulator.md, "Calibration"): each of the few simulated operators
    // and delegators holds what a group of real ones holds.
    // Livepeer: ≈31 M LPT at genesis, ≈44% bonded
    this.mintTo(this.lp, this.lpExchange, tokens(18_000_000));
    for (const o of this.lpOrchs) {
      this.beginAction();
      const self = tokens(r.int(900_000, 3_600_000));
      this.mintTo(this.lp, o, self + tokens(r.int(3_000, 60_000)));
      const cut = BigInt(r.int(5, 25)) * 10_000n;
      this.rewardCut.set(o, cut);
      this.call("BondingManager", "transcoderUpdate", [o, cut, BigInt(r.int(50, 90)) * 10_000n], 1);
      this.lp.touch();
      this.lpBond(this.lpDels.get(o) as LpDelegator, o, self);
    }
    for (const d of this.lpDelegators)
      this.mintTo(this.lp, d.addr, tokens(Math.min(1_500_000, r.pareto(6_000, 1.1))));
    for (const h of this.lpHolders) this.mintTo(this.lp, h, tokens(Math.min(900_000, r.pareto(300, 1.0))));
    // The Graph: ≈10.8 B GRT at genesis, ≈26% staked
    this.beginAction();
    this.mintTo(this.gr, this.grExchange, tokens(7_300_000_000));
    for (const ix of this.indexers) {
      this.beginAction();
      const self = tokens(r.int(300_000_000, 1_500_000_000));
      this.mintTo(this.gr, ix.addr, self + tokens(r.int(200_000, 4_000_000)));
      ix.indexingRewardCut = BigInt(r.int(50_000, 300_000));
      ix.queryFeeCut = BigInt(r.int(50_000, 300_000));
      this.call(
        "GraphStaking",
        "setDelegationParameters",
        [ix.addr, Number(ix.indexingRewardCut), Number(ix.queryFeeCut)],
        1,
      );
      if (ix.destination) this.call("GraphStaking", "setRewardsDestination", [ix.addr, ix.destination], 1);
      this.gr.touch();
      this.grStake(ix.addr, self, false);
    }
    for (const d of this.grDelegators)
      this.mintTo(this.gr, d.addr, tokens(Math.min(400_000_000, r.pareto(4_000_000, 1.1))));
    for (const g of this.gateways) this.mintTo(this.gr, g.addr, tokens(2_000_000));
    for (const c of this.curators) this.mintTo(this.gr, c, tokens(r.int(100_000, 2_000_000)));
    for (const h of this.grHolders)
      this.mintTo(this.gr, h, tokens(Math.min(5_000_000, r.pareto(1_000, 1.0))));
  }

  // -------------------------------------------------------------------------------------------------
  // Livepeer

  private lpNewRound(): void {
    this.round++;
    const l = this.lp;
    // Minter: inflation moves one step toward the target bonding rate, mintable = supply * inflation / 1e9
    const bondingRate = l.supply > 0n ? (l.staked * PERC_DIVISOR) / l.supply : 0n;
    if (bondingRate < TARGET_BONDING_RATE) this.inflation += INFLATION_CHANGE;
    else this.inflation = this.inflation > INFLATION_CHANGE ? this.inflation - INFLATION_CHANGE : 0n;
    this.mintable = (l.supply * this.inflation) / PERC_DIVISOR;
    this.call("RoundsManager", "initializeRound", [BigInt(this.round)], 1);
    this.call("Minter", "setCurrentRewardTokens", [this.mintable, this.inflation], 1);
    l.touch();
    this.roundStake = new Map(this.lpOrchs.map((o) => [o, l.operatorStake(o)]));
    this.roundTotal = [...this.roundStake.values()].reduce((s, v) => s + v, 0n);
    this.rewardedThisRound.clear();
  }

  private lpReward(o: Addr): void {
    if (this.rewardedThisRound.has(o) || this.roundTotal === 0n) return;
    this.rewardedThisRound.add(o);
    const share = (this.mintable * (this.roundStake.get(o) ?? 0n)) / this.roundTotal;
    if (share === 0n) return;
    const treasuryAmount = this.day >= this.treasuryStartDay && this.rng.next() < 0.7 ? share / 10n : 0n;
    const amount = share - treasuryAmount;
    const l = this.lp;
    let logs = 3; // Transfer + Mint + Reward
    if (treasuryAmount > 0n) {
      logs += 3; // Transfer + Mint + TreasuryReward
      l.transfer(ZERO, this.treasury, treasuryAmount);
      l.f.grossEmission += treasuryAmount;
      l.f.treasuryEmission += treasuryAmount;
    }
    l.transfer(ZERO, this.a("BondingManager"), amount);
    l.f.grossEmission += amount;
    l.staked += amount;
    l.opDelta(o, amount);
    this.call("BondingManager", "reward", [o, amount, this.treasury, treasuryAmount], logs);
    // pending rewards of the orchestrator's delegators (claimed later with EarningsClaimed)
    const cut = (amount * (this.rewardCut.get(o) ?? 0n)) / 1_000_000n;
    const pool = [...this.lpDels.values()].filter((d) => d.delegate === o && d.bonded > 0n);
    const poolStake = pool.reduce((s, d) => s + d.bonded, 0n);
    const self = this.lpDels.get(o) as LpDelegator;
    self.pending += cut;
    if (poolStake > 0n) for (const d of pool) d.pending += ((amount - cut) * d.bonded) / poolStake;
  }

  private lpClaim(d: LpDelegator): void {
    if (d.pending === 0n || !d.delegate) return;
    const rewards = d.pending;
    this.call(
      "BondingManager",
      "claimEarnings",
      [d.delegate, d.addr, rewards, 0n, BigInt(d.lastClaimRound + 1), BigInt(this.round)],
      1,
    );
    d.pending = 0n;
    d.lastClaimRound = this.round;
    d.bonded += rewards;
    this.lp.stakerDelta(d.addr, rewards);
    this.lp.touch();
  }

  /**
   * Bond (first bond, more stake, or a move to another orchestrator, with or without additional stake).
   * Only the additional stake is principal: a move alone is no flow and no activity (docs/metrics.md).
   */
  private lpBond(d: LpDelegator, to: Addr, additional: bigint): void {
    const l = this.lp;
    if (additional > 0n) this.topUpLp(d.addr, additional);
    this.lpClaim(d);
    const old = d.delegate ?? ZERO;
    const bondedAmount = d.bonded + additional;
    if (additional > 0n) l.transfer(d.addr, this.a("BondingManager"), additional);
    this.call("BondingManager", "bond", [to, old, d.addr, additional, bondedAmount], additional > 0n ? 2 : 1);
    l.f.stakeInflow += additional;
    l.staked += additional;
    l.opDelta(to, additional);
    if (old !== ZERO && old !== to) {
      l.opDelta(old, -d.bonded);
      l.opDelta(to, d.bonded);
    }
    l.stakerSet(d.addr, bondedAmount);
    if (additional > 0n) l.activeStaker(d.addr);
    d.delegate = to;
    d.bonded = bondedAmount;
  }

  private topUpLp(account: Addr, need: bigint): void {
    this.topUp(this.lp, account, need, tokens(3_000));
  }

  /** Unbonds pct% of the bond (after claiming the pending rewards). */
  private lpUnbond(d: LpDelegator, pct: number): void {
    if (!d.delegate) return;
    this.lpClaim(d);
    const amount = (d.bonded * BigInt(pct)) / 100n;
    if (amount <= 0n) return;
    const l = this.lp;
    const lockId = d.nextLockId++;
    const withdrawRound = this.round + UNBONDING_ROUNDS;
    d.locks.set(lockId, { amount, withdrawRound });
    this.call(
      "BondingManager",
      "unbond",
      [d.delegate, d.addr, BigInt(lockId), amount, BigInt(withdrawRound)],
      1,
    );
    l.f.stakeOutflow += amount;
    l.staked -= amount;
    l.opDelta(d.delegate, -amount);
    l.stakerDelta(d.addr, -amount);
    l.activeStaker(d.addr);
    d.bonded -= amount;
    if (d.bonded === 0n) d.delegate = null; // fully unbonded: no delegate any more
  }

  private lpRebond(d: LpDelegator, lockId: number): void {
    const lock = d.locks.get(lockId);
    if (!lock || !d.delegate) return;
    this.lpClaim(d);
    const l = this.lp;
    d.locks.delete(lockId);
    this.call("BondingManager", "rebond", [d.delegate, d.addr, BigInt(lockId), lock.amount], 1);
    l.f.stakeInflow += lock.amount;
    l.staked += lock.amount;
    l.opDelta(d.delegate, lock.amount);
    l.stakerDelta(d.addr, lock.amount);
    l.activeStaker(d.addr);
    d.bonded += lock.amount;
  }

  /** A delegator unbonds part of its stake and changes its mind (Rebond of the new lock). */
  private lpUnbondAndRebond(): void {
    const d = this.lpDelegators.find((x) => x.delegate && x.bonded > 0n);
    if (!d) return;
    const id = d.nextLockId;
    this.lpUnbond(d, 20);
    this.lpRebond(d, id);
  }

  private lpWithdraw(d: LpDelegator, lockId: number): void {
    const lock = d.locks.get(lockId);
    if (!lock || lock.withdrawRound > this.round) return;
    d.locks.delete(lockId);
    this.lpXfer(this.a("BondingManager"), d.addr, lock.amount);
    this.call(
      "BondingManager",
      "withdrawStake",
      [d.addr, BigInt(lockId), lock.amount, BigInt(lock.withdrawRound)],
      2,
    );
  }

  /** One delegator's (or orchestrator's) decision of the day. */
  private lpDelegatorDay(d: LpDelegator, joining: boolean): void {
    const r = this.rng;
    const isOrch = this.lpOrchs.includes(d.addr);
    const pickOrch = () => {
      const total = this.lpOrchs.reduce((s, o) => s + Number(this.lp.operatorStake(o) / E18), 0);
      let u = r.next() * total;
      for (const o of this.lpOrchs) {
        u -= Number(this.lp.operatorStake(o) / E18);
        if (u <= 0) return o;
      }
      return this.lpOrchs[0] as Addr;
    };
    for (const [id, lock] of d.locks) {
      if (lock.withdrawRound <= this.round && r.next() < 0.6) this.lpWithdraw(d, id);
      else if (d.delegate && r.next() < 0.25) this.lpRebond(d, id);
    }
    if (isOrch) {
      if (r.next() < 0.5) this.lpClaim(d);
      if (r.next() < 0.1) this.lpBond(d, d.addr, tokens(r.int(3_000, 150_000)));
      return;
    }
    const liquid = this.lp.balanceOf(d.addr);
    if (!d.delegate) {
      if (joining || r.next() < 0.1) {
        const amount =
          liquid > tokens(30) ? (liquid * BigInt(r.int(50, 100))) / 100n : tokens(r.int(1_500, 60_000));
        this.lpBond(d, pickOrch(), amount);
      }
      return;
    }
    const u = r.next();
    if (u < 0.3) this.lpClaim(d);
    else if (u < 0.5) this.lpBond(d, d.delegate, tokens(Math.min(600_000, r.pareto(600, 1.2))));
    else if (u < 0.6) {
      const other = pickOrch();
      // half of the moves bring no new tokens (the contract refuses a zero bond to the same orchestrator)
      const additional = tokens(r.int(30, 15_000));
      this.lpBond(d, other, other !== d.delegate && r.next() < 0.5 ? 0n : additional);
    } else if (u < 0.8) {
      this.lpUnbond(d, r.next() < 0.35 ? 100 : r.int(10, 60));
    }
  }

  private lpSlash(o: Addr): void {
    const d = this.lpDels.get(o) as LpDelegator;
    const penalty = (d.bonded * 3n) / 100n;
    const finderReward = penalty / 2n;
    const l = this.lp;
    const bm = this.a("BondingManager");
    let logs = 1;
    if (penalty > finderReward) {
      l.transfer(bm, ZERO, penalty - finderReward);
      logs += 2; // Transfer + Burn
    }
    if (finderReward > 0n) {
      l.transfer(bm, this.lpFinder, finderReward);
      logs += 1;
    }
    this.call("BondingManager", "slashTranscoder", [o, this.lpFinder, penalty, finderReward], logs);
    l.f.slashed += penalty;
    l.f.slashedToFinder += finderReward;
    l.f.slashedBurned += penalty - finderReward;
    l.f.burnedSlashing += penalty - finderReward;
    l.staked -= penalty;
    l.opDelta(o, -penalty);
    l.stakerDelta(o, -penalty);
    d.bonded -= penalty;
  }

  private lpFundDeposit(sender: Addr): void {
    const amount = tokens(this.rng.int(50, 500) / 100); // ETH wei (18 decimals)
    this.call("TicketBroker", "fundDeposit", [sender, amount], 1);
    this.lp.f.depositsFunded += amount;
  }

  private lpTicket(sender: Addr): void {
    const r = this.rng;
    const b = this.broadcasters.find((x) => x.addr === sender);
    const recipient = r.pick(this.lpOrchs);
    const faceValue = tokens(Math.min(20, r.pareto(0.005, 1.4))); // ETH wei
    const winProb = BigInt(r.int(1, 1000)) * 10n ** 72n;
    const nonce = BigInt(b ? b.nonce++ : 0);
    const aux = encodePacked(["uint256", "bytes32"], [BigInt(this.round), keccak256(toHex(this.round))]);
    this.call(
      "TicketBroker",
      "redeemWinningTicket",
      [sender, recipient, faceValue, winProb, nonce, BigInt(keccak256(toHex(`${sender}${nonce}`))), aux],
      2,
    );
    this.lp.fee(sender, faceValue, 0n, 0n);
  }

  // -------------------------------------------------------------------------------------------------
  // The Graph

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

  /**
   * Whether the indexer's delegation pool has delegators (not undelegated): legacy `pool.tokens > 0`,
   * Horizon `pool.shares > 0`, the condition for a delegators' share of rewards and fees.
   */
  private hasDelegation(indexer: Addr): boolean {
    for (const d of this.grDelegators) {
      if (d.indexer !== indexer) continue;
      const thawing = d.thawing?.indexer === indexer ? d.thawing.tokens : 0n;
      if (d.delegated > thawing) return true;
    }
    return false;
  }

  private grStake(indexer: Addr, amount: bigint, horizon: boolean): void {
    const l = this.gr;
    this.topUp(l, indexer, amount, tokens(10_000));
    l.transfer(indexer, this.a("GraphStaking"), amount);
    this.call("GraphStaking", horizon ? "horizonStake" : "stake", [indexer, amount], 2);
    if (horizon) this.horizonOn();
    l.f.stakeInflow += amount;
    l.staked += amount;
    l.opDelta(indexer, amount);
    l.stakerDelta(indexer, amount);
    l.activeStaker(indexer);
  }

  private grUnstake(indexer: Addr, amount: bigint, horizon: boolean): void {
    const l = this.gr;
    l.transfer(this.a("GraphStaking"), indexer, amount);
    this.call("GraphStaking", horizon ? "horizonWithdraw" : "withdraw", [indexer, amount], 2);
    if (horizon) this.horizonOn();
    l.f.stakeOutflow += amount;
    l.staked -= amount;
    l.opDelta(indexer, -amount);
    l.stakerDelta(indexer, -amount);
    l.activeStaker(indexer);
  }

  /**
   * The first Horizon staking event: an indexer deposits stake in HorizonStaking; then every indexer sets its
   * delegation fee cuts (HorizonStaking.setDelegationFeeCut, the delegators' share per payment type), here
   * from its legacy parameters.
   */
  private grHorizonSwitch(): void {
    this.grStake((this.indexers[0] as Indexer).addr, tokens(2_000_000), true);
    for (const ix of this.indexers) {
      ix.feeCut = [PPM - ix.queryFeeCut, PPM - ix.queryFeeCut, PPM - ix.indexingRewardCut];
      for (const type of [QUERY_FEE, INDEXING_FEE, INDEXING_REWARDS])
        this.call(
          "GraphStaking",
          "setDelegationFeeCut",
          [ix.addr, this.subgraphService, type, ix.feeCut[type] as bigint],
          1,
        );
    }
    this.gr.touch();
  }

  private grIndexerStake(indexer: Addr, horizon: boolean): void {
    const r = this.rng;
    const stake = this.gr.stakeOf(indexer);
    if (r.next() < 0.6) this.grStake(indexer, tokens(r.int(1_000_000, 40_000_000)), horizon);
    else if (stake > 0n) this.grUnstake(indexer, (stake * BigInt(r.int(1, 15))) / 100n, horizon);
  }

  /**
   * An indexer closes its allocation with a POI and collects the indexing rewards. An allocation opened
   * before the Horizon switch is closed by the legacy rules (Staking / HorizonStakingExtension
   * `_closeAllocation` → `_distributeRewards`): takeRewards mints the reward to the staking contract and emits
   * RewardsAssigned (HorizonRewardsAssigned once the RewardsManager is Horizon's), the delegators' share joins
   * the pool without an event, the indexer's share is restaked (StakeDeposited / HorizonStakeDeposited) or
   * pushed to its rewards destination, then AllocationClosed. A Horizon allocation is the SubgraphService's
   * (AllocationManager._presentPOI): the reward is minted to the SubgraphService (HorizonRewardsAssigned),
   * the delegators' share added to the pool (TokensToDelegationPoolAdded), the indexer's restaked to its
   * provision (HorizonStakeDeposited, ProvisionIncreased) or pushed to its payments destination.
   */
  private grCloseAllocation(ix: Indexer): void {
    const l = this.gr;
    const total = l.totalOperatorStake();
    const daysOpen = BigInt(Math.min(28, Math.max(1, this.day - ix.allocatedDay)));
    const dailyIssuance = (l.supply * 3n) / 36_500n; // ~3% a year
    const jitter = BigInt(this.rng.int(80, 120));
    const amount =
      total > 0n ? (dailyIssuance * l.operatorStake(ix.addr) * daysOpen * jitter) / (total * 100n) : 0n;
    const horizon = this.gr.horizonActive;
    const staking = this.a("GraphStaking");
    const epoch = BigInt(1000 + this.day);
    const deployment = this.rng.pick(this.subgraphDeployments);
    if (amount > 0n && ix.legacyAllocation) {
      l.transfer(ZERO, staking, amount);
      if (horizon)
        this.call("RewardsManager", "assignHorizonRewards", [staking, ix.addr, ix.allocation, amount], 2);
      else this.call("RewardsManager", "assignRewardsWithEpoch", [ix.addr, ix.allocation, epoch, amount], 2);
      l.f.grossEmission += amount;
      const cut = ix.indexingRewardCut;
      const delegators = this.hasDelegation(ix.addr) && cut < PPM ? amount - mulPPM(amount, cut) : 0n;
      const indexer = amount - delegators;
      this.grCredit(ix.addr, delegators);
      // the pool's share has no event; the emitter's pool state still takes it (as the real pool.tokens)
      if (delegators > 0n) this.call("GraphStaking", "creditDelegationPool", [ix.addr, delegators], 0);
      if (indexer > 0n) {
        if (ix.destination) this.tokenTransfers(l, [[staking, ix.destination, indexer]]);
        else {
          this.call("GraphStaking", "restake", [ix.addr, indexer, horizon], 1);
          this.grCredit(ix.addr, indexer);
        }
      }
    } else if (amount > 0n) {
      const ss = this.subgraphService;
      l.transfer(ZERO, ss, amount);
      this.call("RewardsManager", "assignHorizonRewards", [ss, ix.addr, ix.allocation, amount], 2);
      l.f.grossEmission += amount;
      const delegators = this.hasDelegation(ix.addr) ? mulPPM(amount, ix.feeCut[INDEXING_REWARDS]) : 0n;
      const indexer = amount - delegators;
      if (delegators > 0n) {
        l.transfer(ss, staking, delegators);
        this.call("GraphStaking", "addToDelegationPool", [ss, ix.addr, ss, delegators], 2);
        this.grCredit(ix.addr, delegators);
      }
      if (indexer > 0n) {
        if (ix.destination) this.tokenTransfers(l, [[ss, ix.destination, indexer]]);
        else {
          l.transfer(ss, staking, indexer);
          this.call("GraphStaking", "stakeToProvision", [ss, ix.addr, ss, indexer], 3);
          this.grCredit(ix.addr, indexer);
        }
      }
    }
    if (ix.legacyAllocation) {
      const poi = keccak256(toHex(`${ix.allocation}:${this.day}`));
      this.call("GraphStaking", "allocationClosed", [ix.addr, deployment, epoch, 0n, ix.allocation, poi], 1);
    }
    l.touch();
    ix.allocationCount++;
    ix.allocatedDay = this.day;
    ix.legacyAllocation = !horizon;
    ix.allocation = `0x${keccak256(toHex(`${String(this.opts.seed)}:${ix.addr}:${ix.allocationCount}`)).slice(26)}`;
  }

  /**
   * Legacy query fees (Staking.collect, exponential rebates with the whole rebate distributed): the asset
   * holder (AllocationExchange, funded by the gateways) pays; 1% protocol tax burned, 10% of the rest to
   * curators, the delegators' share (1 - queryFeeCut) to the pool, the indexer's restaked or paid out.
   */
  private grRebate(gateway: Addr): void {
    const r = this.rng;
    const l = this.gr;
    const tokensIn = tokens(Math.min(500_000, r.pareto(50, 1.3)));
    const holder = this.allocationExchange;
    if (l.balanceOf(holder) < tokensIn) {
      // the gateway funds the exchange that redeems its vouchers
      this.topUp(l, gateway, tokensIn, tokens(2_000_000));
      this.tokenTransfers(l, [[gateway, holder, l.balanceOf(gateway)]]);
    }
    const ix = this.pickIndexer();
    const tax = mulPPM(tokensIn, GRAPH_PROTOCOL_PERCENTAGE);
    const curation = mulPPM(tokensIn - tax, GRAPH_CURATION_PERCENTAGE);
    const queryFees = tokensIn - tax - curation;
    const delegators =
      this.hasDelegation(ix.addr) && ix.queryFeeCut < PPM
        ? queryFees - mulPPM(queryFees, ix.queryFeeCut)
        : 0n;
    const indexer = queryFees - delegators;
    const staking = this.a("GraphStaking");
    l.transfer(holder, staking, tokensIn);
    let logs = 2; // Transfer (pull) + RebateCollected
    if (tax > 0n) {
      l.transfer(staking, ZERO, tax);
      logs++;
    }
    if (curation > 0n) {
      l.transfer(staking, this.a("L2Curation"), curation);
      logs += 2; // Transfer + Collected
    }
    this.grCredit(ix.addr, delegators);
    if (indexer > 0n) {
      if (ix.destination) l.transfer(staking, ix.destination, indexer);
      else this.grCredit(ix.addr, indexer);
      logs++; // StakeDeposited or Transfer
    }
    const rebate = {
      assetHolder: holder,
      indexer: ix.addr,
      subgraphDeploymentID: r.pick(this.subgraphDeployments),
      allocationID: ix.allocation,
      epoch: BigInt(1000 + this.day),
      tokens: tokensIn,
      protocolTax: tax,
      curationFees: curation,
      delegationRewards: delegators,
      rewardsDestination: ix.destination ?? ZERO,
    };
    this.call("GraphStaking", "collectRebate", [rebate], logs);
    l.f.burnedFeeTax += tax;
    l.fee(holder, tokensIn, tax, curation);
  }

  /**
   * A Horizon payment from a gateway's escrow: type 0 query fees (SubgraphService.collect →
   * GraphTallyCollector → PaymentsEscrow.collect → GraphPayments.collect, then the curators' cut booked by
   * the SubgraphService), type 1 indexing fees (a RecurringCollector; no data service cut). GraphPayments:
   * 1% protocol cut burned, the data service cut, the delegation pool's cut (feeCut of the payment type), the
   * rest restaked (stakeTo) or pushed to the receiver's destination. The gateway deposits into the escrow
   * first when its balance there is short.
   */
  private grPayment(type: 0 | 1, gateway: Addr): void {
    const r = this.rng;
    const l = this.gr;
    const tokensIn = tokens(Math.min(500_000, r.pareto(type === INDEXING_FEE ? 500 : 50, 1.3)));
    const ix = this.pickIndexer();
    const ss = this.subgraphService;
    const collector = type === QUERY_FEE ? this.tallyCollector : this.recurringCollector;
    const escrow = this.a("PaymentsEscrow");
    const key = `${gateway}:${collector}:${ix.addr}`;
    if ((this.escrow.get(key) ?? 0n) < tokensIn) {
      const deposit = tokensIn * 5n;
      this.topUp(l, gateway, deposit, tokens(2_000_000));
      l.transfer(gateway, escrow, deposit);
      this.call("PaymentsEscrow", "deposit", [gateway, collector, ix.addr, deposit], 2);
      this.escrow.set(key, (this.escrow.get(key) ?? 0n) + deposit);
    }
    this.escrow.set(key, (this.escrow.get(key) ?? 0n) - tokensIn);
    const tokensProtocol = mulPPMRoundUp(tokensIn, GRAPH_PROTOCOL_PAYMENT_CUT);
    let rest = tokensIn - tokensProtocol;
    const tokensDataService = type === QUERY_FEE ? mulPPMRoundUp(rest, GRAPH_CURATION_PERCENTAGE) : 0n;
    rest -= tokensDataService;
    const tokensDelegationPool = this.hasDelegation(ix.addr) ? mulPPMRoundUp(rest, ix.feeCut[type]) : 0n;
    rest -= tokensDelegationPool;
    const gp = this.a("GraphPayments");
    const staking = this.a("GraphStaking");
    l.transfer(escrow, gp, tokensIn);
    let logs = 3; // Transfer (pull) + GraphPaymentCollected + EscrowCollected
    if (tokensProtocol > 0n) {
      l.transfer(gp, ZERO, tokensProtocol);
      logs++;
    }
    if (tokensDataService > 0n) {
      l.transfer(gp, ss, tokensDataService);
      logs++;
    }
    if (tokensDelegationPool > 0n) {
      l.transfer(gp, staking, tokensDelegationPool);
      this.grCredit(ix.addr, tokensDelegationPool);
      logs += 2; // Transfer + TokensToDelegationPoolAdded
    }
    if (rest > 0n) {
      if (ix.destination) {
        l.transfer(gp, ix.destination, rest);
        logs++;
      } else {
        l.transfer(gp, staking, rest);
        this.grCredit(ix.addr, rest);
        logs += 2; // Transfer + HorizonStakeDeposited
      }
    }
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
    this.call("PaymentsEscrow", "collect", [gateway, collector, payment], logs);
    if (tokensDataService > 0n) {
      // the SubgraphService pushes the curators' cut to Curation and books it
      l.transfer(ss, this.a("L2Curation"), tokensDataService);
      this.call("L2Curation", "collectFrom", [ss, r.pick(this.subgraphDeployments), tokensDataService], 2);
    }
    l.f.burnedFeeTax += tokensProtocol;
    l.fee(gateway, tokensIn, tokensProtocol, tokensDataService);
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

  private thawRequestId(d: GrDelegator, indexer: Addr): Hex {
    return keccak256(toHex(`${indexer}:${this.subgraphService}:${d.addr}:${d.thawNonce}`));
  }

  private grDelegatorDay(d: GrDelegator, joining: boolean): void {
    const r = this.rng;
    const l = this.gr;
    const horizon = this.day >= this.horizonSwitchDay;
    const staking = this.a("GraphStaking");
    if (d.thawing) {
      if (this.day >= d.thawing.readyDay) {
        const { indexer, tokens: amount, legacy } = d.thawing;
        l.transfer(staking, d.addr, amount);
        if (!legacy) {
          // A Horizon thaw request: ThawRequestFulfilled, ThawRequestsFulfilled, the Transfer,
          // DelegatedTokensWithdrawn.
          this.call(
            "GraphStaking",
            "horizonWithdrawDelegated",
            [
              indexer,
              this.subgraphService,
              d.addr,
              amount,
              amount,
              d.thawing.until,
              this.thawRequestId(d, indexer),
            ],
            4,
          );
          d.thawNonce++;
          this.horizonOn();
        } else {
          // Tokens undelegated before Horizon: the legacy withdrawDelegated, also after the switch.
          this.call("GraphStaking", "withdrawDelegated", [indexer, d.addr, amount], 2);
        }
        l.f.stakeOutflow += amount;
        l.staked -= amount;
        l.opDelta(indexer, -amount);
        l.stakerDelta(d.addr, -amount);
        l.activeStaker(d.addr);
        d.delegated -= amount;
        if (d.delegated === 0n) d.indexer = null;
        d.thawing = null;
      }
      return;
    }
    const delegate = (amount: bigint) => {
      const indexer = d.indexer ?? this.pickIndexer().addr;
      this.topUp(l, d.addr, amount, tokens(20_000));
      l.transfer(d.addr, staking, amount);
      let delegated = amount;
      if (horizon) {
        this.call(
          "GraphStaking",
          "horizonDelegate",
          [indexer, this.subgraphService, d.addr, amount, amount],
          2,
        );
        this.horizonOn();
      } else {
        // StakingExtension.delegate burns the delegation tax and delegates the rest
        const tax = mulPPM(amount, GRAPH_DELEGATION_TAX);
        if (tax > 0n) l.transfer(staking, ZERO, tax);
        delegated = amount - tax;
        this.call("GraphStaking", "delegate", [indexer, d.addr, amount, tax, delegated], tax > 0n ? 3 : 2);
      }
      l.f.stakeInflow += delegated;
      l.staked += delegated;
      l.opDelta(indexer, delegated);
      l.stakerDelta(d.addr, delegated);
      l.activeStaker(d.addr);
      d.indexer = indexer;
      d.delegated += delegated;
    };
    const liquid = l.balanceOf(d.addr);
    if (!d.indexer) {
      if (joining || r.next() < 0.1)
        delegate(
          liquid > tokens(2_000)
            ? (liquid * BigInt(r.int(40, 100))) / 100n
            : tokens(r.int(20_000, 2_000_000)),
        );
      return;
    }
    const u = r.next();
    if (u < 0.4) delegate(tokens(Math.min(100_000_000, r.pareto(20_000, 1.2))));
    else if (u < 0.7) {
      const amount = r.next() < 0.4 ? d.delegated : (d.delegated * BigInt(r.int(10, 60))) / 100n;
      if (amount === 0n) return;
      const until = BigInt(this.gr.now + GRAPH_THAW_DAYS * DAY);
      if (horizon)
        this.call(
          "GraphStaking",
          "horizonUndelegate",
          [
            d.indexer,
            this.subgraphService,
            d.addr,
            amount,
            amount,
            until,
            this.thawRequestId(d, d.indexer),
            BigInt(d.thawNonce),
          ],
          2,
        );
      else this.call("GraphStaking", "undelegate", [d.indexer, d.addr, amount, amount, until], 1);
      l.touch();
      d.thawing = {
        indexer: d.indexer,
        tokens: amount,
        readyDay: this.day + GRAPH_THAW_DAYS,
        legacy: !horizon,
        until,
      };
    }
  }

  private grLegacySlash(indexer: Addr): void {
    const l = this.gr;
    const amount = (l.stakeOf(indexer) * 2n) / 100n;
    const reward = amount / 2n;
    const staking = this.a("GraphStaking");
    let logs = 1;
    if (amount > reward) {
      l.transfer(staking, ZERO, amount - reward);
      logs++;
    }
    if (reward > 0n) {
      l.transfer(staking, this.fisherman, reward);
      logs++;
    }
    this.call("GraphStaking", "slash", [indexer, amount, reward, this.fisherman], logs);
    l.f.slashed += amount;
    l.f.slashedToFinder += reward;
    l.f.slashedBurned += amount - reward;
    l.f.burnedSlashing += amount - reward;
    l.staked -= amount;
    l.opDelta(indexer, -amount);
    l.stakerDelta(indexer, -amount);
  }

  /**
   * HorizonStaking.slash by the verifier: the provision first (the verifier's cut pushed with
   * VerifierTokensSent, the rest burned, ProvisionSlashed), then what the provision did not cover from the
   * delegation pool, burned (DelegationSlashed). The simulated provision is 2% of the indexer's own stake;
   * the slash asks for as much again from the pool (1% of its active delegation at most).
   */
  private grHorizonSlash(indexer: Addr): void {
    const l = this.gr;
    const amount = (l.stakeOf(indexer) * 2n) / 100n;
    const toVerifier = amount / 4n;
    let pool = 0n;
    for (const d of this.grDelegators) {
      if (d.indexer !== indexer) continue;
      pool += d.delegated - (d.thawing?.indexer === indexer ? d.thawing.tokens : 0n);
    }
    const fromPool = pool / 100n < amount ? pool / 100n : amount;
    const staking = this.a("GraphStaking");
    let logs = 1; // ProvisionSlashed
    if (toVerifier > 0n) {
      l.transfer(staking, this.fisherman, toVerifier);
      logs += 2; // Transfer + VerifierTokensSent
    }
    if (amount > toVerifier) {
      l.transfer(staking, ZERO, amount - toVerifier);
      logs++;
    }
    if (fromPool > 0n) {
      l.transfer(staking, ZERO, fromPool);
      logs += 2; // Transfer + DelegationSlashed
    }
    this.call(
      "GraphStaking",
      "horizonSlash",
      [indexer, this.subgraphService, amount, toVerifier, this.fisherman, fromPool],
      logs,
    );
    this.horizonOn();
    // VerifierTokensSent: the verifier's part is not burned ...
    l.f.slashedToFinder += toVerifier;
    l.f.slashedBurned -= toVerifier;
    l.f.burnedSlashing -= toVerifier;
    // ... ProvisionSlashed and DelegationSlashed: all of it
    l.f.slashed += amount + fromPool;
    l.f.slashedBurned += amount + fromPool;
    l.f.burnedSlashing += amount + fromPool;
    l.staked -= amount + fromPool;
    l.opDelta(indexer, -(amount + fromPool));
    l.stakerDelta(indexer, -amount); // the delegators' principal is kept (docs/methodology.md)
  }

  private grSignal(curator: Addr): void {
    const r = this.rng;
    const l = this.gr;
    const amount = tokens(r.int(1_000, 100_000));
    this.topUp(l, curator, amount, tokens(100_000));
    const tax = amount / 100n;
    const curation = this.a("L2Curation");
    l.transfer(curator, curation, amount);
    l.transfer(curation, ZERO, tax);
    const signal = tokens(Math.sqrt(Number((amount - tax) / E18)));
    this.call(
      "L2Curation",
      "mintSignal",
      [curator, r.pick(this.subgraphDeployments), amount, signal, tax],
      3,
    );
    l.f.burnedCurationTax += tax;
  }

  private grBridgeMintTo(account: Addr, amount: bigint): void {
    this.gr.transfer(ZERO, account, amount);
    this.call("L2GraphToken", "bridgeMint", [account, amount], 2);
  }

  private grBridgeMint(): void {
    const r = this.rng;
    const to = r.next() < 0.5 ? this.grExchange : r.pick(this.grHolders);
    this.grBridgeMintTo(to, tokens(Math.min(50_000_000, r.pareto(10_000, 1.1))));
  }

  private grBridgeBurn(): void {
    const r = this.rng;
    const from = r.next() < 0.5 ? this.grExchange : r.pick(this.grHolders);
    const bal = this.gr.balanceOf(from);
    const amount = from === this.grExchange ? tokens(r.int(10_000, 5_000_000)) : bal / BigInt(r.int(1, 4));
    if (amount === 0n || amount > bal) return;
    this.gr.transfer(from, ZERO, amount);
    this.gr.f.burnedBridge += amount;
    this.call("L2GraphToken", "bridgeBurn", [from, amount], 2);
  }

  // -------------------------------------------------------------------------------------------------
  // Ground truth

  groundTruth(): GroundTruth {
    const symbolFor = { livepeer: "LPT", thegraph: "GRT" };
    const build = (l: ProtocolLedger, slug: "livepeer" | "thegraph", feeAsset: string): ProtocolTruth => {
      const zeroStocks: Stocks = {
        totalSupply: 0n,
        staked: 0n,
        operators: 0,
        stakers: 0,
        holders: 0,
        cumulativeFees: 0n,
      };
      const activity = (kind: PeriodKind, ts: number): ActivityRow => {
        const p = l.periods.get(`${kind}:${ts}`);
        return {
          timestamp: ts,
          date: isoDate(ts),
          payers: p?.payers.size ?? 0,
          newPayers: p?.newPayers.size ?? 0,
          activeStakers: p?.activeStakers.size ?? 0,
        };
      };
      const daily: DayRow[] = [];
      let stocks = zeroStocks;
      for (let d = 0; d < this.days; d++) {
        const ts = this.startTime + d * DAY;
        const flows = emptyFlows();
        for (let h = 0; h < 24; h++) {
          const b = l.hours.get(ts + h * HOUR);
          if (b) addFlows(flows, b.flows);
        }
        stocks = l.dayStocks.get(ts) ?? stocks;
        daily.push({ ...flowRow(ts, flows, stocks), ...activity("DAY", ts) });
      }
      const hourly: HourRow[] = [];
      const endTime = this.startTime + this.days * DAY;
      for (const [ts, b] of [...l.hours.entries()].sort((x, y) => x[0] - y[0])) {
        if (ts < this.startTime || ts >= endTime) continue;
        hourly.push(flowRow(ts, b.flows, b.stocks ?? zeroStocks));
      }
      const weekly: ActivityRow[] = [];
      for (let w = weekStart(this.startTime); w < endTime; w += 7 * DAY) weekly.push(activity("WEEK", w));
      const monthly: ActivityRow[] = [];
      for (let m = monthStart(this.startTime); m < endTime; m = monthStart(m + 32 * DAY))
        monthly.push(activity("MONTH", m));
      return {
        token: { address: l.token, symbol: symbolFor[slug], decimals: 18 },
        feeAsset,
        daily,
        hourly,
        weekly,
        monthly,
      };
    };
    return {
      seed: this.opts.seed,
      days: this.days,
      startTime: this.startTime,
      endTime: this.startTime + this.days * DAY,
      horizonSwitchTime: this.gr.horizonSince,
      events: this.events,
      blocks: this.blocks,
      protocols: {
        livepeer: build(this.lp, "livepeer", ZERO),
        thegraph: build(this.gr, "thegraph", this.gr.token),
      },
    };
  }
}

function flowRow(ts: number, f: Flows, s: Stocks): FlowRow {
  return {
    timestamp: ts,
    date: isoDate(ts),
    minted: f.minted.toString(),
    burned: f.burned.toString(),
    burnedFeeTax: f.burnedFeeTax.toString(),
    burnedCurationTax: f.burnedCurationTax.toString(),
    burnedSlashing: f.burnedSlashing.toString(),
    burnedBridge: f.burnedBridge.toString(),
    grossEmission: f.grossEmission.toString(),
    treasuryEmission: f.treasuryEmission.toString(),
    stakeInflow: f.stakeInflow.toString(),
    stakeOutflow: f.stakeOutflow.toString(),
    slashed: f.slashed.toString(),
    slashedBurned: f.slashedBurned.toString(),
    slashedToFinder: f.slashedToFinder.toString(),
    transferVolume: f.transferVolume.toString(),
    transferCount: f.transferCount,
    totalSupply: s.totalSupply.toString(),
    staked: s.staked.toString(),
    operators: s.operators,
    stakers: s.stakers,
    holders: s.holders,
    fees: f.fees.toString(),
    supplySideFees: f.supplySideFees.toString(),
    protocolTax: f.protocolTax.toString(),
    curationFees: f.curationFees.toString(),
    feeEvents: f.feeEvents,
    depositsFunded: f.depositsFunded.toString(),
    cumulativeFees: s.cumulativeFees.toString(),
  };
}

const fmt = (v: bigint) => `${(v / E18).toLocaleString("en-US")}`;
