/**
 * Livepeer on Arbitrum One (docs/protocols/livepeer.md): orchestrators call reward once a round (the Minter's
 * inflation moves toward the 50% target bonding rate; from a third of the history part of it goes to the
 * treasury), delegators bond, unbond, rebond, withdraw and claim earnings, broadcasters fund deposits and pay
 * orchestrators with winning tickets (ETH), an orchestrator is slashed once, and LPT changes hands.
 *
 * The emitters (contracts/sol/LivepeerToken.sol, BondingManager.sol, Minter.sol, RoundsManager.sol,
 * TicketBroker.sol) emit the real functions' events in their order. The actions append their calls to the
 * economy's batched SimHub transactions (SimHost.call). Its price source is a real Uniswap v3 LPT/WETH pool it
 * drives along its own path (pool.ts). The ledger is booked from the drafted actions (the amounts are the
 * simulator's), plus the LPT the pool moves (its math), from the receipts; the USD values of fees, emission and
 * burns from the receipts with the host's prices.
 */
import { type Abi, type Address, decodeEventLog, encodePacked, type Hex, keccak256, toHex } from "viem";
import { drawTransfers } from "../../chain/transfers.js";
import { ProtocolLedger, ZERO } from "../../ledger.js";
import { planPriceUpdates } from "../../prices.js";
import type { Rng } from "../../rng.js";
import {
  type ChainLog,
  type DeployedContract,
  type Deployer,
  type Economy,
  type EconomyDeployment,
  type EconomyTruth,
  firstDayWithBlocks,
  type Push,
  type SimHost,
} from "../types.js";
import { BONDING_MANAGER_ABI, LPT_ABI, MINTER_ABI, ROUNDS_MANAGER_ABI, TICKET_BROKER_ABI } from "./abi.js";
import {
  INFLATION_CHANGE,
  LIVEPEER_CONTRACTS,
  type LivepeerContract,
  PERC_DIVISOR,
  TARGET_BONDING_RATE,
  tokens,
  UNBONDING_ROUNDS,
} from "./params.js";
import { deployPool, PoolSim } from "./pool.js";

const E18 = 10n ** 18n;
const DEAD = "0x000000000000000000000000000000000000dead";
const lc = (v: unknown): string => String(v).toLowerCase();

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

const ABIS: Record<LivepeerContract, Abi> = {
  LivepeerToken: LPT_ABI,
  BondingManager: BONDING_MANAGER_ABI,
  Minter: MINTER_ABI,
  RoundsManager: ROUNDS_MANAGER_ABI,
  TicketBroker: TICKET_BROKER_ABI,
};

export default function createLivepeerEconomy(): Economy {
  return new LivepeerEconomy();
}

class LivepeerEconomy implements Economy {
  readonly slug = "livepeer";

  private host!: SimHost;
  private rng!: Rng;
  /** Its price source: the LPT/WETH pool and its path. */
  private pool!: PoolSim;
  /** New holder accounts so far. */
  private newHolders = 0;
  private addr!: Record<LivepeerContract, Address>;
  /** Emitter ABIs by address (lowercase), for the receipts. */
  private readonly logAbis = new Map<string, Abi>();
  private lp!: ProtocolLedger;
  private days = 0;

  // actors
  private lpOrchs: Addr[] = [];
  private readonly lpDels = new Map<Addr, LpDelegator>();
  private lpDelegators: LpDelegator[] = [];
  private broadcasters: { addr: Addr; weight: number; joinDay: number; nonce: number }[] = [];
  private lpHolders: Addr[] = [];
  private lpExchange: Addr = ZERO;
  private treasury: Addr = ZERO;
  private lpFinder: Addr = ZERO;

  // protocol state
  private round = 3000;
  // Minter inflation per round (of 1e9). The real ≈0.061% a round over ≈417 rounds a year is ≈25.6% a year; one
  // simulated round a day needs ≈0.074% for the same yearly figure (docs/simulator.md, "Calibration").
  private inflation = 740_000n;
  private mintable = 0n;
  private roundStake = new Map<Addr, bigint>();
  private roundTotal = 0n;
  private rewardedThisRound = new Set<Addr>();
  /** The day (SimHost.day) of the latest round. */
  private roundDay = 0;
  private readonly rewardCut = new Map<Addr, bigint>();

  // schedule
  private treasuryStartDay = 0;
  private lpSlashDay = 0;

