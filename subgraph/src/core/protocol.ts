import { Address, dataSource } from "@graphprotocol/graph-ts";
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
