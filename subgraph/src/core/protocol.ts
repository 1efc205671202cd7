import { Address, BigInt, Bytes, DataSourceContext, dataSource } from "@graphprotocol/graph-ts";
import { Protocol, Token } from "../../generated/schema";
import { METHODOLOGY_VERSION, SCHEMA_VERSION, ZERO } from "./constants";

/**
 * The protocol this data source belongs to. Everything protocol-specific comes from the data
 * source context written by the manifest generator (deployments are data): slug, name, token.
 */
export function getProtocol(): Protocol {
  const ctx = dataSource.context();
  const slug = ctx.getString("protocol");
  let protocol = Protocol.load(slug);
  if (protocol != null) return protocol;

  const tokenAddress = Address.fromString(ctx.getString("tokenAddress"));
  let token = Token.load(tokenAddress);
  if (token == null) {
    token = new Token(tokenAddress);
    token.symbol = ctx.getString("tokenSymbol");
    token.name = ctx.getString("tokenName");
    token.decimals = ctx.getI32("tokenDecimals");
    token.save();
  }
  protocol = new Protocol(slug);
  protocol.name = ctx.getString("protocolName");
  const revenue = ctx.getString("revenueRule");
  protocol.revenueRule = revenue.length > 0 ? revenue : null;
  const fields = ctx.getString("fields");
  protocol.fields = fields.length > 0 ? fields.split(",") : new Array<string>(0);
  protocol.feeAssets = feeAssetTokens(ctx);
  const rates = ctx.getString("feeAssetRates").split(",");
  const feeAssetRates = new Array<BigInt>(0);
  for (let i = 0; i < rates.length; i++) feeAssetRates.push(BigInt.fromString(rates[i]));
  protocol.feeAssetRates = feeAssetRates;
  protocol.canonicalSupply = ctx.getBoolean("canonicalSupply");
  const bridge = ctx.getString("supplyBridge");
  protocol.supplyBridge = bridge.length > 0 ? bridge : null;
  protocol.network = dataSource.network();
  protocol.token = tokenAddress;
  protocol.schemaVersion = SCHEMA_VERSION;
  protocol.methodologyVersion = METHODOLOGY_VERSION;
  protocol.totalSupply = ZERO;
  protocol.staked = ZERO;
  protocol.operatorCount = 0;
  protocol.stakerCount = 0;
  protocol.holderCount = 0;
  protocol.cumulativeMinted = ZERO;
  protocol.cumulativeBurned = ZERO;
  protocol.cumulativeGrossEmission = ZERO;
  // Saved once here; handlers save it again only when they change it (a save costs as much as a flow).
  protocol.save();
  return protocol;
}

/** The fee assets' Token entities (created once; ETH is the zero address), in the spec's order. */
function feeAssetTokens(ctx: DataSourceContext): Array<Bytes> {
  const addresses = ctx.getString("feeAssets").split(",");
  const symbols = ctx.getString("feeAssetSymbols").split(",");
  const names = ctx.getString("feeAssetNames").split(",");
  const decimals = ctx.getString("feeAssetDecimals").split(",");
  const out = new Array<Bytes>(0);
  for (let i = 0; i < addresses.length; i++) {
    const id = Address.fromString(addresses[i]);
    if (Token.load(id) == null) {
      const t = new Token(id);
      t.symbol = symbols[i];
      t.name = names[i];
      t.decimals = I32.parseInt(decimals[i]);
      t.save();
    }
    out.push(id);
  }
  return out;
}
