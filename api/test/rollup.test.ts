import { describe, expect, it } from "vitest";
import {
  type Bucket,
  DAY,
  gapFill,
  isoLabel,
  mergeFeeAssets,
  nextPeriod,
  periodStart,
  rollup,
  zeroFees,
  zeroFlows,
  zeroStocks,
} from "../src/series/rollup.js";

const t = (iso: string) => Date.parse(iso) / 1000;

function bucket(iso: string, minted: bigint, supply: bigint): Bucket {
  return {
    start: t(iso),
    flows: { ...zeroFlows(), minted },
    stocks: { ...zeroStocks(), totalSupply: supply },
  };
}

describe("period boundaries", () => {
  it("ISO weeks start on Monday 00:00 UTC", () => {
    // 2024-01-01 was a Monday.
    expect(periodStart(t("2024-01-01T00:00:00Z"), "WEEK")).toBe(t("2024-01-01T00:00:00Z"));
    expect(periodStart(t("2024-01-07T23:59:59Z"), "WEEK")).toBe(t("2024-01-01T00:00:00Z"));
    expect(periodStart(t("2024-01-08T00:00:00Z"), "WEEK")).toBe(t("2024-01-08T00:00:00Z"));
    // Across a year end: Thursday 2026-01-01 belongs to the week of Monday 2025-12-29.
    expect(periodStart(t("2026-01-01T12:00:00Z"), "WEEK")).toBe(t("2025-12-29T00:00:00Z"));
    // The epoch (a Thursday) belongs to the week of Monday 1969-12-29.
    expect(periodStart(0, "WEEK")).toBe(-3 * DAY);
    expect(nextPeriod(t("2024-01-01T00:00:00Z"), "WEEK")).toBe(t("2024-01-08T00:00:00Z"));
  });
  it("calendar months, including leap February", () => {
    expect(periodStart(t("2024-02-29T23:00:00Z"), "MONTH")).toBe(t("2024-02-01T00:00:00Z"));
    expect(nextPeriod(t("2024-02-01T00:00:00Z"), "MONTH")).toBe(t("2024-03-01T00:00:00Z"));
    expect(nextPeriod(t("2024-12-01T00:00:00Z"), "MONTH")).toBe(t("2025-01-01T00:00:00Z"));
  });
  it("hours and days", () => {
    expect(periodStart(t("2024-03-05T10:59:59Z"), "HOUR")).toBe(t("2024-03-05T10:00:00Z"));
    expect(periodStart(t("2024-03-05T10:59:59Z"), "DAY")).toBe(t("2024-03-05T00:00:00Z"));
  });
  it("labels", () => {
    expect(isoLabel(t("2024-03-05T00:00:00Z"), "DAY")).toBe("2024-03-05");
    expect(isoLabel(t("2024-03-05T10:00:00Z"), "HOUR")).toBe("2024-03-05T10:00:00Z");
  });
});

describe("gap fill", () => {
  it("fills missing days with zero flows and carried stocks", () => {
    const rows = [bucket("2024-01-02T00:00:00Z", 5n, 105n), bucket("2024-01-04T00:00:00Z", 1n, 106n)];
    const prev = { ...zeroStocks(), totalSupply: 100n };
    const dense = gapFill(rows, new Map(), t("2024-01-01T00:00:00Z"), t("2024-01-06T00:00:00Z"), DAY, prev);
    expect(dense.map((d) => isoLabel(d.start, "DAY"))).toEqual([
      "2024-01-01",
      "2024-01-02",
      "2024-01-03",
      "2024-01-04",
      "2024-01-05",
    ]);
    expect(dense.map((d) => d.flows.minted)).toEqual([0n, 5n, 0n, 1n, 0n]);
    expect(dense.map((d) => d.stocks.totalSupply)).toEqual([100n, 105n, 105n, 106n, 106n]);
    expect(dense.map((d) => d.stocksStart.totalSupply)).toEqual([100n, 100n, 105n, 105n, 106n]);
  });
  it("starts from zero stocks without an earlier bucket", () => {
    const dense = gapFill([], new Map(), 0, 2 * DAY, DAY, null);
    expect(dense).toHaveLength(2);
    expect(dense[1]?.stocks.totalSupply).toBe(0n);
  });
});

