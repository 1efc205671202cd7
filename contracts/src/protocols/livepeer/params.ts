/** Livepeer's contracts and parameters on the local chain (docs/simulator.md, "Calibration"). */

/** The contracts of the deployment section (subgraph/src/livepeer/protocol.json data sources), in deploy order. */
export const LIVEPEER_CONTRACTS = [
  "LivepeerToken",
  "BondingManager",
  "Minter",
  "RoundsManager",
  "TicketBroker",
] as const;
export type LivepeerContract = (typeof LIVEPEER_CONTRACTS)[number];

/** Minter: inflation and bonding rate in parts of 1e9. */
export const PERC_DIVISOR = 1_000_000_000n;
/** 50% */
export const TARGET_BONDING_RATE = 500_000_000n;
export const INFLATION_CHANGE = 500n;
export const UNBONDING_ROUNDS = 7;

/** tokens(1.5) = 1.5e18 */
export const tokens = (x: number): bigint => BigInt(Math.round(x * 1e6)) * 10n ** 12n;
