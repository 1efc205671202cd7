import { Address, BigInt, dataSource } from "@graphprotocol/graph-ts";
import { Swap } from "../../generated/UniswapV3Pool/UniswapV3Pool";
import { AssetPrice } from "../../generated/schema";
import { ETH_ASSET } from "../core/constants";
import { E18, loadAssetPrice, observe, pow10, registerEthQuoted } from "../core/prices";

const Q192 = BigInt.fromI32(2).pow(192);

/**
 * A Uniswap v3 Swap: the pool's price after it, from sqrtPriceX96 (exact BigInt arithmetic, rounded down once):
 * token0 in token1 = sqrtP² / 2^192 × 10^dec0 / 10^dec1, token1 in token0 its inverse. Which token is the asset,
 * the decimals and the quote ("ETH" or "USD") are deployment data (the data source context). An asset quoted in
 * ETH gets its USD price through the last ETH/USD price; it is as old as the older of the two.
 */
export function handleSwap(event: Swap): void {
  const ctx = dataSource.context();
  const asset = Address.fromString(ctx.getString("asset"));
  const assetIsToken0 = ctx.getBoolean("assetIsToken0");
  const assetDecimals = ctx.getI32("assetDecimals");
  const quoteDecimals = ctx.getI32("quoteDecimals");
  const maxAge = BigInt.fromI32(ctx.getI32("maxAgeSeconds"));
  const sq = event.params.sqrtPriceX96.times(event.params.sqrtPriceX96);
  if (sq.isZero()) return;
  const price = assetIsToken0
    ? sq.times(pow10(18 + assetDecimals)).div(Q192.times(pow10(quoteDecimals)))
    : Q192.times(pow10(18 + assetDecimals)).div(sq.times(pow10(quoteDecimals)));
  const p = loadAssetPrice(asset, event, event.address, ctx.getString("name"), maxAge);
  if (ctx.getString("quote") == "USD") {
    observe(p, price, event.block.timestamp, event, event.address);
    return;
  }
  p.priceEth = price;
  p.priceEthUpdatedAt = event.block.timestamp;
  registerEthQuoted(asset);
  const eth = AssetPrice.load(ETH_ASSET);
  if (eth == null) {
    p.save(); // no USD price until ETH/USD has one
    return;
  }
  const ethUsd = eth.priceUsd;
  if (ethUsd === null) {
    p.save();
    return;
  }
  const ethAt = eth.updatedAt;
  const ts = event.block.timestamp;
  observe(p, price.times(ethUsd as BigInt).div(E18), ethAt.lt(ts) ? ethAt : ts, event, event.address);
}
