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
 *
 * Files by job: economy.ts (this: deployment, the day's plan, receipts, genesis), state.ts (state, emitter calls,
 * LPT moves), actions.ts (rounds, rewards, bonding, tickets, the slash), pool.ts (its price source).
 */
import { type Abi, type Address, decodeEventLog, type Hex } from "viem";
import { ProtocolLedger, ZERO } from "../../ledger.js";
import { planPriceUpdates } from "../../prices.js";
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
import { LPT_ABI } from "./abi.js";
import { LivepeerActions } from "./actions.js";
import { LIVEPEER_CONTRACTS, type LivepeerContract, tokens } from "./params.js";
import { deployPool, PoolSim } from "./pool.js";
import { ABIS, type Addr, DEAD, E18, type LpDelegator, lc } from "./state.js";

export default function createLivepeerEconomy(): Economy {
  return new LivepeerEconomy();
}

class LivepeerEconomy extends LivepeerActions implements Economy {
  readonly slug = "livepeer";

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
}
