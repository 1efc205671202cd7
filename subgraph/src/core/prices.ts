import { BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";
import { AssetPrice, EthQuotedAssets, PriceObservation, Token } from "../../generated/schema";
import { ETH_ASSET } from "./constants";

/** 10^18: prices are USD (or ETH) per whole unit of the asset, in fixed point with 18 decimals. */
export const E18 = BigInt.fromString("1000000000000000000");

export function pow10(n: i32): BigInt {
  return BigInt.fromI32(10).pow(n as u8);
}

/** Decimals of an asset: 18 for ETH, else its Token's (18 when the subgraph does not know the token). */
export function assetDecimals(asset: Bytes): i32 {
  if (asset.equals(ETH_ASSET)) return 18;
  const token = Token.load(asset);
  return token == null ? 18 : token.decimals;
}

/**
 * USD value (18 decimals) of `amount` base units of `asset` at `timestamp`: amount × priceUsd / 10^decimals,
 * rounded down, with the asset's last price set at or before this event (log order within a block). Null when
 * the asset has no USD price yet or its price is older than its source's maxAge (docs/methodology.md, Prices).
 */
export function valueUsd(asset: Bytes, amount: BigInt, timestamp: BigInt): BigInt | null {
  const p = AssetPrice.load(asset);
  if (p == null) return null;
  const price = p.priceUsd;
  if (price === null) return null;
  if (timestamp.minus(p.updatedAt).gt(p.maxAge)) return null;
  return amount.times(price as BigInt).div(pow10(assetDecimals(asset)));
}

export function loadAssetPrice(asset: Bytes, event: ethereum.Event, source: Bytes, name: string, maxAge: BigInt): AssetPrice {
  let p = AssetPrice.load(asset);
  if (p == null) {
    p = new AssetPrice(asset);
    p.updatedAt = event.block.timestamp;
    p.updatedAtBlock = event.block.number;
  }
  p.source = source;
  p.sourceName = name;
  p.maxAge = maxAge;
  return p;
}

/** Records a new USD price of an asset: its AssetPrice (saved) and a PriceObservation. */
export function observe(p: AssetPrice, priceUsd: BigInt, updatedAt: BigInt, event: ethereum.Event, source: Bytes): void {
  p.priceUsd = priceUsd;
  p.updatedAt = updatedAt;
  p.updatedAtBlock = event.block.number;
  p.save();
  const o = new PriceObservation(0); // id and timestamp are set by graph-node
  o.asset = p.id;
  o.priceUsd = priceUsd;
  o.source = source;
  o.save();
}

/**
 * ETH/USD moved: every asset priced in ETH by a pool gets a new USD price, priceEth × ethUsd / 10^18 (rounded
 * down), as old as the older of its two parts (the pool's last swap).
 */
export function repriceEthQuoted(ethUsd: BigInt, event: ethereum.Event, source: Bytes): void {
  const list = EthQuotedAssets.load(ETH_ASSET);
  if (list == null) return;
  const assets = list.assets;
  for (let i = 0; i < assets.length; i++) {
    const p = AssetPrice.load(assets[i]);
    if (p == null) continue;
    const eth = p.priceEth;
    const ethAt = p.priceEthUpdatedAt;
    if (eth === null || ethAt === null) continue;
    observe(p, (eth as BigInt).times(ethUsd).div(E18), ethAt as BigInt, event, source);
  }
}

export function registerEthQuoted(asset: Bytes): void {
  let list = EthQuotedAssets.load(ETH_ASSET);
  if (list == null) {
    list = new EthQuotedAssets(ETH_ASSET);
    list.assets = [];
  }
  const assets = list.assets;
  for (let i = 0; i < assets.length; i++) if (assets[i].equals(asset)) return;
  assets.push(asset);
  list.assets = assets;
  list.save();
}