  /**
   * The emitters (the SimHub calls every one; the BondingManager moves LPT: bond, withdrawStake, reward, slash) and
   * the LPT/WETH pool, its price source (pool.ts). Only on the main chain.
   */
  async deploy(d: Deployer): Promise<EconomyDeployment | null> {
    if (!d.primary) return null;
    const hub = d.hub;
    if (!hub) throw new Error("livepeer: its emitters need the host's SimHub (Deployer.hub)");
    const dep = async (name: LivepeerContract, args: unknown[] = []) => {
      const c = d.compiled(name);
      const x = await d.deploy(d.owner, name, c.abi as Abi, c.bytecode as Hex, args);
      // lowercase, as the deployments list them (subgraph/deployments/local.json)
      return { address: x.address.toLowerCase() as Address, startBlock: x.startBlock };
    };
    const LivepeerToken = await dep("LivepeerToken");
    const BondingManager = await dep("BondingManager", [LivepeerToken.address]);
    const Minter = await dep("Minter");
    const RoundsManager = await dep("RoundsManager");
    const TicketBroker = await dep("TicketBroker");
    const c = { LivepeerToken, BondingManager, Minter, RoundsManager, TicketBroker };
    for (const n of LIVEPEER_CONTRACTS)
      await d.send(d.owner, c[n].address, ABIS[n], "setAuthorized", [hub, true], `${n}.setAuthorized`);
    await d.send(
      d.owner,
      LivepeerToken.address,
      LPT_ABI,
      "setAuthorized",
      [BondingManager.address, true],
      "LivepeerToken.setAuthorized",
    );
    const pool = await deployPool(d, LivepeerToken.address);
    return { contracts: c, simulator: PoolSim.extras(pool.parts), prices: [pool.source] };
  }

