/**
 * The scorecard: plain-language lines about a protocol over a window of days (utility, incentives, token
 * economics, decentralisation), built from daily buckets, the window's distinct payers and operator stakes. Each
 * line's value is the catalog's own metric where one exists (no second formula); null, with the reason, where a
 * line does not apply.
 */
import type { ProtocolRef } from "../core/protocols.js";
import { formatUnits } from "../metrics/amount.js";
import { METRICS_BY_NAME } from "../metrics/catalog.js";
import type { MetricValue } from "../metrics/define.js";
import * as f from "../metrics/formulas.js";
import { type AssetInfo, USD } from "../metrics/traits.js";
import { DAY, type DenseBucket, toPeriod } from "../series/rollup.js";
import type { Row } from "../upstream/loaders.js";

export interface ScoreLine {
  category: "UTILITY" | "INCENTIVES" | "TOKEN_ECONOMICS" | "DECENTRALISATION";
  metric: string;
  value: MetricValue;
  unit: { kind: string; symbol: string | null; decimals: number | null };
  windowDays: number | null;
  from: number | null;
  to: number | null;
  finding: string;
  /** Why the value is null, when it can say. */
  note?: string | null;
}

export interface Scorecard {
  /** The protocol id as asked ("morpheus", "local-b/morpheus"): what the answer is named by. */
  id: string;
  ref: ProtocolRef;
  windowDays: number;
  from: number;
  to: number;
  lines: ScoreLine[];
}

/** Percent text with two significant digits: 0.0312 → "3.1%". */
export function pct(x: number): string {
  return `${Number((x * 100).toPrecision(2))}%`;
}

/** Rounded, grouped number for findings (the exact value is in the line's value): "17,543.54", "0.902". */
export function readable(exact: string): string {
  const n = Number(exact);
  return Math.abs(n) >= 1
    ? n.toLocaleString("en-US", { maximumFractionDigits: 2 })
    : n.toLocaleString("en-US", { maximumSignificantDigits: 3 });
}

function sumFees(dense: readonly DenseBucket[], from: number, to: number): bigint {
  return dense.filter((d) => d.start >= from && d.start < to).reduce((a, d) => a + d.fees.fees, 0n);
}

