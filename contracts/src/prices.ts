/**
 * Prices on the local chain, and their ground truth.
 *
 * PricePaths draws the simulated markets (its own random stream): ETH/USD and GRT/USD as Chainlink answers
 * (8 decimals), LPT in ETH as the Uniswap v3 pool's price (18 decimals), each a geometric random walk with the
 * real assets' volatility (docs/simulator.md, "Prices").
 *
 * PriceBook applies docs/methodology.md "Prices" to the decoded logs of every transaction, in log order, exactly
 * as the subgraph must: each source's update sets its asset's USD price (fixed point, 18 decimals), an asset
 * quoted in ETH is re-priced when ETH/USD moves and is as old as the older part, and each fee, emission and burn
 * is valued with the price set before it, unless that price is older than maxAgeSeconds.
 */

import type { PriceSource } from "../../subgraph/scripts/manifest.js";
import { DAY, HOUR } from "./ledger.js";
import { type Rng, rngFromSeed } from "./rng.js";

export const E18 = 10n ** 18n;
const Q192 = 2n ** 192n;
export const ETH = "0x0000000000000000000000000000000000000000";

interface AssetState {
  priceUsd: bigint | null;
  priceEth: bigint | null;
  priceEthAt: number | null;
  updatedAt: number;
}

/** Price statistics of one bucket (PriceStats): close, low, high, observations. */
export interface PriceRow {
  timestamp: number;
  date: string;
  close: string;
  low: string;
  high: string;
  observations: number;
}

export interface PriceTruth {
  /** Per asset (lowercase address; ETH = the zero address): the hours and days with observations. */
  [asset: string]: { name: string; hourly: PriceRow[]; daily: PriceRow[] };
}

const minOf = (a: bigint, b: bigint): bigint => (b < a ? b : a);
const maxOf = (a: bigint, b: bigint): bigint => (b > a ? b : a);

/** A USD value at an event: the amount in USD (18 decimals), or null when no usable price. */
export type Usd = bigint | null;

export class PriceBook {
  private readonly state = new Map<string, AssetState>();
  private readonly bySource = new Map<string, PriceSource>();
  private readonly observations = new Map<string, { ts: number; price: bigint }[]>();
  private readonly names = new Map<string, string>();

  constructor(
    sources: PriceSource[],
    readonly maxAgeSeconds: number,
  ) {
    for (const s of sources) {
      this.bySource.set(s.address.toLowerCase(), s);
      this.names.set(s.asset.toLowerCase(), s.name);
    }
  }

  isSource(address: string): boolean {
    return this.bySource.has(address.toLowerCase());
  }

  /** A Chainlink AnswerUpdated of a source. */
  answer(source: string, current: bigint, ts: number): void {
    const s = this.bySource.get(source.toLowerCase());
    if (s?.kind !== "chainlink" || current <= 0n) return;
    const d = s.decimals ?? 8;
    const usd = d <= 18 ? current * 10n ** BigInt(18 - d) : current / 10n ** BigInt(d - 18);
    const asset = s.asset.toLowerCase();
    this.observe(asset, usd, ts, ts);
    if (asset === ETH)
      for (const [a, st] of this.state)
        if (st.priceEth !== null && st.priceEthAt !== null)
          this.observe(a, (st.priceEth * usd) / E18, st.priceEthAt, ts);
  }

  /** A Uniswap v3 Swap of a source: the pool's price after it. */
  swap(source: string, sqrtPriceX96: bigint, ts: number): void {
    const s = this.bySource.get(source.toLowerCase());
    if (s?.kind !== "uniswapV3") return;
    const sq = sqrtPriceX96 * sqrtPriceX96;
    if (sq === 0n) return;
    const ad = BigInt(s.assetDecimals ?? 18);
    const qd = BigInt(s.quoteDecimals ?? 18);
    const price = s.assetIsToken0
      ? (sq * 10n ** (18n + ad)) / (Q192 * 10n ** qd)
      : (Q192 * 10n ** (18n + ad)) / (sq * 10n ** qd);
    const asset = s.asset.toLowerCase();
    if (s.quote === "USD") {
      this.observe(asset, price, ts, ts);
      return;
    }
    const st = this.get(asset, ts);
    st.priceEth = price;
    st.priceEthAt = ts;
    const eth = this.state.get(ETH);
    if (!eth || eth.priceUsd === null) return;
    this.observe(asset, (price * eth.priceUsd) / E18, Math.min(ts, eth.updatedAt), ts);
  }

