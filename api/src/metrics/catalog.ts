/**
 * The metric catalog: every metric the gateway serves, in the order the `metrics` query lists them, by group
 * (supply.ts, demand.ts, staking.ts, circulation.ts; definitions and builders in define.ts).
 */
import { CIRCULATION_METRICS } from "./circulation.js";
import type { MetricDef } from "./define.js";
import { DEMAND_METRICS } from "./demand.js";
import { STAKING_METRICS } from "./staking.js";
import { SUPPLY_METRICS } from "./supply.js";

export const METRICS: readonly MetricDef[] = [
  ...SUPPLY_METRICS,
  ...DEMAND_METRICS,
  ...STAKING_METRICS,
  ...CIRCULATION_METRICS,
];

export const METRICS_BY_NAME: ReadonlyMap<string, MetricDef> = new Map(METRICS.map((m) => [m.name, m]));