describe("rollups", () => {
  it("weekly: flows summed, stocks at the end of the last day, start from the day before", () => {
    // Sun 2023-12-31 .. Tue 2024-01-09: weeks of 2023-12-25 (1 day), 2024-01-01 (7), 2024-01-08 (2).
    const from = t("2023-12-31T00:00:00Z");
    const rows: Bucket[] = [];
    for (let i = 0; i < 10; i++)
      rows.push({
        start: from + i * DAY,
        flows: { ...zeroFlows(), minted: BigInt(i + 1) },
        stocks: { ...zeroStocks(), totalSupply: BigInt(100 + i) },
      });
    const dense = gapFill(rows, new Map(), from, from + 10 * DAY, DAY, { ...zeroStocks(), totalSupply: 99n });
    const weeks = rollup(dense, "WEEK", DAY);
    expect(weeks.map((w) => isoLabel(w.start, "WEEK"))).toEqual(["2023-12-25", "2024-01-01", "2024-01-08"]);
    expect(weeks.map((w) => w.flows.minted)).toEqual([1n, 2n + 3n + 4n + 5n + 6n + 7n + 8n, 9n + 10n]);
    expect(weeks.map((w) => w.stocksEnd.totalSupply)).toEqual([100n, 107n, 109n]);
    expect(weeks.map((w) => w.stocksStart.totalSupply)).toEqual([99n, 100n, 107n]);
    expect(weeks[1]?.stockPoints).toHaveLength(8);
    // The first week has data only for its Sunday; the last ends at the data: both partial.
    expect(weeks.map((w) => w.partial)).toEqual([false, false, true]);
    expect(weeks[0]?.end).toBe(t("2024-01-01T00:00:00Z"));
  });
  it("monthly across a month end", () => {
    const from = t("2024-01-30T00:00:00Z");
    const rows = [bucket("2024-01-30T00:00:00Z", 1n, 1n), bucket("2024-02-02T00:00:00Z", 4n, 5n)];
    const dense = gapFill(rows, new Map(), from, t("2024-02-04T00:00:00Z"), DAY, null);
    const months = rollup(dense, "MONTH", DAY);
    expect(months.map((m) => isoLabel(m.start, "MONTH"))).toEqual(["2024-01-01", "2024-02-01"]);
    expect(months.map((m) => m.flows.minted)).toEqual([1n, 4n]);
    expect(months.map((m) => m.stocksEnd.totalSupply)).toEqual([1n, 5n]);
  });
});

describe("several fee assets", () => {
  const fees = (v: Partial<Record<string, bigint>>) => ({ ...zeroFees(), ...v });
  it("sums each asset's amounts in the first asset's raw units at its exact rate; USD and counts as they are", () => {
    // FET (18 decimals) first; AGIX (8 decimals) at 0.43335 FET per AGIX = 4,333,500,000 FET wei per AGIX unit
    const fet: [number, ReturnType<typeof zeroFees>][] = [
      [0, fees({ fees: 10n ** 18n, feeEvents: 1n, feesUsd: 5n })],
      [3600, fees({ fees: 2n, depositsFunded: 7n })],
    ];
    const agix: [number, ReturnType<typeof zeroFees>][] = [
      [0, fees({ fees: 100_000_000n, feeEvents: 2n, feesUnpriced: 3n, feesUsd: 1n })],
    ];
    const merged = mergeFeeAssets([fet, agix], [1n, 4_333_500_000n]);
    expect(merged.get(0)).toMatchObject({
      fees: 10n ** 18n + 433_350_000_000_000_000n,
      feeEvents: 3n,
      feesUsd: 6n,
      feesUnpriced: 3n * 4_333_500_000n,
    });
    expect(merged.get(3600)).toMatchObject({ fees: 2n, depositsFunded: 7n, feeEvents: 0n });
  });
});
