import { Address, BigInt, dataSource } from "@graphprotocol/graph-ts";
import { AnswerUpdated } from "../../generated/ChainlinkAggregator/ChainlinkAggregator";
import { ETH_ASSET } from "../core/constants";
import { loadAssetPrice, observe, pow10, repriceEthQuoted } from "../core/prices";

/**
 * A Chainlink aggregator's answer (AnswerUpdated, emitted by every aggregator generation): the asset's USD price
 * is `current` scaled from the feed's decimals to 18. Which asset, the feed's decimals and the price's maxAge are
 * deployment data (the data source context). A non-positive answer is not a price and is ignored.
 */
export function handleAnswerUpdated(event: AnswerUpdated): void {
  const ctx = dataSource.context();
  const current = event.params.current;
  if (current.le(BigInt.zero())) return;
  const asset = Address.fromString(ctx.getString("asset"));
  const decimals = ctx.getI32("decimals");
  const maxAge = BigInt.fromI32(ctx.getI32("maxAgeSeconds"));
  const priceUsd = decimals <= 18 ? current.times(pow10(18 - decimals)) : current.div(pow10(decimals - 18));
  const p = loadAssetPrice(asset, event, event.address, ctx.getString("name"), maxAge);
  observe(p, priceUsd, event.block.timestamp, event, event.address);
  if (asset.equals(ETH_ASSET)) repriceEthQuoted(priceUsd, event, event.address);
}
