/**
 * SingularityNET's TokenStake on the local chain: the released contract's own bytecode (npm
 * singularitynet-stake-contracts 1.0.4, the same source as singnet/snet-stake contracts/TokenStake.sol from commit
 * 2db4abe to HEAD), driven through its staking windows. The token operator funds the reward pool with plain FET
 * transfers (the contract has no deposit function) and opens a window; stakers submit and sometimes withdraw
 * during its submission period; the operator sometimes rejects a pending stake after it, then adds each staker's
 * reward (computeAndAddReward); in the claim period a staker either asks to claim (requestForClaim false: its
 * stake leaves the next window) or lets its stake renew; a requested stake is claimed (claimStake) once the window
 * has ended. The contract checks every period against the block's timestamp, so each action checks it too, at
 * the timestamp of the block it is drafted in.
 *
 * The planning reads the stakers' pending, approved and claimable amounts from the decoded logs, as the contract
 * keeps them; the ground truth (stake flows, rewards as distributed incentives) comes from the same logs.
 */
import type { Abi } from "viem";
import { DAY, type ProtocolLedger } from "../../ledger.js";
import type { Rng } from "../../rng.js";
import type { SimHost } from "../types.js";
import { FET, STAKE_ABI, TOKEN_ABI } from "./contracts.js";

/** A window's periods after its start (openForStake's arguments), in seconds. */
const SUBMISSION = 3 * DAY; // submissions on the window's first three days
const APPROVAL = SUBMISSION + 1; // rejections and rewards from just after the submissions
const REQUEST_WITHDRAW = 4 * DAY; // rewards until the fifth day, then requests to claim
const END = 5 * DAY; // claims of requested stakes after it
/** Days between two windows' openings (the next opens once the previous' claim requests have started). */
export const WINDOW_DAYS = 5;
/** openForStake's minimum stake (a staker's pending plus approved stake). */
const MIN_STAKE = 100n * FET;

interface Window {
  start: bigint;
  approvalEnd: bigint;
  end: bigint;
}

/** A staker's amounts as the contract keeps them (stakeHolderInfo): read back from the logs. */
interface StakeInfo {
  pending: bigint;
  approved: bigint;
  /** Window index → the amount requested for claim in that window. */
  claimable: Map<bigint, bigint>;
  /** The window its reward was last computed for. */
  rewarded: bigint;
}

/** What TokenStake's part uses of the economy. */
export interface StakeContext {
  readonly host: SimHost;
  readonly rng: Rng;
  readonly ledger: ProtocolLedger;
  /** FET and TokenStake addresses, lower case. */
  readonly token: string;
  readonly stake: string;
  /** The token operator (TokenStake's deployer). */
  readonly owner: string;
  readonly stakers: readonly string[];
  /** Marks actors as acting in the block being drafted; false when one already is (or is not ready). */
  claimSlot(...keys: string[]): boolean;
  send(from: string, to: string, abi: Abi, fn: string, args: unknown[], label: string): void;
  amount(min: number, max: number, unit: bigint): bigint;
}

export class TokenStakeSim {
  private windows = new Map<bigint, Window>();
  private current = 0n;
  private info = new Map<string, StakeInfo>();
  /** Plan side: the day the current window was opened (or planned to open). */
  private windowDay: number | null = null;

  constructor(private readonly x: StakeContext) {}

  /** The day's TokenStake actions, pushed at random blocks (`any`) with the economy's priorities. */
  plan(day: number, any: () => number, push: (block: number, prio: number, run: () => void) => void): void {
    const r = this.x.rng;
    if (this.windowDay === null || day - this.windowDay >= WINDOW_DAYS) {
      this.windowDay = day;
      push(0, 1, () => this.openWindow());
    }
    const phase = day - this.windowDay;
    for (const s of this.x.stakers) {
      if (phase <= 2 && r.next() < 0.5) push(any(), 3, () => this.submitStake(s));
      else if (phase <= 2 && r.next() < 0.08) push(any(), 3, () => this.withdrawStake(s));
      else if (phase === 3 && r.next() < 0.04) push(any(), 2, () => this.rejectStake(s));
      else if (phase === 4 && r.next() < 0.5) push(any(), 3, () => this.requestForClaim(s));
      if (r.next() < 0.5) push(any(), 3, () => this.claimStake(s));
    }
    if (phase >= 3) push(any(), 2, () => this.addRewards());
  }

