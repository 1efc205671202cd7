/**
 * The simulator's own ledger: it applies docs/methodology.md to the events the simulator emits, and
 * builds the ground truth from them (never from the chain).
 */
import {
  FEE_FIELDS,
  type FeeField,
  type FeeStockField,
  FLOW_FIELDS,
  type FlowField,
  INT_FIELDS,
  type IntField,
  type StockField,
} from "../../api/src/fields.js";

export const ZERO = "0x0000000000000000000000000000000000000000";
export const DEAD = "0x000000000000000000000000000000000000dead";
export const DAY = 86400;
export const HOUR = 3600;

/** A field's value in the ledger: a count (Int or Int8 in the schema) is a number, an amount a bigint. */
type Value<K extends string> = K extends IntField ? number : bigint;
type SumField = FlowField | FeeField;

/** Flows of one bucket: every TokenFlowStats and FeeFlowStats sum of the schema (api/src/fields.ts). */
export type Flows = { [K in SumField]: Value<K> };

/** Stocks at the end of a bucket: the TokenFlowStats and FeeFlowStats cumulative aggregates. */
export type Stocks = { [K in StockField | FeeStockField]: Value<K> };

const SUM_FIELDS: readonly SumField[] = [...FLOW_FIELDS, ...FEE_FIELDS];
const isCount = (k: SumField): k is Extract<SumField, IntField> =>
  (INT_FIELDS as readonly string[]).includes(k);
const AMOUNT_KEYS = SUM_FIELDS.filter((k): k is Exclude<SumField, IntField> => !isCount(k));
const COUNT_KEYS = SUM_FIELDS.filter(isCount);

export function emptyFlows(): Flows {
  return Object.fromEntries(SUM_FIELDS.map((k) => [k, isCount(k) ? 0 : 0n])) as Flows;
}

export function addFlows(into: Flows, f: Flows): void {
  for (const k of AMOUNT_KEYS) into[k] += f[k];
  for (const k of COUNT_KEYS) into[k] += f[k];
}

export type PeriodKind = "DAY" | "WEEK" | "MONTH";

export const dayStart = (ts: number) => Math.floor(ts / DAY) * DAY;
export const hourStart = (ts: number) => Math.floor(ts / HOUR) * HOUR;
/** ISO week start: Monday 00:00 UTC (1970-01-01 was a Thursday). */
export const weekStart = (ts: number) => {
  const d = Math.floor(ts / DAY);
  return (d - ((d + 3) % 7)) * DAY;
};
export const monthStart = (ts: number) => {
  const dt = new Date(ts * 1000);
  return Date.UTC(dt.getUTCFullYear(), dt.getUTCMonth(), 1) / 1000;
};
export const periodStart = (kind: PeriodKind, ts: number) =>
  kind === "DAY" ? dayStart(ts) : kind === "WEEK" ? weekStart(ts) : monthStart(ts);
export const isoDate = (ts: number) => new Date(ts * 1000).toISOString().slice(0, 10);

interface Period {
  payers: Set<string>;
  newPayers: Set<string>;
  activeStakers: Set<string>;
}

/** Ledger of one protocol: token balances, stake by operator and staker, flows per hour, distinct counts. */
export class ProtocolLedger {
  now = 0;
  private balances = new Map<string, bigint>();
  holders = 0;
  supply = 0n;
  staked = 0n;
  private opStake = new Map<string, bigint>();
  operators = 0;
  private stakerStake = new Map<string, bigint>();
  /** Principal per operator and account ("op/account"), for protocols with operators (principalDelta). */
  private principals = new Map<string, bigint>();
  stakers = 0;
  cumulativeFees = 0n;
  private payersEver = new Set<string>();
  /** hour start -> flows and end-of-hour stocks (hours with at least one event of this protocol) */
  readonly hours = new Map<number, { flows: Flows; stocks?: Stocks }>();
  /** day start -> stocks at the end of the last block of that day */
  readonly dayStocks = new Map<number, Stocks>();
  readonly periods = new Map<string, Period>();
  /** The Graph: true once the first Horizon staking event was applied. */
  horizonActive = false;
  horizonSince: number | null = null;

  constructor(readonly token: string) {}

  /** Flows of the current hour (marks the hour as active). */
  get f(): Flows {
    const h = hourStart(this.now);
    let b = this.hours.get(h);
    if (!b) {
      b = { flows: emptyFlows() };
      this.hours.set(h, b);
    }
    return b.flows;
  }

  /** Marks the current hour as having an event, without any flow. */
  touch(): void {
    void this.f;
  }

  balanceOf(a: string): bigint {
    return this.balances.get(a) ?? 0n;
  }

  private setBalance(a: string, v: bigint): void {
    if (v < 0n) throw new Error(`ledger: negative balance for ${a}`);
    const old = this.balanceOf(a);
    if (old === 0n && v > 0n) this.holders++;
    if (old > 0n && v === 0n) this.holders--;
    this.balances.set(a, v);
  }

