import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { envName, envOverrides, loadConfig, parseConfig } from "../src/core/config.js";
import { METRICS } from "../src/metrics/catalog.js";
import {
  countPeriods,
  ENTITY_ROWS,
  operationCost,
  overBudget,
  scorecardCost,
  seriesCost,
} from "../src/protections/cost.js";
import { t } from "./fixtures.js";

const DAY = 86_400;
const DAY_METRICS = METRICS.filter((m) => m.intervals.includes("DAY")).map((m) => m.name);
const daysBetween = (a: string, b: string) => (t(b) - t(a)) / DAY;
const defaults = parseConfig({ upstreams: [{ name: "x", url: "http://127.0.0.1:1/x", network: "n" }] });

describe("cost before work", () => {
  it("counts periods of every interval", () => {
    expect(countPeriods("DAY", t("2024-01-01"), t("2024-03-01"))).toBe(
      daysBetween("2024-01-01", "2024-03-01"),
    );
    expect(countPeriods("HOUR", t("2024-01-01"), t("2024-01-01T05:30:00Z"))).toBe(6);
    // 2024-01-01 is a Monday: Jan 1, 8, 15, 22, 29
    expect(countPeriods("WEEK", t("2024-01-01"), t("2024-01-30"))).toBe(5);
    // Nov, Dec, Jan, Feb (started before Feb 2)
    expect(countPeriods("MONTH", t("2023-11-01"), t("2024-02-02"))).toBe(4);
    expect(countPeriods("MONTH", t("2023-11-01"), t("2024-02-01"))).toBe(3);
    expect(countPeriods("DAY", t("2024-01-02"), t("2024-01-01"))).toBe(0);
  });

  it("series: points = protocols × metrics × periods, plus one row per bucket and source", () => {
    const days = daysBetween("2015-01-01", "2025-01-01");
    const c = seriesCost(
      "s",
      { protocols: ["a", "b"], metrics: DAY_METRICS, interval: "DAY", from: "2015-01-01", to: "2025-01-01" },
      t("2026-01-01"),
    );
    expect(c.points).toBe(2 * DAY_METRICS.length * days);
    // token buckets (+ the stock row before the window), fee buckets, daily activity rows, and price buckets of
    // two assets (+ the row before the window each) and their AssetPrice rows
    expect(c.rows).toBe(2 * (days + 1 + days + days + 2 * (days + 1) + 1));
    expect(c.cost).toBe(c.points + c.rows);
    expect(c.detail).toContain(`2 protocols × ${DAY_METRICS.length} metrics`);
    // a token-only metric reads only token buckets
    const minted = seriesCost(
      "s",
      { protocols: ["a"], metrics: ["minted"], interval: "DAY", from: "2024-01-01", to: "2024-01-11" },
      t("2026-01-01"),
    );
    expect(minted).toMatchObject({ points: 10, rows: 11 });
  });

  it("counts nothing past the newest block (horizon)", () => {
    const args = { protocols: ["a"], metrics: ["minted"], interval: "DAY" as const, from: "2024-01-01" };
    const open = seriesCost("s", { ...args, to: "2030-01-01" }, t("2024-01-10T12:00:00Z"));
    // the day of the block is still open: 2024-01-01 … 2024-01-09
    expect(open.points).toBe(9);
  });

  it("invalid arguments cost nothing here (the resolver refuses them)", () => {
    const c = seriesCost(
      "s",
      { protocols: ["a"], metrics: ["nope"], interval: "DAY", from: "2024-01-01", to: "2024-01-02" },
      t("2026-01-01"),
    );
    expect(c.points).toBe(0);
    expect(scorecardCost("s", 1000).points).toBe(0);
  });

  it("scorecard: two sources over max(2 × window, 180) days plus payers and operators", () => {
    expect(scorecardCost("s", 30).rows).toBe(2 * 180 + 1 + 2 * ENTITY_ROWS);
    expect(scorecardCost("s", 200).rows).toBe(2 * 400 + 1 + 2 * ENTITY_ROWS);
  });

  it("an operation costs the sum of its root fields, through aliases, fragments and variables", () => {
    const doc = parse(`query Q($p: [String!]!, $w: Int = 90) {
      a: series(protocols: $p, metrics: ["minted"], interval: DAY, from: "2024-01-01", to: "2024-01-11") { metric }
      ...F
      ... on Query { scorecard(protocol: "a", window: $w) { protocol } }
      metrics { name }
    }
    fragment F on Query { b: compare(protocols: $p, metric: "fees", interval: WEEK, from: "2024-01-01", to: "2024-01-29") { metric } }`);
    const c = operationCost(doc, null, { p: ["x", "y", "z"] }, t("2026-01-01"));
    expect(c?.fields.map((f) => f.field)).toEqual(["a", "b", "scorecard", "metrics"]);
    expect(c?.fields[0]?.points).toBe(3 * 10);
    expect(c?.fields[1]?.points).toBe(3 * 4 + 3); // 4 weeks per protocol, and the window values
    expect(c?.fields[2]?.rows).toBe(scorecardCost("s", 90).rows); // the variable's default
    expect(c?.total).toBe(c?.fields.reduce((a, f) => a + f.cost, 0));
    // variables that do not coerce, or an unknown operation: not estimated (execution refuses it)
    expect(operationCost(doc, null, { p: 3 }, 0)).toBeNull();
    expect(operationCost(doc, "Other", {}, 0)).toBeNull();
  });

  it("default limits: a 10-year daily series of a few metrics passes; every DAY metric of two protocols over 10 years does not", () => {
    const few = seriesCost(
      "s",
      {
        protocols: ["livepeer", "thegraph"],
        metrics: ["fees", "grossEmission", "totalSupply", "inflationRate", "payers"],
        interval: "DAY",
        from: "2015-01-01",
        to: "2025-01-01",
      },
      t("2026-01-01"),
    );
    expect(few.cost).toBeLessThanOrEqual(defaults.maxRequestCost);
    const all = seriesCost(
      "s",
      {
        protocols: ["livepeer", "thegraph"],
        metrics: DAY_METRICS,
        interval: "DAY",
        from: "2015-01-01",
        to: "2025-01-01",
      },
      t("2026-01-01"),
    );
    expect(all.cost).toBeGreaterThan(defaults.maxRequestCost);
    const e = overBudget({ total: all.cost, fields: [all] }, defaults.maxRequestCost);
    expect(e.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      cost: all.cost,
      limit: defaults.maxRequestCost,
    });
    expect(e.message).toContain(all.cost.toLocaleString("en-US"));
    expect(e.message).toMatch(/Split it/);
  });
});

