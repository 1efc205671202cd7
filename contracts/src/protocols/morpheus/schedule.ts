/**
 * MOR's emission schedule (LinearDistributionIntervalDecrease: the reward of interval k is initial − k × decrease,
 * daily intervals from payoutStart). The five reward pools of the capital protocol (MorpheusAIs/SmartContracts
 * deploy/capital-protocol/1_testnet_deploy.ts, the mainnet parameters: payoutStart 1707393600 = 2024-02-08 12:00 UTC,
 * decreaseInterval 86400): capital, builders ("code"), compute and community 3,456 MOR/day less 0.59255872824 MOR
 * per day each, protection fund 576 MOR/day less 0.09875978804: 14,400 MOR/day at launch, decreasing by
 * 2.468994701 MOR/day.
 */
export const PAYOUT_START = 1707393600;
export const WEI = 10n ** 18n;
const POOL_INITIAL = 3456n * WEI;
const POOL_DECREASE = 592558728240000000n;
export const TOTAL_INITIAL = 14400n * WEI;
export const TOTAL_DECREASE = 2468994701000000000n;

/** The interval index at `ts` (0 before and on the first day: the local chain may start before MOR's launch). */
export function interval(ts: number): bigint {
  return ts <= PAYOUT_START ? 0n : BigInt(Math.floor((ts - PAYOUT_START) / 86400));
}

const atLeastZero = (x: bigint) => (x < 0n ? 0n : x);

/** All pools' emission of the day containing `ts` (wei). */
export function dailyEmission(ts: number): bigint {
  return atLeastZero(TOTAL_INITIAL - interval(ts) * TOTAL_DECREASE);
}

/** The builders' pool's part of it (claimed to the BuildersTreasury on L2). */
export function dailyBuildersEmission(ts: number): bigint {
  return atLeastZero(POOL_INITIAL - interval(ts) * POOL_DECREASE);
}