  /** USD value of `amount` (18-decimal units) of `asset` at `ts`: floor(amount × price / 10^18), or null. */
  value(asset: string, amount: bigint, ts: number): Usd {
    const st = this.state.get(asset.toLowerCase());
    if (!st || st.priceUsd === null || ts - st.updatedAt > this.maxAgeSeconds) return null;
    return (amount * st.priceUsd) / E18;
  }

  private get(asset: string, ts: number): AssetState {
    let st = this.state.get(asset);
    if (!st) {
      st = { priceUsd: null, priceEth: null, priceEthAt: null, updatedAt: ts };
      this.state.set(asset, st);
    }
    return st;
  }

  private observe(asset: string, priceUsd: bigint, updatedAt: number, ts: number): void {
    const st = this.get(asset, ts);
    st.priceUsd = priceUsd;
    st.updatedAt = updatedAt;
    const list = this.observations.get(asset) ?? [];
    list.push({ ts, price: priceUsd });
    this.observations.set(asset, list);
  }

  /** Hourly and daily PriceStats per asset (buckets with at least one observation). */
  truth(): PriceTruth {
    const out: PriceTruth = {};
    const rows = (obs: { ts: number; price: bigint }[], size: number): PriceRow[] => {
      const byBucket = new Map<number, bigint[]>();
      for (const o of obs) {
        const b = Math.floor(o.ts / size) * size;
        byBucket.set(b, [...(byBucket.get(b) ?? []), o.price]);
      }
      return [...byBucket.entries()]
        .sort((x, y) => x[0] - y[0])
        .map(([b, ps]) => ({
          timestamp: b,
          date: new Date(b * 1000).toISOString().slice(0, size === DAY ? 10 : 13),
          close: String(ps[ps.length - 1]),
          low: String(ps.reduce(minOf)),
          high: String(ps.reduce(maxOf)),
          observations: ps.length,
        }));
    };
    for (const [asset, obs] of this.observations)
      out[asset] = { name: this.names.get(asset) ?? asset, hourly: rows(obs, HOUR), daily: rows(obs, DAY) };
    return out;
  }
}

/** Standard normal from two uniforms (Box–Muller). */
function normal(r: Rng): number {
  const u = Math.max(1e-12, r.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.next());
}

/**
 * The simulated markets. Daily volatilities (geometric random walks, no drift): ETH/USD 3.5% (≈67% a year),
 * GRT/USD 5% (≈95%), LPT in ETH 5%; a day's move is split over its updates. LPT/ETH stays within 1/4 to 4 times
 * its start (the pool's liquidity and the driver's balances are sized for that).
 */
export class PricePaths {
  private readonly rng: Rng;
  ethUsd: bigint;
  grtUsd: bigint;
  lptEth: bigint;
  private readonly lptEth0: bigint;

  constructor(seed: number | string, start: { ethUsd: bigint; grtUsd: bigint; lptEth: bigint }) {
    this.rng = rngFromSeed(`${String(seed)}:prices`);
    this.ethUsd = start.ethUsd;
    this.grtUsd = start.grtUsd;
    this.lptEth = start.lptEth;
    this.lptEth0 = start.lptEth;
  }

  /** A block index of the day for an update (0 to n − 1). */
  block(n: number): number {
    return this.rng.int(0, n - 1);
  }

  /** How many updates each market gets today (2 to 6). */
  updatesToday(): { eth: number; grt: number; lpt: number } {
    return { eth: this.rng.int(2, 6), grt: this.rng.int(2, 6), lpt: this.rng.int(2, 6) };
  }

  private step(v: bigint, dailyVol: number, n: number): bigint {
    const f = Math.exp((dailyVol / Math.sqrt(n)) * normal(this.rng) - (dailyVol * dailyVol) / (2 * n));
    const next = (v * BigInt(Math.round(f * 1e9))) / 1_000_000_000n;
    return next > 0n ? next : 1n;
  }

  nextEthUsd(n: number): bigint {
    this.ethUsd = this.step(this.ethUsd, 0.035, n);
    return this.ethUsd;
  }

  nextGrtUsd(n: number): bigint {
    this.grtUsd = this.step(this.grtUsd, 0.05, n);
    return this.grtUsd;
  }

  nextLptEth(n: number): bigint {
    const next = this.step(this.lptEth, 0.05, n);
    const lo = this.lptEth0 / 4n;
    const hi = this.lptEth0 * 4n;
    this.lptEth = next < lo ? lo : next > hi ? hi : next;
    return this.lptEth;
  }
}