  /**
   * Wall-clock mode: a window opens when the last is WINDOW_DAYS days old (by the host's day); then, now and then,
   * the operator's rewards and one staker's action, each only when the block's timestamp is in its period.
   */
  realtime(day: number): void {
    const r = this.x.rng;
    if (this.windowDay === null || day - this.windowDay >= WINDOW_DAYS) {
      this.windowDay = day;
      this.openWindow();
    }
    if (r.next() < 0.1) this.addRewards();
    const s = r.pick(this.x.stakers);
    const k = r.next();
    if (k < 0.15) this.submitStake(s);
    else if (k < 0.18) this.withdrawStake(s);
    else if (k < 0.19) this.rejectStake(s);
    else if (k < 0.25) this.requestForClaim(s);
    else if (k < 0.35) this.claimStake(s);
  }

  private now(): bigint {
    return BigInt(this.x.host.now());
  }

  private stakeInfo(s: string): StakeInfo {
    let i = this.info.get(s);
    if (!i) {
      i = { pending: 0n, approved: 0n, claimable: new Map(), rewarded: 0n };
      this.info.set(s, i);
    }
    return i;
  }

  private call(from: string, fn: string, args: unknown[]): void {
    this.x.send(from, this.x.stake, STAKE_ABI, fn, args, `TokenStake.${fn}`);
  }

  /**
   * The operator funds the pool with the window's reward (a plain transfer) and opens the window, once the
   * previous one's approval period is over and its claim requests have started (the contract's own check).
   */
  private openWindow(): void {
    const { x } = this;
    const now = this.now();
    const prev = this.windows.get(this.current);
    if (prev && (now <= prev.approvalEnd || now < prev.start + BigInt(REQUEST_WITHDRAW))) {
      this.windowDay = null; // try again on the next day
      return;
    }
    if (!x.claimSlot(`a:${x.owner}`)) return;
    // about 15 % a year on a typical window's stake (≈55,000 FET over 5 days: ≈113 FET), as SingularityNET's staking
    const reward = x.amount(60, 180, FET);
    if (x.ledger.balanceOf(x.owner) < reward) {
      this.windowDay = null; // not funded yet (the genesis mint is in this block): open on the next day
      return;
    }
    const p = (s: number) => now + BigInt(s);
    x.send(x.owner, x.token, TOKEN_ABI as Abi, "transfer", [x.stake, reward], "FET.transfer (reward pool)");
    this.call(x.owner, "openForStake", [
      now,
      p(SUBMISSION),
      p(APPROVAL),
      p(REQUEST_WITHDRAW),
      p(END),
      reward,
      MIN_STAKE,
      true,
    ]);
  }

  /** The current window, when the block's timestamp is in its submission period. */
  private submitting(): Window | null {
    const w = this.windows.get(this.current);
    const now = this.now();
    return w && now >= w.start && now <= w.start + BigInt(SUBMISSION) ? w : null;
  }

  private submitStake(s: string): void {
    const { x } = this;
    if (!this.submitting()) return;
    const bal = x.ledger.balanceOf(s);
    const amt = (bal * BigInt(x.rng.int(5, 40))) / 100n;
    const i = this.stakeInfo(s);
    if (amt === 0n || amt + i.pending + i.approved < MIN_STAKE || !x.claimSlot(`a:${s}`)) return;
    this.call(s, "submitStake", [amt]);
  }

  /** Part of the stake submitted in this window (leaving at least the minimum), or all of it. */
  private withdrawStake(s: string): void {
    const { x } = this;
    const i = this.stakeInfo(s);
    if (!this.submitting() || i.pending === 0n) return;
    let amt = (i.pending * BigInt(x.rng.int(10, 100))) / 100n;
    if (amt === 0n || i.pending - amt < MIN_STAKE) amt = i.pending;
    if (!x.claimSlot(`a:${s}`)) return;
    this.call(s, "withdrawStake", [this.current, amt]);
  }

  /** The operator returns a stake submitted in the current window, after the submissions. */
  private rejectStake(s: string): void {
    const { x } = this;
    const w = this.windows.get(this.current);
    if (!w || this.now() <= w.start + BigInt(SUBMISSION) || this.stakeInfo(s).pending === 0n) return;
    if (!x.claimSlot(`a:${x.owner}`, `a:${s}`)) return;
    this.call(x.owner, "rejectStake", [this.current, s]);
  }

