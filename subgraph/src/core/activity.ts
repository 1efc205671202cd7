import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { Payer, PeriodActivity, PeriodMember, Protocol } from "../../generated/schema";
import { PERIOD_DAY, PERIOD_MONTH, PERIOD_WEEK, ROLE_PAYER, ROLE_STAKER, SECONDS_PER_DAY } from "./constants";
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

function periodName(kind: i32): string {
  if (kind == PERIOD_DAY) return "DAY";
  if (kind == PERIOD_WEEK) return "WEEK";
  return "MONTH";
}

function loadActivity(protocol: Protocol, kind: i32, timestamp: i64): PeriodActivity {
  const startDay = periodStartDay(kind, timestamp / SECONDS_PER_DAY);
  const id = protocolKey(protocol.id).concatI32(kind).concatI32(<i32>startDay);
  let act = PeriodActivity.load(id);
  if (act == null) {
    act = new PeriodActivity(id);
    act.protocol = protocol.id;
    act.period = periodName(kind);
    act.periodStart = BigInt.fromI64(startDay * SECONDS_PER_DAY);
    act.payers = 0;
    act.newPayers = 0;
    act.activeStakers = 0;
  }
  return act;
}

/** True the first time `account` is seen in this period in this role. */
function firstInPeriod(act: PeriodActivity, role: i32, account: Bytes): boolean {
  const id = act.id.concatI32(role).concat(account);
  if (PeriodMember.load(id) != null) return false;
  new PeriodMember(id).save();
  return true;
}

const KINDS: i32[] = [PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH];

/** Counts a fee payer exactly once per day, week and month; newPayers in the period of its first payment. */
export function recordPayer(protocol: Protocol, payer: Address, event: ethereum.Event): void {
  const id = protocolKey(protocol.id).concat(payer);
  let isNew = false;
  if (Payer.load(id) == null) {
    const p = new Payer(id);
    p.protocol = protocol.id;
    p.account = payer;
    p.firstPaymentTimestamp = event.block.timestamp;
    p.firstPaymentBlock = event.block.number;
    p.save();
    isNew = true;
  }
  const ts = event.block.timestamp.toI64();
  for (let i = 0; i < KINDS.length; i++) {
    const act = loadActivity(protocol, KINDS[i], ts);
    if (firstInPeriod(act, ROLE_PAYER, payer)) act.payers = act.payers + 1;
    if (isNew) act.newPayers = act.newPayers + 1;
    act.save();
  }
}

/** Counts an account that changed its own stake, once per day, week and month. */
export function recordActiveStaker(protocol: Protocol, account: Address, event: ethereum.Event): void {
  const ts = event.block.timestamp.toI64();
  for (let i = 0; i < KINDS.length; i++) {
    const act = loadActivity(protocol, KINDS[i], ts);
    if (firstInPeriod(act, ROLE_STAKER, account)) {
      act.activeStakers = act.activeStakers + 1;
      act.save();
    }
  }
}
