/**
 * Circulation: transfers, velocity and holders (docs/metrics.md, "Circulation").
 */
import { ALL, always, flow, type MetricDef, stock } from "./define.js";
import * as f from "./formulas.js";
import { secs } from "./values.js";

export const CIRCULATION_METRICS: readonly MetricDef[] = [
  flow("transferVolume", "transferVolume", "Tokens transferred, excluding mints and burns.", "CIRCULATION"),
  flow(
    "transferCount",
    "transferCount",
    "Number of transfers, excluding mints and burns.",
    "CIRCULATION",
    "COUNT",
  ),
  {
    name: "velocity",
    description: "transferVolume / average totalSupply, annualised.",
    group: "CIRCULATION",
    unit: "RATE_PER_YEAR",
    kind: "RATIO",
    sources: ["token"],
    intervals: ALL,
    applies: always,
    compute: (p) =>
      f.velocity(
        p.flows.transferVolume,
        p.stockPoints.map((s) => s.totalSupply),
        secs(p),
      ),
  },
  stock(
    "holders",
    "holders",
    "Accounts with a token balance > 0 at the end of the period.",
    "CIRCULATION",
    "COUNT",
  ),
];
