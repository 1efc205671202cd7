/**
 * The Graph's simulated economy, its state and the primitives its actions share: the actors, the GRT moves drafted
 * in the block (planned balances: the ledger's plus this block's transfers), an action's transactions and its
 * settle step (run after the block is mined, with the action's own decoded logs), and the ledger bookkeeping of
 * stake. The actions are in staking.ts, delegation.ts and market.ts; economy.ts is the unit the host registers.
 */
import { type Abi, type Address, type Hex, keccak256, maxUint256, toHex } from "viem";
import { drawTransfers } from "../../chain/transfers.js";
import { ProtocolLedger, ZERO } from "../../ledger.js";
import { PricePath } from "../../prices.js";
import type { Rng } from "../../rng.js";
import { type DeployedContract, firstDayWithBlocks, type SimHost } from "../types.js";
import { GraphContext, type GraphEvent } from "./simctx.js";

export type Addr = string;

export const E18 = 10n ** 18n;
/** tokens(1.5) = 1.5e18 */
export const tokens = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
export const lc = (v: unknown): string => String(v).toLowerCase();
export const ZERO_BYTES32 = `0x${"00".repeat(32)}` as Hex;
// The Graph on Arbitrum One, parts per million (graphprotocol/contracts packages/contracts/config/
// graph.arbitrum-one.yml; packages/horizon/ignition/configs/protocol.default.json5 protocolPaymentCut)
export const PPM = 1_000_000n;
/** Horizon GraphPayments.PaymentTypes */
export const QUERY_FEE = 0;
export const INDEXING_FEE = 1;
export const INDEXING_REWARDS = 2;

/** Sum of one event's `field` over an action's logs (optionally only where `where` holds). */
export const sumOf = (
  ev: GraphEvent[],
  name: string,
  field: string,
  where?: (e: GraphEvent) => boolean,
): bigint => {
  let s = 0n;
  for (const e of ev) if (e.event === name && (!where || where(e))) s += e.args[field] as bigint;
  return s;
};

export interface GrDelegator {
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

export interface Indexer {
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

/** The Horizon emitters the SimHub calls (contracts/sol/: not published as bytecode). */
export type HorizonEmitter = "GraphHorizonStaking" | "PaymentsEscrow" | "SubgraphService";

/** An action's settle step: its transactions are [from, to) of the block; run with their decoded logs. */
interface Settle {
  from: number;
  to: number;
  settle: (ev: GraphEvent[]) => void;
}

export class GraphSim {
  readonly ctx: GraphContext;
  readonly gr: ProtocolLedger;
  readonly rng: Rng;
  readonly days: number;
  /** The first day on Horizon (days: never): the day asked for, or the next one with blocks on it and before it. */
  readonly horizonSwitchDay: number;
  /** GRT/USD: its price source's path (its own stream) and feed. */
  readonly grtUsd: PricePath;
  readonly grtUsdFeed: Hex;
  /** The Horizon emitters' addresses (lowercase for SubgraphService and PaymentsEscrow as the ledger keys them). */
  readonly addr: Record<HorizonEmitter, Hex>;
  readonly abi: Record<HorizonEmitter, Abi>;
  /** GraphPayments, the SimHub and the account that owns the Horizon emitters (initializeSim at the switch). */
  readonly graphPayments: Hex;
  readonly hub: Hex;
  readonly simOwner: Hex;

  // actors
  readonly indexers: Indexer[];
  readonly delegators: GrDelegator[];
  readonly gateways: { addr: Addr; weight: number; joinDay: number }[];
  readonly curators: Addr[];
  /** The legacy asset holder (the AllocationExchange that redeems gateway vouchers into Staking.collect). */
  readonly allocationExchange: Addr;
  /** Horizon collectors: GraphTallyCollector (query fees) and RecurringCollector (indexing fees). */
  readonly tallyCollector: Addr;
  readonly recurringCollector: Addr;
  readonly fisherman: Addr;
  readonly holders: Addr[];
  readonly exchange: Addr;