/** Pure: builds the scorecard lines from daily buckets, distinct payer rows and operator stakes. */
export function buildScorecard(
  ref: ProtocolRef,
  dense: readonly DenseBucket[],
  windowDays: number,
  end: number,
  payerRows: readonly Row[],
  stakes: readonly bigint[],
  id: string = ref.protocol.id,
): Scorecard {
  const t = ref.traits;
  const token: AssetInfo = {
    address: ref.protocol.token.address,
    symbol: ref.protocol.token.symbol,
    decimals: ref.protocol.token.decimals,
  };
  const from = end - windowDays * DAY;
  const win = dense.filter((d) => d.start >= from && d.start < end);
  const lines: ScoreLine[] = [];
  const fmt = (v: bigint, a: AssetInfo) => `${readable(formatUnits(v, a.decimals))} ${a.symbol}`;
  const over = `over the last ${windowDays} days`;
  const unitOf = (kind: string, a: AssetInfo | null = null) => ({
    kind,
    symbol: a?.symbol ?? null,
    decimals: a?.decimals ?? null,
  });
  const line = (
    category: ScoreLine["category"],
    metric: string,
    value: MetricValue,
    unit: ScoreLine["unit"],
    finding: string,
    windowed = true,
  ) =>
    lines.push({
      category,
      metric,
      value,
      unit,
      windowDays: windowed ? windowDays : null,
      from: windowed ? from : null,
      to: windowed ? end : null,
      finding,
    });

  const period = win.length > 0 ? toPeriod(win, from, end, DAY) : null;
  const payers = BigInt(new Set(payerRows.map((r) => String(r.payer))).size);
  if (period) period.activity = { payers, newPayers: 0n, activeStakers: 0n };
  const fees = period?.fees.fees ?? 0n;

  // Utility / demand
  line(
    "UTILITY",
    "fees",
    fees,
    unitOf("FEE_ASSET", t.feeAsset),
    `users paid ${fmt(fees, t.feeAsset)} in fees ${over}`,
  );
  line("UTILITY", "payers", payers, unitOf("COUNT"), `${payers} distinct accounts paid fees ${over}`);
  for (const days of [30, 90]) {
    const cur = sumFees(dense, end - days * DAY, end);
    const prev = sumFees(dense, end - 2 * days * DAY, end - days * DAY);
    const tr = f.trend(cur, prev);
    line(
      "UTILITY",
      `feesTrend${days}d`,
      tr,
      unitOf("RATIO"),
      tr === null
        ? `no fees in the ${days} days before the last ${days}: no trend`
        : `fees ${tr >= 0 ? "rose" : "fell"} ${pct(Math.abs(tr))} over the last ${days} days compared with the ${days} days before`,
      false,
    );
  }
  const fpp = f.feePerPayer(fees, payers);
  line(
    "UTILITY",
    "feePerPayer",
    fpp,
    unitOf("FEE_ASSET", t.feeAsset),
    fpp === null ? `no payers ${over}` : `a payer paid ${fmt(fpp, t.feeAsset)} on average ${over}`,
  );

  // Incentive design: in the token when fees are paid in it, else in USD at the events' prices
  const covMetric = METRICS_BY_NAME.get("incentiveCoverage");
  const covApplies = covMetric?.applies(t) ?? false;
  const cov = period && covMetric && covApplies ? (covMetric.compute(period, t) as number | null) : null;
  const covNote = period && cov === null && covMetric?.note ? covMetric.note(period, t) : null;
  const inUsd = t.sameAsset
    ? ""
    : ` (in USD at each event's price: fees in ${t.feeAsset.symbol}, incentives in ${token.symbol})`;
  line(
    "INCENTIVES",
    "incentiveCoverage",
    cov,
    unitOf("RATIO"),
    cov !== null
      ? `fees covered ${pct(cov)} of token incentives ${over}${inUsd}`
      : !covApplies
        ? `no token incentives: ${ref.protocol.name} pays none on ${ref.protocol.network} (fees are all demand, nothing to cover)`
        : covNote !== null
          ? `fees and incentives not compared: ${covNote}`
          : `no token incentives ${over}`,
  );
  if (covNote) (lines[lines.length - 1] as ScoreLine).note = covNote;
  for (const name of ["feesUsd", "tokenIncentivesUsd"] as const) {
    const m = METRICS_BY_NAME.get(name);
    if (!m || !period || !m.applies(t)) continue;
    const v = m.compute(period, t) as bigint | null;
    const note = v === null && m.note ? m.note(period, t) : null;
    line(
      "INCENTIVES",
      name,
      v,
      unitOf("USD", USD),
      v === null
        ? `${name === "feesUsd" ? "fees" : "token incentives"} not valued: ${note}`
        : `${name === "feesUsd" ? "users paid" : "the supply side received"} $${readable(formatUnits(v, 18))} ${name === "feesUsd" ? "in fees" : "in token incentives"} ${over}, at each event's price`,
    );
    if (note) (lines[lines.length - 1] as ScoreLine).note = note;
  }
  // The rest as the catalog computes it (one definition per metric); null with the reason where it does not apply
  const value = (name: string): MetricValue => {
    const m = METRICS_BY_NAME.get(name);
    return period && m?.applies(t) ? m.compute(period, t) : null;
  };
  const applies = (name: string) => METRICS_BY_NAME.get(name)?.applies(t) ?? false;
  const noEmission = `${ref.protocol.name} mints no rewards on ${ref.protocol.network}`;
  const ry = value("rewardYield") as number | null;
  const infl = value("inflationRate") as number | null;
  const real = value("realYield") as number | null;
  line(
    "INCENTIVES",
    "rewardYield",
    ry,
    unitOf("RATE_PER_YEAR"),
    !applies("rewardYield")
      ? t.fields.has("staking")
        ? `no staking yield: ${ref.protocol.name}'s token incentives are not paid to its stakers on ${ref.protocol.network}`
        : `no staking on ${ref.protocol.network}`
      : ry === null
        ? `nothing staked ${over}`
        : `stakers earned ${pct(ry)} a year in token incentives ${over}`,
  );
  line(
    "INCENTIVES",
    "realYield",
    real,
    unitOf("RATE_PER_YEAR"),
    real === null || infl === null
      ? "no real yield: reward yield or inflation unknown"
      : `after ${pct(infl)} a year of supply growth, the real yield was ${pct(real)} a year`,
  );

  // Token economics
  line(
    "TOKEN_ECONOMICS",
    "inflationRate",
    infl,
    unitOf("RATE_PER_YEAR"),
    infl === null
      ? "no supply at the start of the window"
      : `supply changed at ${pct(infl)} a year ${over} by issuance and burns (bridges and migrations left out)`,
  );
  const ste = value("sinkToEmission") as number | null;
  line(
    "TOKEN_ECONOMICS",
    "sinkToEmission",
    ste,
    unitOf("RATIO"),
    !applies("sinkToEmission")
      ? noEmission
      : ste === null
        ? `no emission ${over}`
        : `burns offset ${pct(ste)} of emission ${over}`,
  );
  const net = value("netEmission") as bigint | null;
  line(
    "TOKEN_ECONOMICS",
    "netEmission",
    net,
    unitOf("TOKEN", token),
    net === null ? noEmission : `${fmt(net, token)} net emitted (emission − burns) ${over}`,
  );

  // Decentralisation (at the snapshot block)
  const hasOps = t.fields.has("operators");
  const n3 = hasOps ? f.nakamotoCoefficient(stakes, 1n, 3n) : null;
  const n2 = hasOps ? f.nakamotoCoefficient(stakes, 1n, 2n) : null;
  const top = hasOps ? f.topOperatorShare(stakes, 10) : null;
  const ops = stakes.filter((s) => s > 0n).length;
  const noOps = `${ref.protocol.name} has no operators holding stake`;
  line(
    "DECENTRALISATION",
    "nakamotoCoefficient",
    n3 === null ? null : BigInt(n3),
    unitOf("COUNT"),
    !hasOps
      ? noOps
      : n3 === null
        ? "nothing staked"
        : `${n3} operators together hold more than a third of the stake`,
    false,
  );
  line(
    "DECENTRALISATION",
    "nakamotoCoefficient50",
    n2 === null ? null : BigInt(n2),
    unitOf("COUNT"),
    !hasOps
      ? noOps
      : n2 === null
        ? "nothing staked"
        : `${n2} operators together hold more than half of the stake`,
    false,
  );
  line(
    "DECENTRALISATION",
    "topOperatorShare",
    top,
    unitOf("RATIO"),
    !hasOps ? noOps : top === null ? "nothing staked" : `the top 10 operators hold ${pct(top)} of the stake`,
    false,
  );
  line(
    "DECENTRALISATION",
    "operators",
    hasOps ? BigInt(ops) : null,
    unitOf("COUNT"),
    hasOps ? `${ops} operators have stake` : noOps,
    false,
  );
  return { id, ref, windowDays, from, to: end, lines };
}
