/**
 * Staking: stake and its flows, slashing, staking ratio, reward and real yield, operators, stakers and
 * active stakers (docs/metrics.md, "Staking").
 */
import { ALL, distinct, flow, type MetricDef, stock } from "./define.js";
import * as f from "./formulas.js";
import { has } from "./traits.js";
import { incentivesOf, issuanceChangeOf, secs } from "./values.js";

export const STAKING_METRICS: readonly MetricDef[] = [
  stock(
    "staked",
    "staked",
    "Tokens staked at the end of the period (stock).",
    "STAKING",
    "TOKEN",
    has("staking"),
  ),
  flow(
    "stakeInflow",
    "stakeInflow",
    "Principal staked or delegated in the period.",
    "STAKING",
    "TOKEN",
    has("staking"),
  ),
  flow(
    "stakeOutflow",
    "stakeOutflow",
    "Principal unstaked or undelegated in the period.",
    "STAKING",
    "TOKEN",
    has("staking"),
  ),
  flow("slashed", "slashed", "Stake slashed.", "STAKING", "TOKEN", has("slashing")),
  flow(
    "slashedBurned",
    "slashedBurned",
    "Part of the slashed stake that was burned.",
    "STAKING",
    "TOKEN",
    has("slashing"),
  ),
  flow(
    "slashedToFinder",
    "slashedToFinder",
    "Part of the slashed stake paid to the finder / fisherman.",
    "STAKING",
    "TOKEN",
    has("slashing"),
  ),
  {
    name: "stakingRatio",
    description: "staked / totalSupply, both at the end of the period.",
    group: "STAKING",
    unit: "RATIO",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("staking"),
    compute: (p) => f.stakingRatio(p.stocksEnd.staked, p.stocksEnd.totalSupply),
  },
  {
    name: "rewardYield",
    description:
      "tokenIncentives / average staked, annualised (average = trapezoid over the period's buckets).",
    group: "STAKING",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("stakingRewards"),
    compute: (p) =>
      f.rewardYield(
        incentivesOf(p),
        p.stockPoints.map((s) => s.staked),
        secs(p),
      ),
  },
  {
    name: "realYield",
    description: "(1 + rewardYield) / (1 + inflationRate) − 1.",
    group: "STAKING",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: has("stakingRewards"),
    compute: (p) =>
      f.realYield(
        f.rewardYield(
          incentivesOf(p),
          p.stockPoints.map((s) => s.staked),
          secs(p),
        ),
        f.inflationRate(issuanceChangeOf(p), p.stocksStart.totalSupply, secs(p)),
      ),
  },
  stock(
    "operators",
    "operators",
    "Operators with stake > 0 at the end of the period.",
    "STAKING",
    "COUNT",
    has("operators"),
  ),
  stock(
    "stakers",
    "stakers",
    "Accounts with stake > 0 at the end of the period.",
    "STAKING",
    "COUNT",
    has("staking"),
  ),
  distinct(
    "activeStakers",
    "activeStakers",
    "Distinct accounts whose stake changed by their own action in the period.",
    "STAKING",
    has("staking"),
  ),
];