  // state
  /** PaymentsEscrow balances per payer, collector and receiver. */
  readonly escrow = new Map<string, bigint>();
  /** Kinds of redelegation done so far ("legacy", "horizon"): the first chance of each is taken. */
  readonly redelegated = new Set<string>();
  private readonly approved = new Set<string>();
  /** GRT moves drafted in this block, not yet in the ledger (bal). */
  private readonly planned = new Map<Addr, bigint>();
  private settles: Settle[] = [];
  /** This block's decoded The Graph logs, per transaction index. */
  private decoded = new Map<number, GraphEvent[]>();
  /** New holder accounts so far. */
  private newHolders = 0;

  constructor(
    readonly host: SimHost,
    contracts: Record<string, DeployedContract>,
    simulator: Record<string, string> | undefined,
  ) {
    const extra = (name: string): string => {
      const v = simulator?.[name];
      if (!v)
        throw new Error(
          `thegraph: the deployment's simulator.protocols.thegraph has no ${name}: start a new chain (npm start -- --fresh)`,
        );
      return v;
    };
    this.ctx = new GraphContext(
      contracts,
      extra,
      (name) => host.compiled(name),
      (to, abi, functionName, args) => host.read(to, abi, functionName, args),
    );
    this.gr = new ProtocolLedger(this.ctx.grt);
    this.rng = host.rng();
    this.days = host.days;
    this.horizonSwitchDay = switchDay(host, host.options.horizonSwitchDay ?? Math.floor((this.days * 2) / 3));
    this.grtUsd = new PricePath(host.rng("prices"), GRT_USD_START, 0.05);
    this.grtUsdFeed = extra("GrtUsdFeed") as Hex;
    this.addr = {
      GraphHorizonStaking: this.ctx.staking as Hex,
      PaymentsEscrow: extra("PaymentsEscrow") as Hex,
      SubgraphService: extra("SubgraphService") as Hex,
    };
    this.graphPayments = contracts.GraphPayments?.address as Hex;
    this.hub = extra("SimHub") as Hex;
    this.simOwner = extra("owner") as Hex;
    this.abi = {
      GraphHorizonStaking: host.compiled("GraphHorizonStaking").abi,
      PaymentsEscrow: host.compiled("PaymentsEscrow").abi,
      SubgraphService: host.compiled("SubgraphService").abi,
    };

    const { operators: nOps, stakers: nStakers, payers: nPayers } = host.options;
    const days = this.days;
    const r = this.rng;
    const mk = (tag: string): Addr => host.account(tag).toLowerCase();
    const joinDay = (i: number, early: number) =>
      i < early ? 0 : r.int(1, Math.max(1, Math.floor(days * 0.8)));
    this.indexers = Array.from({ length: nOps }, (_, i) => ({
      addr: mk(`graph-indexer-${i}`),
      deployment: keccak256(toHex(`${host.account("deployments")}:${i}`)),
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
    this.delegators = Array.from({ length: nStakers }, (_, i) => ({
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
    this.holders = Array.from({ length: 15 }, (_, i) => mk(`graph-holder-${i}`));
    this.exchange = mk("graph-exchange");
  }

  /** Simulated day of the block being drafted. */
  day(): number {
    return this.host.day();
  }

  // -------------------------------------------------------------------------------------------------
  // Transactions

  /** Appends a call of a Horizon emitter to the current SimHub transaction. */
  call(name: HorizonEmitter, functionName: string, args: unknown[], logs: number | null): void {
    this.host.call(this.addr[name], this.abi[name], functionName, args, logs);
  }

  /** An account's own transaction (impersonated on anvil), after everything drafted so far in the block. */
  direct(from: Addr, to: Addr, abi: Abi, functionName: string, args: unknown[], label: string): void {
    this.host.send(from as Address, to as Address, abi, functionName, args, label);
  }

  /**
   * One action: its transactions get their own slots in the block (no other action's calls in them); `settle`
   * runs after the block is mined with the action's logs, decoded. Sets the ledger's clock first.
   */
  async action(build: () => void | Promise<void>, settle?: (ev: GraphEvent[]) => void): Promise<void> {
    this.gr.now = this.host.now();
    this.host.closeTx();
    const from = this.host.txCount();
    await build();
    this.host.closeTx();
    if (settle) this.settles.push({ from, to: this.host.txCount(), settle });
  }

  /** A log of this block's transaction `txIndex`, decoded (kept for the settle steps). */
  keep(txIndex: number, e: GraphEvent): void {
    const list = this.decoded.get(txIndex) ?? [];
    list.push(e);
    this.decoded.set(txIndex, list);
  }

  /** After the block is mined: every settle step with its action's logs, then a new block starts. */
  settleBlock(): void {
    for (const st of this.settles) {
      const ev: GraphEvent[] = [];
      for (let i = st.from; i < st.to; i++) ev.push(...(this.decoded.get(i) ?? []));
      st.settle(ev);
    }
    this.settles = [];
    this.decoded = new Map();
    this.planned.clear();
  }

  // -------------------------------------------------------------------------------------------------
  // GRT (planned balances; each transfer its holder's own transaction)

  /** Planned balance: the ledger's (end of the previous block) plus this block's drafted transfers. */
  bal(a: Addr): bigint {
    return this.gr.balanceOf(a) + (this.planned.get(a) ?? 0n);
  }

  plan(from: Addr, to: Addr, amount: bigint): void {
    if (from !== ZERO) this.planned.set(from, (this.planned.get(from) ?? 0n) - amount);
    if (to !== ZERO) this.planned.set(to, (this.planned.get(to) ?? 0n) + amount);
  }

  /** A GRT approval of `spender` by `owner` (unlimited), once per pair, as its own transaction. */
  approve(owner: Addr, spender: Addr): void {
    const key = `${owner}:${spender}`;
    if (this.approved.has(key)) return;
    this.approved.add(key);
    this.direct(owner, this.ctx.grt, this.ctx.abi.grt, "approve", [spender, maxUint256], "GRT.approve");
  }

  /** A GRT transfer by its holder. */
  transfer(from: Addr, to: Addr, amount: bigint): void {
    this.plan(from, to, amount);
    this.direct(from, this.ctx.grt, this.ctx.abi.grt, "transfer", [to, amount], "GRT.transfer");
  }

  /** L2GraphToken.bridgeMint by the gateway (L2GraphTokenGateway on Arbitrum One). */
  bridgeMintTo(account: Addr, amount: bigint): void {
    this.plan(ZERO, account, amount);
    const g = this.ctx;
    this.direct(g.gateway, g.grt, g.abi.grt, "bridgeMint", [account, amount], "GRT.bridgeMint");
  }

  /** Funds an account from the exchange (a plain transfer) when its balance is short. */
  topUp(account: Addr, need: bigint, chunk: bigint): void {
    if (this.bal(account) >= need) return;
    const amount = need - this.bal(account) + chunk;
    // the exchange buys from the bridge
    if (this.bal(this.exchange) < amount) this.bridgeMintTo(this.exchange, amount * 2n);
    this.transfer(this.exchange, account, amount);
  }

  randomTransfers(n: number): void {
    const list = drawTransfers(this.rng, n, {
      exchange: this.exchange,
      holders: this.holders,
      others: [...this.delegators.map((x) => x.addr), ...this.indexers.map((x) => x.addr), ...this.curators],
      balanceOf: (a) => this.bal(a),
      newHolder: () => lc(this.host.account(`graph-new-holder-${this.newHolders++}`)),
    });
    if (list.length === 0) this.zeroTransfer();
    else for (const [f, t, v] of list) this.transfer(f, t, v);
  }

  zeroTransfer(): void {
    this.transfer(this.exchange, this.holders[0] as Addr, 0n);
  }

  // -------------------------------------------------------------------------------------------------
  // Stake bookkeeping

  horizonOn(): void {
    if (!this.gr.horizonActive) {
      this.gr.horizonActive = true;
      this.gr.horizonSince = this.gr.now;
    }
  }

  /** Tokens added to an indexer's stake that no account staked (restaked rewards and fees, pool shares). */
  credit(indexer: Addr, amount: bigint): void {
    if (amount === 0n) return;
    this.gr.staked += amount;
    this.gr.opDelta(indexer, amount);
  }

  /** Principal an account moved into (amount > 0) or out of `staked` at an indexer. */
  principal(indexer: Addr, account: Addr, amount: bigint): void {
    const l = this.gr;
    if (amount > 0n) l.f.stakeInflow += amount;
    else l.f.stakeOutflow -= amount;
    l.staked += amount;
    l.opDelta(indexer, amount);
    // principal at the indexer, floored at 0 (docs/metrics.md): what leaves may include the pool's growth
    l.principalDelta(indexer, account, amount);
    l.activeStaker(account);
  }

  /** Epoch of a block (EpochManager.currentEpoch: no length change after its genesis, anchorEpochs). */
  epochOf(block: number): bigint {
    const g = this.ctx;
    return g.epoch0 + BigInt(block - g.epochBlock0) / g.epochLength;
  }

  /**
   * The economy's epoch clock starts at its genesis block, whatever the chain's block number there (it depends on
   * what was deployed before): the governor sets the EpochManager's length to 1 and back in that block, which makes
   * it the first block of an epoch (EpochManager.setEpochLength: lastLengthUpdateBlock = currentEpochBlock()). Every
   * later epoch boundary then falls a fixed number of the calendar's blocks after the genesis.
   */
  anchorEpochs(): Promise<void> {
    const g = this.ctx;
    const block = this.host.block();
    const since = BigInt(block - g.epochBlock0) / g.epochLength;
    const epochBlock = g.epochBlock0 + Number(since * g.epochLength);
    // after setEpochLength(1): the epoch at this block counts one per block since the current epoch's first block
    const epoch = g.epoch0 + since + BigInt(block - epochBlock);
    return this.action(
      () => {
        for (const length of [1n, g.epochLength])
          this.direct(
            g.governor,
            g.epochManager,
            g.abi.epochs,
            "setEpochLength",
            [length],
            "EpochManager.setEpochLength",
          );
        g.epoch0 = epoch;
        g.epochBlock0 = block;
      },
      (ev) => {
        const set = ev.filter((e) => e.event === "EpochLengthUpdate");
        if (set.length !== 2 || set[1]?.args.epoch !== epoch)
          throw new Error(
            `thegraph: EpochManager.setEpochLength at block ${block}: expected epoch ${epoch} from it`,
          );
      },
    );
  }

  /** An answer of its GRT/USD feed (NewRound, AnswerUpdated): the path's next step, or `price` (its start). */
  transmit(updatesToday: number, price?: bigint): void {
    const answer = price ?? this.grtUsd.next(updatesToday);
    this.host.call(this.grtUsdFeed, this.host.compiled("PriceFeed").abi, "transmit", [answer], 2);
  }

  /** An indexer drawn with a probability proportional to its stake. */
  pickIndexer(): Indexer {
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
  hasDelegation(indexer: Addr): boolean {
    return this.delegators.some((d) => d.indexer === indexer && d.delegated > 0n);
  }

  thawRequestId(d: GrDelegator, indexer: Addr): Hex {
    return keccak256(toHex(`${indexer}:${this.addr.SubgraphService.toLowerCase()}:${d.addr}:${d.thawNonce}`));
  }
}

/** GRT/USD at the start of the history (8 decimals). */
const GRT_USD_START = 15_000_000n;

/**
 * The day The Graph switches to Horizon: the first day at or after `asked` that has blocks and whose previous day has
 * blocks too (the allocations the switch closes are an epoch old: horizonSwitch); `days` (never) when none has.
 */
function switchDay(host: SimHost, asked: number): number {
  if (asked >= host.days) return host.days;
  for (let d = Math.max(1, asked); d < host.days; d++)
    if (host.hasBlocks(d) && host.hasBlocks(d - 1)) return d;
  return host.days;
}

/** The first day with blocks at or after `day` (types.ts firstDayWithBlocks), or -1 for -1 (no such event). */
export const dayWithBlocks = (host: SimHost, day: number): number =>
  day < 0 ? -1 : firstDayWithBlocks(host, day);