  /** computeAndAddReward for every staker with stake not yet rewarded in the current window. */
  private addRewards(): void {
    const { x } = this;
    const w = this.windows.get(this.current);
    const now = this.now();
    if (!w || now <= w.approvalEnd || now >= w.start + BigInt(REQUEST_WITHDRAW)) return;
    if (!x.claimSlot(`a:${x.owner}`)) return;
    for (const s of x.stakers) {
      const i = this.stakeInfo(s);
      if ((i.approved === 0n && i.pending === 0n) || i.rewarded === this.current) continue;
      if (!x.claimSlot(`a:${s}`)) continue; // the staker acts in this block: reward it in a later one
      this.call(x.owner, "computeAndAddReward", [this.current, s]);
    }
  }

  /**
   * In the claim period: a staker asks to claim its stake (it leaves the next window), or, rarely, takes back its
   * request (the stake renews).
   */
  private requestForClaim(s: string): void {
    const { x } = this;
    const w = this.windows.get(this.current);
    const now = this.now();
    if (!w || now < w.start + BigInt(REQUEST_WITHDRAW) || now > w.end) return;
    const i = this.stakeInfo(s);
    const renew = (i.claimable.get(this.current) ?? 0n) > 0n && i.approved === 0n && x.rng.next() < 0.2;
    if (!renew && i.approved === 0n) return;
    if (!x.claimSlot(`a:${s}`)) return;
    this.call(s, "requestForClaim", [this.current, renew]);
  }

  /** A stake requested for claim in a window that has ended. */
  private claimStake(s: string): void {
    const { x } = this;
    const now = this.now();
    const i = this.stakeInfo(s);
    const idx = [...i.claimable].find(([k, v]) => v > 0n && now > (this.windows.get(k)?.end ?? now))?.[0];
    if (idx === undefined || !x.claimSlot(`a:${s}`)) return;
    this.call(s, "claimStake", [idx]);
  }

  /** A TokenStake log: the stakers' amounts as the contract keeps them, and the ground truth. */
  onLog(e: { eventName: string; args: Record<string, unknown> }): void {
    const a = e.args;
    const l = this.x.ledger;
    const staker = typeof a.staker === "string" ? a.staker.toLowerCase() : "";
    const principal = (delta: bigint) => {
      l.staked += delta;
      l.stakerDelta(staker, delta);
      if (delta > 0n) l.f.stakeInflow += delta;
      else l.f.stakeOutflow -= delta;
      l.activeStaker(staker);
    };
    switch (e.eventName) {
      case "OpenForStake": {
        const index = a.stakeIndex as bigint;
        this.current = index;
        this.windows.set(index, {
          start: a.startPeriod as bigint,
          approvalEnd: a.approvalEndPeriod as bigint,
          end: a.endPeriod as bigint,
        });
        return;
      }
      case "SubmitStake":
        this.stakeInfo(staker).pending += a.stakeAmount as bigint;
        principal(a.stakeAmount as bigint);
        return;
      case "WithdrawStake":
        this.stakeInfo(staker).pending -= a.stakeAmount as bigint;
        principal(-(a.stakeAmount as bigint));
        return;
      case "RejectStake":
        this.stakeInfo(staker).pending = 0n;
        principal(-(a.returnAmount as bigint));
        return;
      case "RequestForClaim": {
        // moves the stake between the renewing and the claimable amounts: no token, no balance moves
        const i = this.stakeInfo(staker);
        const index = a.stakeIndex as bigint;
        if (a.autoRenewal) {
          i.approved = i.claimable.get(index) ?? 0n;
          i.claimable.set(index, 0n);
        } else {
          i.claimable.set(index, i.approved);
          i.approved = 0n;
        }
        return;
      }
      case "ClaimStake": {
        const i = this.stakeInfo(staker);
        const index = a.stakeIndex as bigint;
        if ((i.claimable.get(index) ?? 0n) > 0n) i.claimable.set(index, 0n);
        else i.approved = 0n;
        principal(-(a.totalAmount as bigint));
        return;
      }
      case "AddReward": {
        // paid from the operator-funded pool: distributed incentives, restaked, not emission
        const i = this.stakeInfo(staker);
        const reward = a.rewardAmount as bigint;
        i.approved = a.totalStakeAmount as bigint;
        i.pending = 0n;
        i.rewarded = a.stakeIndex as bigint;
        l.staked += reward;
        l.stakerDelta(staker, reward);
        l.f.distributedIncentives += reward;
        return;
      }
    }
  }
}
