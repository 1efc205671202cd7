import { Address, BigInt, ethereum } from "@graphprotocol/graph-ts";
import { Payer, PeriodActivity, Protocol, Staker } from "../../generated/schema";
import { PERIOD_DAY, PERIOD_MONTH, PERIOD_WEEK, SECONDS_PER_DAY } from "./constants";
import { protocolKey } from "./ids";

/** Days since 1970-01-01 of the first day of the period containing `day`. */
export function periodStartDay(kind: i32, day: i64): i64 {
  if (kind == PERIOD_DAY) return day;
  if (kind == PERIOD_WEEK) return day - ((day + 3) % 7); // 1970-01-01 was a Thursday; weeks start Monday
  // Calendar month: civil-from-days (H. Hinnant), then back to the first of that month.
  const z = day + 719468;
  const era = (z >= 0 ? z : z - 146096) / 146097;
  const doe = z - era * 146097;
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const mp = (5 * doy + 2) / 153;
  const d = doy - (153 * mp + 2) / 5 + 1;
  return day - (d - 1);
}

/** UTC start (seconds) of the period of kind `kind` containing `timestamp`. */
export function periodStart(kind: i32, timestamp: i64): i64 {
  return periodStartDay(kind, timestamp / SECONDS_PER_DAY) * SECONDS_PER_DAY;
}

function periodName(kind: i32): string {
  if (kind == PERIOD_DAY) return "DAY";
  if (kind == PERIOD_WEEK) return "WEEK";
  return "MONTH";
}

function loadActivity(protocol: Protocol, kind: i32, start: i64): PeriodActivity {
  const id = protocolKey(protocol.id)
    .concatI32(kind)
    .concatI32(<i32>(start / SECONDS_PER_DAY));
  let act = PeriodActivity.load(id);
  if (act == null) {
    act = new PeriodActivity(id);
    act.protocol = protocol.id;
    act.period = periodName(kind);
    act.periodStart = BigInt.fromI64(start);
    act.payers = 0;
    act.newPayers = 0;
    act.activeStakers = 0;
  }
  return act;
}

const NEVER = BigInt.fromI32(-1);

/**
 * Counts a fee payer exactly once per day, ISO week and month (newPayers in the periods of its first
 * payment). The payer remembers the last periods it was counted in, so a repeat payment in the same
 * day costs one load and one save, and PeriodActivity is written only when a count changes.
 */
export function recordPayer(protocol: Protocol, payer: Address, event: ethereum.Event): void {
  const id = protocolKey(protocol.id).concat(payer);
  let p = Payer.load(id);
  const isNew = p == null;
  if (p == null) {
    p = new Payer(id);
    p.protocol = protocol.id;
    p.account = payer;
    p.firstPaymentTimestamp = event.block.timestamp;
    p.firstPaymentBlock = event.block.number;
    p.lastDay = NEVER;
    p.lastWeek = NEVER;
    p.lastMonth = NEVER;
  }
  const ts = event.block.timestamp.toI64();
  const day = periodStart(PERIOD_DAY, ts);
  if (p.lastDay.toI64() == day) return; // counted in this day, hence in its week and month too
  countPayer(protocol, PERIOD_DAY, day, isNew);
  p.lastDay = BigInt.fromI64(day);
  const week = periodStart(PERIOD_WEEK, ts);
  if (p.lastWeek.toI64() != week) {
    countPayer(protocol, PERIOD_WEEK, week, isNew);
    p.lastWeek = BigInt.fromI64(week);
  }
  const month = periodStart(PERIOD_MONTH, ts);
  if (p.lastMonth.toI64() != month) {
    countPayer(protocol, PERIOD_MONTH, month, isNew);
    p.lastMonth = BigInt.fromI64(month);
  }
  p.save();
}

function countPayer(protocol: Protocol, kind: i32, start: i64, isNew: boolean): void {
  const act = loadActivity(protocol, kind, start);
  act.payers = act.payers + 1;
  if (isNew) act.newPayers = act.newPayers + 1;
  act.save();
}

/**
 * Counts an account whose own stake moved, once per day, ISO week and month. Updates the (loaded)
 * Staker's last-active periods; the caller saves the Staker.
 */
export function markActiveStaker(protocol: Protocol, staker: Staker, event: ethereum.Event): void {
  const ts = event.block.timestamp.toI64();
  const day = periodStart(PERIOD_DAY, ts);
  if (staker.lastActiveDay.toI64() == day) return;
  countStaker(protocol, PERIOD_DAY, day);
  staker.lastActiveDay = BigInt.fromI64(day);
  const week = periodStart(PERIOD_WEEK, ts);
  if (staker.lastActiveWeek.toI64() != week) {
    countStaker(protocol, PERIOD_WEEK, week);
    staker.lastActiveWeek = BigInt.fromI64(week);
  }
  const month = periodStart(PERIOD_MONTH, ts);
  if (staker.lastActiveMonth.toI64() != month) {
    countStaker(protocol, PERIOD_MONTH, month);
    staker.lastActiveMonth = BigInt.fromI64(month);
  }
}

function countStaker(protocol: Protocol, kind: i32, start: i64): void {
  const act = loadActivity(protocol, kind, start);
  act.activeStakers = act.activeStakers + 1;
  act.save();
}