  /** A Transfer event of the protocol's token (rule 1). */
  transfer(from: string, to: string, amount: bigint): void {
    const f = this.f;
    const isMint = from === ZERO;
    const isBurn = to === ZERO || to === DEAD;
    if (!isMint && !isBurn) {
      // transferVolume: Transfer amounts excluding mints and burns (docs/metrics.md)
      f.transferVolume += amount;
      f.transferCount += 1;
    }
    if (isMint) {
      f.minted += amount;
      this.supply += amount;
    } else {
      this.setBalance(from, this.balanceOf(from) - amount);
    }
    if (isBurn) {
      f.burned += amount;
      this.supply -= amount;
    } else {
      this.setBalance(to, this.balanceOf(to) + amount);
    }
  }

  operatorStake(op: string): bigint {
    return this.opStake.get(op) ?? 0n;
  }

  /** Operator totalStake delta (operators = operators with totalStake > 0). */
  opDelta(op: string, delta: bigint): void {
    const old = this.operatorStake(op);
    const v = old + delta;
    if (v < 0n) throw new Error(`ledger: negative operator stake for ${op}`);
    if (old === 0n && v > 0n) this.operators++;
    if (old > 0n && v === 0n) this.operators--;
    this.opStake.set(op, v);
  }

  stakeOf(account: string): bigint {
    return this.stakerStake.get(account) ?? 0n;
  }

  /** Staker stake delta (stakers = accounts with stake > 0). */
  stakerDelta(account: string, delta: bigint): void {
    this.stakerSet(account, this.stakeOf(account) + delta);
  }

  /**
   * A slash of an operator's stake: `tokens` leave `staked`, `toFinder` of them go to the finder and the rest is
   * burned (slashed, slashedToFinder, slashedBurned = burnedSlashing). The staker's principal is the caller's rule.
   */
  slash(op: string, tokens: bigint, toFinder: bigint): void {
    const f = this.f;
    f.slashed += tokens;
    f.slashedToFinder += toFinder;
    f.slashedBurned += tokens - toFinder;
    f.burnedSlashing += tokens - toFinder;
    this.staked -= tokens;
    this.opDelta(op, -tokens);
  }

  /**
   * An account's principal at one operator changes by delta, floored at 0 (what leaves may include the account's
   * share of rewards and fees, or a slash beyond its principal). Its staker stake moves by what the principal
   * moved: in a protocol with operators an account's stake is the sum of its stakes at each operator.
   */
  principalDelta(op: string, account: string, delta: bigint): void {
    const key = `${op}/${account}`;
    const before = this.principals.get(key) ?? 0n;
    const after = before + delta < 0n ? 0n : before + delta;
    this.principals.set(key, after);
    this.stakerDelta(account, after - before);
  }

  /** Staker stake delta floored at 0, for protocols without operators (the account's one balance in the contract). */
  stakerDeltaFloored(account: string, delta: bigint): void {
    const v = this.stakeOf(account) + delta;
    this.stakerSet(account, v < 0n ? 0n : v);
  }
  stakerSet(account: string, v: bigint): void {
    const old = this.stakeOf(account);
    if (v < 0n) throw new Error(`ledger: negative staker stake for ${account}`);
    if (old === 0n && v > 0n) this.stakers++;
    if (old > 0n && v === 0n) this.stakers--;
    this.stakerStake.set(account, v);
  }

  totalOperatorStake(): bigint {
    let s = 0n;
    for (const v of this.opStake.values()) s += v;
    return s;
  }

  private period(kind: PeriodKind): Period {
    const key = `${kind}:${periodStart(kind, this.now)}`;
    let p = this.periods.get(key);
    if (!p) {
      p = { payers: new Set(), newPayers: new Set(), activeStakers: new Set() };
      this.periods.set(key, p);
    }
    return p;
  }

  /** A fee payer (fee events only). */
  payer(account: string): void {
    const isNew = !this.payersEver.has(account);
    this.payersEver.add(account);
    for (const k of ["DAY", "WEEK", "MONTH"] as const) {
      const p = this.period(k);
      p.payers.add(account);
      if (isNew) p.newPayers.add(account);
    }
  }

  /** An account whose own principal entered or left `staked` (the accounts behind stakeInflow / stakeOutflow). */
  activeStaker(account: string): void {
    for (const k of ["DAY", "WEEK", "MONTH"] as const) this.period(k).activeStakers.add(account);
  }

  /** A fee event in the protocol's fee asset. */
  fee(payer: string | null, tokens: bigint, protocolTax: bigint, curationFees: bigint): void {
    const f = this.f;
    f.fees += tokens;
    f.protocolTax += protocolTax;
    f.curationFees += curationFees;
    f.supplySideFees += tokens - protocolTax - curationFees;
    f.feeEvents += 1;
    this.cumulativeFees += tokens;
    if (payer) this.payer(payer);
  }

  stocks(): Stocks {
    return {
      totalSupply: this.supply,
      staked: this.staked,
      operators: this.operators,
      stakers: this.stakers,
      holders: this.holders,
      cumulativeFees: this.cumulativeFees,
    };
  }

  /** Records the stocks at the end of a block at `ts`. */
  snapshot(ts: number): void {
    const s = this.stocks();
    const h = this.hours.get(hourStart(ts));
    if (h) h.stocks = s;
    this.dayStocks.set(dayStart(ts), s);
  }
}
