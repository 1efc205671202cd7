import { describe, expect, it } from "vitest";
import { formatUnits, parseUnits } from "../src/metrics/amount.js";
import * as f from "../src/metrics/formulas.js";
import { pct, readable } from "../src/scorecard/lines.js";

const DAY = 86_400;
const E18 = 10n ** 18n;

describe("amount formatting", () => {
  it("formats exact decimals by decimals", () => {
    expect(formatUnits(1_500_000_000_000_000_000n, 18)).toBe("1.5");
    expect(formatUnits(1n, 18)).toBe("0.000000000000000001");
    expect(formatUnits(0n, 18)).toBe("0");
    expect(formatUnits(-2_000_000n, 6)).toBe("-2");
    expect(formatUnits(-1n, 2)).toBe("-0.01");
    expect(formatUnits(123n, 0)).toBe("123");
    expect(formatUnits(10n ** 40n + 7n, 18)).toBe("10000000000000000000000.000000000000000007");
  });
  it("equals integer division by 10^decimals for every digit count around the decimals", () => {
    for (const decimals of [1, 6, 18]) {
      const base = 10n ** BigInt(decimals);
      for (let len = 1; len <= decimals + 3; len++) {
        for (const lead of ["1", "9"]) {
          for (const tail of ["0", "5"]) {
            const v = BigInt(lead + tail.repeat(len - 1));
            const frac = (v % base).toString().padStart(decimals, "0").replace(/0+$/, "");
            const want = `${v / base}${frac ? `.${frac}` : ""}`;
            expect(formatUnits(v, decimals)).toBe(want);
            expect(formatUnits(-v, decimals)).toBe(`-${want}`);
          }
        }
      }
    }
  });
  it("round-trips through parseUnits", () => {
    for (const v of [0n, 1n, -5n, 123456789012345678901234567890n])
      expect(parseUnits(formatUnits(v, 18), 18)).toBe(v);
  });
});

describe("supply and emission", () => {
  it("netEmission and netSupplyChange", () => {
    expect(f.netEmission(100n, 30n)).toBe(70n);
    expect(f.netEmission(10n, 30n)).toBe(-20n);
    expect(f.netSupplyChange(50n, 80n)).toBe(-30n);
  });
  it("burnedOther is what the known causes leave", () => {
    expect(f.burnedOther(100n, 10n, 20n, 30n, 5n, 0n)).toBe(35n);
    expect(f.burnedOther(100n, 10n, 20n, 30n, 5n, 7n)).toBe(28n);
  });
  it("bridge and migration mints and burns are neither issuance nor sinks", () => {
    // 100 minted of which 30 bridged in and 20 migrated in; 50 burned of which 10 bridged out and 5 migrated away
    expect(f.issuanceChange(100n, 30n, 20n, 50n, 10n, 5n)).toBe(50n - 35n);
    expect(f.sinkBurns(50n, 10n, 5n)).toBe(35n);
    expect(f.tokenIncentives(7n, 5n)).toBe(12n);
  });
  it("inflationRate annualises net supply change over supply at t0", () => {
    // 1000 supply, +10 in one day: 1% a day = 3.65 a year.
    expect(f.inflationRate(10n, 1000n, DAY)).toBeCloseTo(3.65, 12);
    // 7-day week: 7/1000 per week → 0.365 a year.
    expect(f.inflationRate(7n, 1000n, 7 * DAY)).toBeCloseTo(0.365, 12);
    expect(f.inflationRate(-10n, 1000n, 365 * DAY)).toBeCloseTo(-0.01, 12);
    expect(f.inflationRate(10n, 0n, DAY)).toBeNull();
  });
  it("emissionRate", () => {
    expect(f.emissionRate(2n * E18, 100n * E18, 365 * DAY)).toBeCloseTo(0.02, 14);
    expect(f.emissionRate(1n, 0n, DAY)).toBeNull();
  });
  it("sinkToEmission is null without emission", () => {
    expect(f.sinkToEmission(5n, 0n)).toBeNull();
    expect(f.sinkToEmission(0n, 0n)).toBeNull();
    expect(f.sinkToEmission(25n, 100n)).toBe(0.25);
    expect(f.sinkToEmission(300n, 100n)).toBe(3);
  });
});

