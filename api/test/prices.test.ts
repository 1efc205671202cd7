import { describe, expect, it } from "vitest";
import { METRICS_BY_NAME } from "../src/metrics/catalog.js";
import { protocolTraits } from "../src/metrics/traits.js";
import { type PriceSeries, priceAt } from "../src/series/prices.js";
import type { Period } from "../src/series/rollup.js";

const DAY = 86_400;
const E18 = 10n ** 18n;
const series: PriceSeries = {
  rows: [
    { start: 0, close: 2000n * E18 },
    { start: 2 * DAY, close: 2500n * E18 },
  ],
  bucketSeconds: DAY,
  maxAge: 90_000,
  source: "Chainlink ETH/USD",
};

describe("price at the end of a period", () => {
  it("is the close of the last bucket that began before the end, stale past maxAge, none before the first", () => {
    expect(priceAt(series, 0)).toBeNull();
    expect(priceAt(series, DAY)).toMatchObject({ usd: 2000n * E18, bucketStart: 0, stale: false });
    // day 1 has no bucket: day 0's close, 1 day after its bucket ended (86,400 s ≤ 90,000)
    expect(priceAt(series, 2 * DAY)).toMatchObject({ usd: 2000n * E18, stale: false });
    expect(priceAt(series, 3 * DAY)).toMatchObject({ usd: 2500n * E18, bucketStart: 2 * DAY });
    // two days without an observation: older than maxAge
    expect(priceAt(series, 5 * DAY)).toMatchObject({ usd: 2500n * E18, stale: true });
  });

  it("price and marketCap: a value with its price, or null with the reason", () => {
    const t = protocolTraits({
      id: "livepeer",
      token: { address: "0x1", symbol: "LPT", decimals: 18 },
      feeAssets: [],
      feeAssetRates: [],
      fields: [],
      revenueRule: null,
    } as never);
    const period = (end: number) =>
      ({
        start: end - DAY,
        end,
        stocksEnd: { totalSupply: 3n * E18 },
        prices: { token: priceAt(series, end), feeAsset: null },
      }) as unknown as Period;
    const price = METRICS_BY_NAME.get("price");
    const cap = METRICS_BY_NAME.get("marketCap");
    expect(price?.compute(period(3 * DAY), t)).toBe(2500n * E18);
    expect(cap?.compute(period(3 * DAY), t)).toBe(7500n * E18);
    expect(price?.compute(period(5 * DAY), t)).toBeNull();
    expect(price?.note?.(period(5 * DAY), t)).toMatch(/older than the price sources' maxAgeSeconds/);
    expect(cap?.compute(period(0), t)).toBeNull();
    expect(cap?.note?.(period(0), t)).toMatch(/no token price observed/);
  });
});