describe("limits are configurable", () => {
  it("every scalar key has an environment variable GATEWAY_<KEY>", () => {
    expect(envName("maxRequestCost")).toBe("GATEWAY_MAX_REQUEST_COST");
    const env = {
      GATEWAY_UPSTREAMS: '[{"name":"x","url":"http://127.0.0.1:1/x","network":"n"}]',
      GATEWAY_MAX_REQUEST_COST: "1234",
      GATEWAY_CLIENT_COST_PER_WINDOW: "0",
      GATEWAY_WORKERS: "0",
      GATEWAY_API_KEYS: "aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb",
      GATEWAY_CORS_ORIGIN: "https://example.org",
    };
    expect(envOverrides(env)).toEqual({
      maxRequestCost: 1234,
      clientCostPerWindow: 0,
      workers: 0,
      apiKeys: ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb"],
      corsOrigin: "https://example.org",
    });
    const c = loadConfig({ env });
    expect(c).toMatchObject({ maxRequestCost: 1234, workers: 0, clientCostPerWindow: 0 });
    expect(() => loadConfig({ env: { ...env, GATEWAY_MAX_REQUEST_COST: "lots" } })).toThrow(/maxRequestCost/);
    expect(() => loadConfig({ env: { ...env, GATEWAY_API_KEYS: "short" } })).toThrow(/16 characters/);
  });
});