describe("demand", () => {
  it("feePerPayer rounds down and is null without payers", () => {
    expect(f.feePerPayer(10n, 3n)).toBe(3n);
    expect(f.feePerPayer(10n, 0n)).toBeNull();
  });
  it("incentiveCoverage only for the same asset", () => {
    expect(f.incentiveCoverage(3n, 100n, true)).toBe(0.03);
    expect(f.incentiveCoverage(3n, 100n, false)).toBeNull();
    expect(f.incentiveCoverage(3n, 0n, true)).toBeNull();
  });
  it("earnings = revenue − incentives, same asset only", () => {
    expect(f.earnings(10n, 100n, true)).toBe(-90n);
    expect(f.earnings(10n, 100n, false)).toBeNull();
  });
  it("trend", () => {
    expect(f.trend(150n, 100n)).toBeCloseTo(0.5, 15);
    expect(f.trend(50n, 100n)).toBeCloseTo(-0.5, 15);
    expect(f.trend(5n, 0n)).toBeNull();
  });
});

describe("staking", () => {
  it("stakingRatio", () => {
    expect(f.stakingRatio(40n, 100n)).toBe(0.4);
    expect(f.stakingRatio(40n, 0n)).toBeNull();
  });
  it("trapezoid mean of stock points", () => {
    expect(f.trapezoidMean([100n, 200n])).toEqual([300n, 2n]); // 150
    expect(f.trapezoidMean([0n, 10n, 20n])).toEqual([40n, 4n]); // 10
  });
  it("rewardYield over the average stake", () => {
    // staked 100 → 100 over one day, 1 emitted: 1% a day = 3.65 a year.
    expect(f.rewardYield(1n, [100n, 100n], DAY)).toBeCloseTo(3.65, 12);
    // staked 0 → 200 over a day: average 100.
    expect(f.rewardYield(1n, [0n, 200n], DAY)).toBeCloseTo(3.65, 12);
    expect(f.rewardYield(1n, [0n, 0n], DAY)).toBeNull();
  });
  it("realYield deflates by inflation", () => {
    expect(f.realYield(0.1, 0.05)).toBeCloseTo(1.1 / 1.05 - 1, 15);
    expect(f.realYield(null, 0.05)).toBeNull();
    expect(f.realYield(0.1, null)).toBeNull();
  });
  it("nakamotoCoefficient at 1/3 and 1/2", () => {
    // total 100: top 30 is not > 1/3; 30+25 = 55 > 33.3 → 2; > 50 → 2.
    expect(f.nakamotoCoefficient([10n, 30n, 25n, 20n, 15n])).toBe(2);
    expect(f.nakamotoCoefficient([10n, 30n, 25n, 20n, 15n], 1n, 2n)).toBe(2);
    // equal stakes of 4 operators: > 1/3 needs 2; > 1/2 needs 3 (exactly half is not more than half).
    expect(f.nakamotoCoefficient([1n, 1n, 1n, 1n])).toBe(2);
    expect(f.nakamotoCoefficient([1n, 1n, 1n, 1n], 1n, 2n)).toBe(3);
    expect(f.nakamotoCoefficient([50n])).toBe(1);
    expect(f.nakamotoCoefficient([])).toBeNull();
    expect(f.nakamotoCoefficient([0n, 0n])).toBeNull();
  });
  it("topOperatorShare of the top 10", () => {
    const stakes = Array.from({ length: 20 }, () => 5n); // 100 total, top 10 = 50
    expect(f.topOperatorShare(stakes)).toBe(0.5);
    expect(f.topOperatorShare([3n, 1n], 1)).toBe(0.75);
    expect(f.topOperatorShare([])).toBeNull();
  });
});

describe("circulation", () => {
  it("velocity over the average supply", () => {
    expect(f.velocity(100n, [1000n, 1000n], 365 * DAY)).toBeCloseTo(0.1, 15);
    expect(f.velocity(100n, [0n, 0n], DAY)).toBeNull();
  });
});

describe("ratio precision", () => {
  it("keeps precision for large operands", () => {
    const a = 123_456_789n * 10n ** 24n;
    const b = 987_654_321n * 10n ** 24n;
    expect(f.ratio(a, b)).toBeCloseTo(123_456_789 / 987_654_321, 15);
    expect(f.ratio(-1n, 3n)).toBeCloseTo(-1 / 3, 15);
  });
});

describe("finding text", () => {
  it("rounds numbers for reading", () => {
    expect(readable("17543.535919")).toBe("17,543.54");
    expect(readable("0.901984888888888888")).toBe("0.902");
    expect(readable("-3808224.675598531038942024")).toBe("-3,808,224.68");
    expect(pct(0.0312)).toBe("3.1%");
    expect(pct(1.821)).toBe("180%");
  });
});
