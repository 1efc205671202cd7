/**
 * Prices on the local chain, and their ground truth.
 *
 * PricePath draws one simulated market (a stream of its own): the host's ETH/USD and each economy's token price
 * (a Chainlink answer, 8 decimals, or a Uniswap v3 pool's price, 18 decimals), a geometric random walk with the
 * real asset's volatility (docs/simulator.md, "Prices").
 *
 * PriceBook applies docs/methodology.md "Prices" to the decoded logs of every transaction, in log order, exactly
 * as the subgraph must: each source's update sets its asset's USD price (fixed point, 18 decimals), an asset
 * quoted in ETH is re-priced when ETH/USD moves and is as old as the older part, and each fee, emission and burn
 * is valued with the price set before it, unless that price is older than maxAgeSeconds.
 */

import { decodeEventLog, type Hex, parseAbi } from "viem";
import type { PriceSource } from "../../subgraph/scripts/manifest.js";
import { DAY, HOUR } from "./ledger.js";
import type { Rng } from "./rng.js";

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

/** The price updates the book reads: a Chainlink aggregator's answer, a Uniswap v3 pool's swap. */
const SOURCE_EVENTS = {
  chainlink: parseAbi([
    "event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt)",
  ]),
  uniswapV3: parseAbi([
    "event Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)",
  ]),
} as const;

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

  /** A log of any contract, in block order: a price source's update sets its asset's price; others are ignored. */
  apply(log: { address: Hex; topics: Hex[]; data: Hex }, ts: number): void {
    const s = this.bySource.get(log.address.toLowerCase());
    if (!s) return;
    const abi = SOURCE_EVENTS[s.kind];
    let d: { eventName?: unknown; args?: unknown };
    try {
      d = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: false });
    } catch {
      return; // an event of the source that no price depends on (NewRound, the pool's Mint, ...)
    }
    const a = (d.args ?? {}) as Record<string, unknown>;
    if (d.eventName === "AnswerUpdated") this.answer(log.address, a.current as bigint, ts);
    else if (d.eventName === "Swap") this.swap(log.address, a.sqrtPriceX96 as bigint, ts);
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
 * One simulated market, drawn from a stream of its own (its owner's: the host's for ETH/USD, an economy's for its
 * token's): a geometric random walk without drift with the asset's daily volatility, a day's move split over its
 * updates (docs/simulator.md, "Prices"), optionally kept within bounds. ETH/USD 3.5% a day (≈67% a year), GRT/USD
 * 5% (≈95%), LPT in ETH 5% within 1/4 to 4 times its start (the pool's liquidity is sized for that).
 */
export class PricePath {
  value: bigint;

  constructor(
    private readonly rng: Rng,
    start: bigint,
    private readonly dailyVol: number,
    private readonly bounds?: { lo: bigint; hi: bigint },
  ) {
    this.value = start;
  }

  /** How many updates the market gets today (2 to 6). */
  updatesToday(): number {
    return this.rng.int(2, 6);
  }

  /** A block index of the day for an update (0 to n − 1). */
  block(n: number): number {
    return this.rng.int(0, n - 1);
  }

  /** The next price, for a day of `n` updates. */
  next(n: number): bigint {
    const vol = this.dailyVol;
    const f = Math.exp((vol / Math.sqrt(n)) * normal(this.rng) - (vol * vol) / (2 * n));
    let next = (this.value * BigInt(Math.round(f * 1e9))) / 1_000_000_000n;
    if (next <= 0n) next = 1n;
    if (this.bounds)
      next = next < this.bounds.lo ? this.bounds.lo : next > this.bounds.hi ? this.bounds.hi : next;
    this.value = next;
    return next;
  }
}

/**
 * A day's updates of a path in the plan (`push`): the first in the day's first block, before any fee, reward or
 * burn, as a feed's heartbeat would (after a day without blocks the day's values still have prices younger than
 * maxAgeSeconds); the others at blocks drawn by the path's stream. `update(n)` drafts one update for a day of n.
 */
export function planPriceUpdates(
  path: PricePath,
  blocks: number,
  push: (block: number, prio: number, run: () => void) => void,
  update: (updatesToday: number) => void,
): void {
  const n = path.updatesToday();
  for (let i = 0; i < n; i++) push(i === 0 ? 0 : path.block(blocks), PRICE_PRIO, () => update(n));
}

/** Priority of the price updates in a day's plan: after an economy's genesis and new rounds (0), before the rest. */
export const PRICE_PRIO = 1;

/** Wall-clock mode: the price sources answer in the first live block and every PRICE_EVERY blocks after it. */
export const PRICE_EVERY = 20;

/** Integer square root (floor), by Newton's method. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new Error("isqrt of a negative number");
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

const Q96 = 2n ** 96n;

/**
 * sqrtPriceX96 of a Uniswap v3 pool pricing the asset at `priceE18` (quote per asset, 18 decimals, both tokens 18
 * decimals): token1 per token0 = price when the asset is token0, its inverse otherwise; floor(sqrt(ratio) × 2^96).
 */
export function sqrtPriceX96(priceE18: bigint, assetIsToken0: boolean): bigint {
  // ratio = token1/token0; sqrtPriceX96 = sqrt(ratio × 2^192)
  return assetIsToken0 ? isqrt((priceE18 * Q96 * Q96) / E18) : isqrt((E18 * Q96 * Q96) / priceE18);
}
