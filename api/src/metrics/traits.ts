/**
 * What a protocol has, as the metrics see it: its token and fee assets, its revenue rule and the optional fields
 * its mappings feed (read from its Protocol entity, written from subgraph/src/<slug>/protocol.json). No metric
 * names a protocol: each applies where the traits say so.
 */
import type { OptionalField, RevenueRule } from "../fields.js";
import type { ProtocolInfo } from "../upstream/snapshot.js";

export interface AssetInfo {
  address: string;
  symbol: string;
  decimals: number;
}

/** USD amounts: 18 decimals, as the subgraph values events (docs/methodology.md, "Prices"). */
export const USD: AssetInfo = { address: "", symbol: "USD", decimals: 18 };

/**
 * What a protocol has, read from its Protocol entity (subgraph/src/<slug>/protocol.json): its fee assets, its
 * revenue rule and the optional fields its mappings feed. No metric names a protocol.
 */
export interface ProtocolTraits {
  /** The first fee asset: the unit of the fee metrics. */
  feeAsset: AssetInfo;
  /** Every fee asset with the raw units of the first one a raw unit is worth (exact; 1 for the first). */
  feeAssets: (AssetInfo & { rate: bigint })[];
  /** Fees paid in the protocol's own token (fees and incentives comparable without prices). */
  sameAsset: boolean;
  /** Revenue definition: the protocol tax, all fees (they go to stakers), or none (no protocol cut: null). */
  revenue: RevenueRule | null;
  /** The optional fields the protocol's mappings feed (docs/adding-a-protocol.md). */
  fields: ReadonlySet<string>;
  /** false where the token on this network is a bridged copy of a canonical network's supply. */
  canonicalSupply: boolean;
}

export const ETH: AssetInfo = {
  address: "0x0000000000000000000000000000000000000000",
  symbol: "ETH",
  decimals: 18,
};

export function protocolTraits(p: ProtocolInfo): ProtocolTraits {
  const token = p.token.address.toLowerCase();
  const feeAssets = p.feeAssets.map((a, i) => ({
    address: a.address.toLowerCase(),
    symbol: a.symbol,
    decimals: a.decimals,
    rate: p.feeAssetRates[i] ?? 1n,
  }));
  // a subgraph without traits (older schema): fees in the token, no optional field
  const first = feeAssets[0] ?? {
    address: token,
    symbol: p.token.symbol,
    decimals: p.token.decimals,
    rate: 1n,
  };
  return {
    feeAsset: { address: first.address, symbol: first.symbol, decimals: first.decimals },
    feeAssets: feeAssets.length > 0 ? feeAssets : [first],
    sameAsset: first.address === token,
    revenue: p.revenueRule,
    fields: new Set(p.fields),
    canonicalSupply: p.canonicalSupply,
  };
}

/** Applies when the protocol feeds the field (docs/metrics.md, "Which protocol feeds which field"). */
export const has =
  (...fields: OptionalField[]) =>
  (t: ProtocolTraits) =>
    fields.some((x) => t.fields.has(x));
export const hasRevenue = (t: ProtocolTraits) => t.revenue !== null;
