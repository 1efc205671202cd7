/**
 * Livepeer's actions on its emitters (contracts/sol/), each the calls that emit what the real function emits, in
 * its order, with the ledger booked at draft time: rounds and the Minter's inflation, rewards (and the treasury's
 * share), bonding (bond, unbond, rebond, withdraw, claim earnings), a delegator's decision of the day, the slash,
 * deposits and winning tickets.
 */
import { encodePacked, keccak256, toHex } from "viem";
import { ZERO } from "../../ledger.js";
import { INFLATION_CHANGE, PERC_DIVISOR, TARGET_BONDING_RATE, tokens, UNBONDING_ROUNDS } from "./params.js";
import { type Addr, E18, LivepeerState, type LpDelegator } from "./state.js";

export abstract class LivepeerActions extends LivepeerState {
  // -------------------------------------------------------------------------------------------------
  // Actions

  protected lpNewRound(): void {
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

  protected lpReward(o: Addr): void {
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

  protected lpClaim(d: LpDelegator): void {
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
  protected lpBond(d: LpDelegator, to: Addr, additional: bigint): void {
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
  protected lpUnbond(d: LpDelegator, pct: number): void {
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

  protected lpRebond(d: LpDelegator, lockId: number): void {
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
  protected lpUnbondAndRebond(): void {
    const d = this.lpDelegators.find((x) => x.delegate && x.bonded > 0n);
    if (!d) return;
    const id = d.nextLockId;
    this.lpUnbond(d, 20);
    this.lpRebond(d, id);
  }

  protected lpWithdraw(d: LpDelegator, lockId: number): void {
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
  protected lpDelegatorDay(d: LpDelegator, joining: boolean): void {
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

  protected lpSlash(o: Addr): void {
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

  protected lpFundDeposit(sender: Addr): void {
    const amount = tokens(this.rng.int(50, 500) / 100); // ETH wei (18 decimals)
    this.call("TicketBroker", "fundDeposit", [sender, amount], 1);
    this.lp.f.depositsFunded += amount;
  }

  protected lpTicket(sender: Addr): void {
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