  attach(
    host: SimHost,
    contracts: Record<string, DeployedContract>,
    simulator?: Record<string, string>,
  ): void {
    this.host = host;
    this.rng = host.rng();
    this.pool = PoolSim.fromExtras(host, simulator, host.rng("prices"));
    const addr = {} as Record<LivepeerContract, Address>;
    for (const n of LIVEPEER_CONTRACTS) {
      const c = contracts[n];
      if (!c) throw new Error(`livepeer: the deployment has no ${n}`);
      addr[n] = c.address;
    }
    this.addr = addr;
    for (const n of ["LivepeerToken", "BondingManager", "TicketBroker"] as const)
      this.logAbis.set(addr[n].toLowerCase(), ABIS[n]);
    this.lp = new ProtocolLedger(this.a("LivepeerToken"));

    const days = host.days;
    this.days = days;
    const { operators: nOps, stakers: nStakers, payers: nPayers } = host.options;
    const r = this.rng;
    const mk = (tag: string): Addr => host.account(tag).toLowerCase();
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

    // the slash on a day with blocks (the host's calendar); the treasury's share from a third of the history on
    this.lpSlashDay = firstDayWithBlocks(host, Math.min(days - 1, Math.max(3, Math.floor(days * 0.4))));
    this.treasuryStartDay = Math.floor(days / 3);
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

  private a(name: LivepeerContract): Addr {
    return this.addr[name].toLowerCase();
  }

  private call(name: LivepeerContract, functionName: string, args: unknown[], logs: number | null): void {
    this.host.call(this.addr[name], ABIS[name], functionName, args, logs);
  }

  // -------------------------------------------------------------------------------------------------
  // The day's plan

  plan(d: number, nb: number, push: Push): void {
    const r = this.rng;
    // every action sets the ledger's clock to the block being drafted
    const at = (block: number, prio: number, run: () => void): void =>
      push(block, prio, () => {
        this.lp.now = this.host.now();
        run();
      });
    const anyBlock = () => r.int(0, nb - 1);

    if (d === 0) at(0, 0, () => this.genesis());
    else at(0, 0, () => this.lpNewRound());
    if (d === 0) at(0, 1, () => this.lpNewRound());
    // its price source: 2 to 6 swaps of the LPT/WETH pool a day
    planPriceUpdates(this.pool.path, nb, at, (n) => this.pool.swap(n));

    // rewards (some orchestrators miss rounds), a slash, delegators, tickets
    for (const o of this.lpOrchs) {
      if (d === this.lpSlashDay) at(0, 2, () => this.lpReward(o));
      else if (r.next() < 0.88) at(anyBlock(), 2, () => this.lpReward(o));
    }
    if (d === 3) at(anyBlock(), 4, () => this.lpUnbondAndRebond());
    if (d === this.lpSlashDay) at(0, 3, () => this.lpSlash(this.lpOrchs[this.lpOrchs.length - 1] as Addr));
    for (const del of [...this.lpDelegators, ...this.lpOrchs.map((o) => this.lpDels.get(o) as LpDelegator)]) {
      // a delegator with an unbonding lock comes back more often (to withdraw it)
      if (d >= del.joinDay && (d === del.joinDay || r.next() < (del.locks.size > 0 ? 0.4 : 0.2)))
        at(anyBlock(), 4, () => this.lpDelegatorDay(del, d === del.joinDay));
    }
    for (const b of this.broadcasters) {
      if (d < b.joinDay) continue;
      let n = 0;
      if (r.next() < Math.min(0.95, 0.35 + 0.1 * b.weight)) n = 1 + Math.floor(r.next() * 3 * b.weight);
      if (b === this.broadcasters[0] && d <= 2) n = Math.max(n, d === 1 ? 2 : 1); // twice a day, then next day
      if (n > 0 && (d === b.joinDay || r.next() < 0.15)) at(anyBlock(), 5, () => this.lpFundDeposit(b.addr));
      for (let i = 0; i < n; i++) at(anyBlock(), 6, () => this.lpTicket(b.addr));
    }
    if (d === 1) at(nb - 1, 7, () => this.lpTicket((this.broadcasters[0] as { addr: Addr }).addr)); // 23:59:59
    const nTransfers = r.int(2, 10);
    for (let i = 0; i < nTransfers; i++) at(anyBlock(), 8, () => this.randomTransfers(r.int(1, 4)));
    if (d === 1) at(anyBlock(), 8, () => this.zeroTransfer());
  }

  /**
   * Wall-clock mode: the pool's swap when the price sources answer, a new round when the day changes (one round a
   * day, as in the history), orchestrators calling reward in its first blocks, tickets, transfers, now and then a
   * delegator.
   */
  realtime(n: number): void {
    this.lp.now = this.host.now();
    const r = this.rng;
    const act = (fn: () => void) => {
      this.host.beginAction();
      fn();
    };
    const perDay = this.host.priceTick(n);
    if (perDay !== null) this.pool.swap(perDay);
    if (this.host.day() > this.roundDay) act(() => this.lpNewRound());
    const o = r.pick(this.lpOrchs);
    if (!this.rewardedThisRound.has(o) && r.next() < 0.1) act(() => this.lpReward(o));
    if (r.next() < 0.6) act(() => this.lpTicket(r.pick(this.broadcasters).addr));
    if (r.next() < 0.4) act(() => this.randomTransfers(r.int(1, 2)));
    if (r.next() < 0.1) act(() => this.lpDelegatorDay(r.pick(this.lpDelegators), false));
  }

  // -------------------------------------------------------------------------------------------------
  // Receipts

  onLog(log: ChainLog): void {
    const abi = this.logAbis.get(log.address.toLowerCase());
    if (!abi) return;
    let d: { eventName?: unknown; args?: unknown };
    try {
      d = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: false });
    } catch {
      return; // an event no value depends on (Mint, Bond, ...)
    }
    const a = (d.args ?? {}) as Record<string, unknown>;
    const l = this.lp;
    const usd = (asset: string, amount: bigint) => this.host.usd(asset, amount);
    switch (d.eventName as unknown as string) {
      case "WinningTicketRedeemed": {
        // fees in ETH, no protocol tax
        const tokens = a.faceValue as bigint;
        const v = usd(ZERO, tokens);
        const tax = usd(ZERO, 0n);
        if (v === null || tax === null) l.f.feesUnpriced += tokens;
        else {
          l.f.feesUsd += v;
          l.f.protocolTaxUsd += tax;
        }
        break;
      }
      case "Reward":
      case "TreasuryReward": {
        const amount = a.amount as bigint;
        const v = usd(l.token, amount);
        if (v === null) l.f.grossEmissionUnpriced += amount;
        else l.f.grossEmissionUsd += v;
        break;
      }
      case "Transfer": {
        const to = lc(a.to);
        const value = a.value as bigint;
        if (to === ZERO || to === DEAD) {
          const v = usd(l.token, value);
          if (v === null) l.f.burnedUnpriced += value;
          else l.f.burnedUsd += v;
        }
        // the pool's liquidity and swaps: LPT the pool's math moves, booked from the receipt
        const from = lc(a.from);
        if (from === this.pool.pool || to === this.pool.pool) {
          l.now = this.host.now();
          l.transfer(from, to, value);
        }
        break;
      }
    }
  }

  afterBlock(ts: number): void {
    this.lp.snapshot(ts);
  }

  progress(): string {
    return `LPT supply ${(this.lp.supply / E18).toLocaleString("en-US")}`;
  }

  truth(): EconomyTruth {
    return {
      ledger: this.lp,
      token: { address: this.lp.token, symbol: "LPT", decimals: 18 },
      feeAsset: ZERO,
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Token helpers (ledger + log count)

  /** Funds an account from the exchange (a plain transfer) when its balance is short. */
  private topUp(account: Addr, need: bigint, chunk: bigint): void {
    const l = this.lp;
    if (l.balanceOf(account) >= need) return;
    const amount = need - l.balanceOf(account) + chunk;
    // the exchange buys from the treasury wallet
    if (l.balanceOf(this.lpExchange) < amount) this.mintTo(this.lpExchange, amount * 2n);
    this.tokenTransfers([[this.lpExchange, account, amount]]);
  }

  private tokenTransfers(list: [Addr, Addr, bigint][]): void {
    if (list.length === 0) return;
    for (const [f, t, v] of list) this.lp.transfer(f, t, v);
    if (list.length === 1) {
      const [f, t, v] = list[0] as [Addr, Addr, bigint];
      this.call("LivepeerToken", "forceTransfer", [f, t, v], 1);
    } else {
      this.call(
        "LivepeerToken",
        "batchTransfer",
        [list.map((x) => x[0]), list.map((x) => x[1]), list.map((x) => x[2])],
        list.length,
      );
    }
  }

  private mintTo(to: Addr, amount: bigint): void {
    this.lp.transfer(ZERO, to, amount);
    this.call("LivepeerToken", "mint", [to, amount], 2); // Transfer + Mint
  }

  private randomTransfers(n: number): void {
    const r = this.rng;
    const l = this.lp;
    const exchange = this.lpExchange;
    const holders = this.lpHolders;
    const others = [...this.lpDelegators.map((x) => x.addr), ...this.lpOrchs];
    const list = drawTransfers(r, n, {
      exchange,
      holders,
      others,
      balanceOf: (a) => l.balanceOf(a),
      newHolder: () => this.host.account(`lp-new-holder-${this.newHolders++}`).toLowerCase(),
    });
    if (list.length === 0) this.zeroTransfer();
    else this.tokenTransfers(list);
  }

  private zeroTransfer(): void {
    this.tokenTransfers([[this.lpExchange, this.lpHolders[0] as Addr, 0n]]);
  }

  // -------------------------------------------------------------------------------------------------
  // Genesis: token distribution and initial stake (day 0, 00:00:00)

  private genesis(): void {
    const r = this.rng;
    // Sizes calibrated to the real network (docs/simulator.md, "Calibration"): each of the few simulated operators
    // and delegators holds what a group of real ones holds. ≈31 M LPT at genesis, ≈44% bonded.
    this.mintTo(this.lpExchange, tokens(18_000_000));
    // its price source starts: the pool driver gets 2 M LPT from the exchange for the LPT/WETH pool's liquidity
    this.tokenTransfers([[this.lpExchange, this.pool.driver, tokens(2_000_000)]]);
    this.pool.start();
    for (const o of this.lpOrchs) {
      this.host.beginAction();
      const self = tokens(r.int(900_000, 3_600_000));
      this.mintTo(o, self + tokens(r.int(3_000, 60_000)));
      const cut = BigInt(r.int(5, 25)) * 10_000n;
      this.rewardCut.set(o, cut);
      this.call("BondingManager", "transcoderUpdate", [o, cut, BigInt(r.int(50, 90)) * 10_000n], 1);
      this.lp.touch();
      this.lpBond(this.lpDels.get(o) as LpDelegator, o, self);
    }
    for (const d of this.lpDelegators) this.mintTo(d.addr, tokens(Math.min(1_500_000, r.pareto(6_000, 1.1))));
    for (const h of this.lpHolders) this.mintTo(h, tokens(Math.min(900_000, r.pareto(300, 1.0))));
  }

  // -------------------------------------------------------------------------------------------------
  // Actions

  private lpNewRound(): void {
    this.round++;
    this.roundDay = this.host.day();
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
    const treasuryAmount =
      this.host.day() >= this.treasuryStartDay && this.rng.next() < 0.7 ? share / 10n : 0n;
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
    if (additional > 0n) this.topUp(d.addr, additional, tokens(3_000));
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
    this.lp.transfer(this.a("BondingManager"), d.addr, lock.amount); // Transfer
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
    l.slash(o, penalty, finderReward);
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
}
