/**
 * The ground truth's per-protocol part, built from a ledger (contracts/src/ledger.ts): every UTC day of the run,
 * the hours with an event, ISO weeks and months (docs/simulator.md, "Ground-truth format"). Protocol-free: the
 * main simulator and the second-network host build their protocols' truth with it.
 */
import type { FeeField, FeeStockField, FlowField, IntField, StockField } from "../../../api/src/fields.js";
import {
  addFlows,
  DAY,
  emptyFlows,
  type Flows,
  HOUR,
  isoDate,
  monthStart,
  type PeriodKind,
  type ProtocolLedger,
  type Stocks,
  weekStart,
} from "../ledger.js";

/**
 * One row per bucket: every TokenFlowStats and FeeFlowStats field of the schema (api/src/fields.ts), BigInt as
 * decimal strings, counts (Int, Int8) as numbers.
 */
export type FlowRow = { timestamp: number; date: string } & {
  [K in FlowField | StockField | FeeField | FeeStockField]: K extends IntField ? number : string;
};

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
  /** Fee asset: the token address, or the zero address for ETH. */
  feeAsset: string;
  /** Timestamps of the protocol's one-off events, null when none happened (e.g. The Graph's horizonSwitch). */
  milestones?: Record<string, number | null>;
  /** Every UTC day of the run, gap-free (empty days: flows 0, stocks carried). */
  daily: DayRow[];
  /** Only hours with at least one event of this protocol's contracts. */
  hourly: HourRow[];
  /** ISO weeks (Monday 00:00 UTC) that overlap the run; distinct counts over the simulated part. */
  weekly: ActivityRow[];
  /** Calendar months that overlap the run. */
  monthly: ActivityRow[];
}

/** A protocol's truth over the run's `days` days from `startTime` (00:00 UTC), from its ledger. */
export function protocolTruth(
  l: ProtocolLedger,
  token: ProtocolTruth["token"],
  feeAsset: string,
  startTime: number,
  days: number,
  milestones?: Record<string, number | null>,
): ProtocolTruth {
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
  for (let d = 0; d < days; d++) {
    const ts = startTime + d * DAY;
    const flows = emptyFlows();
    for (let h = 0; h < 24; h++) {
      const b = l.hours.get(ts + h * HOUR);
      if (b) addFlows(flows, b.flows);
    }
    stocks = l.dayStocks.get(ts) ?? stocks;
    daily.push({ ...flowRow(ts, flows, stocks), ...activity("DAY", ts) });
  }
  const hourly: HourRow[] = [];
  const endTime = startTime + days * DAY;
  for (const [ts, b] of [...l.hours.entries()].sort((x, y) => x[0] - y[0])) {
    if (ts < startTime || ts >= endTime) continue;
    hourly.push(flowRow(ts, b.flows, b.stocks ?? zeroStocks));
  }
  const weekly: ActivityRow[] = [];
  for (let w = weekStart(startTime); w < endTime; w += 7 * DAY) weekly.push(activity("WEEK", w));
  const monthly: ActivityRow[] = [];
  for (let m = monthStart(startTime); m < endTime; m = monthStart(m + 32 * DAY))
    monthly.push(activity("MONTH", m));
  return {
    token,
    feeAsset,
    ...(milestones ? { milestones } : {}),
    daily,
    hourly,
    weekly,
    monthly,
  };
}

export function flowRow(ts: number, f: Flows, s: Stocks): FlowRow {
  return {
    timestamp: ts,
    date: isoDate(ts),
    minted: f.minted.toString(),
    burned: f.burned.toString(),
    burnedFeeTax: f.burnedFeeTax.toString(),
    burnedCurationTax: f.burnedCurationTax.toString(),
    burnedSlashing: f.burnedSlashing.toString(),
    burnedBridge: f.burnedBridge.toString(),
    burnedMigration: f.burnedMigration.toString(),
    mintedBridge: f.mintedBridge.toString(),
    mintedMigration: f.mintedMigration.toString(),
    grossEmission: f.grossEmission.toString(),
    treasuryEmission: f.treasuryEmission.toString(),
    distributedIncentives: f.distributedIncentives.toString(),
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
    feesUsd: f.feesUsd.toString(),
    protocolTaxUsd: f.protocolTaxUsd.toString(),
    feesUnpriced: f.feesUnpriced.toString(),
    grossEmissionUsd: f.grossEmissionUsd.toString(),
    grossEmissionUnpriced: f.grossEmissionUnpriced.toString(),
    burnedUsd: f.burnedUsd.toString(),
    burnedUnpriced: f.burnedUnpriced.toString(),
  };
}
