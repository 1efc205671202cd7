/**
 * The Graph legacy protocol parameters as on Arbitrum One, and their time-scaled version for a local chain.
 *
 * Source of every value: graphprotocol/contracts, `packages/contracts/config/graph.arbitrum-one.yml` (the
 * deployment configuration the protocol's own scripts apply to Arbitrum One; read at commit c31b1b19). The
 * values that are also constructor/initializer arguments of the live deployment agree with the `initArgs`
 * recorded for chain 42161 in the package's `addresses.json` (EpochManager 6646; L2Staking 100,000 GRT,
 * 186,092 blocks, 10,000 / 100,000 ppm, 28 / 28 epochs, ratio 16), which predate the exponential rebates.
 */

export const ARBITRUM_ONE_CONFIG = "graphprotocol/contracts packages/contracts/config/graph.arbitrum-one.yml";

/** Field names are the contracts' own getter names (state.ts reads each back by that name). */
export interface GraphParams {
  /** EpochManager.initialize lengthInBlocks. */
  epochLength: bigint;
  /** L2Staking.initialize, in GRT wei. */
  minimumIndexerStake: bigint;
  /** L2Staking.initialize, in blocks (indexer stake thawing). */
  thawingPeriod: bigint;
  /** L2Staking.initialize, ppm of query fees burned. */
  protocolPercentage: bigint;
  /** L2Staking.initialize, ppm of query fees to curators. */
  curationPercentage: bigint;
  /** L2Staking.initialize, in epochs. */
  maxAllocationEpochs: bigint;
  /** L2Staking.initialize, in epochs (undelegated tokens locked). */
  delegationUnbondingPeriod: bigint;
  /** L2Staking.initialize, delegated stake usable per unit of indexer stake. */
  delegationRatio: bigint;
  /** L2Staking.initialize rebate parameters (exponential rebates): alpha and lambda as fractions. */
  alphaNumerator: bigint;
  alphaDenominator: bigint;
  lambdaNumerator: bigint;
  lambdaDenominator: bigint;
  /** StakingExtension.setDelegationTaxPercentage, ppm burned on delegation (initialize leaves it at 0). */
  delegationTaxPercentage: bigint;
  /** L2Curation.initialize, ppm of signalled tokens burned. */
  curationTaxPercentage: bigint;
  /** L2Curation.initialize, in GRT wei. */
  minimumCurationDeposit: bigint;
  /** RewardsManager.setIssuancePerBlock, GRT wei per block. */
  issuancePerBlock: bigint;
}

/** Arbitrum One, unscaled (one block = one Ethereum L1 block as seen by `block.number` on Arbitrum). */
export const ARBITRUM_ONE: Readonly<GraphParams> = Object.freeze({
  epochLength: 6646n, // EpochManager.init.lengthInBlocks
  minimumIndexerStake: 100_000n * 10n ** 18n, // L2Staking.init.minimumIndexerStake
  thawingPeriod: 186_092n, // L2Staking.init.thawingPeriod (28 epochs + 4 blocks)
  protocolPercentage: 10_000n, // L2Staking.init.protocolPercentage (1%)
  curationPercentage: 100_000n, // L2Staking.init.curationPercentage (10%)
  maxAllocationEpochs: 28n, // L2Staking.init.maxAllocationEpochs
  delegationUnbondingPeriod: 28n, // L2Staking.init.delegationUnbondingPeriod
  delegationRatio: 16n, // L2Staking.init.delegationRatio
  alphaNumerator: 100n, // L2Staking.init.rebateParameters
  alphaDenominator: 100n,
  lambdaNumerator: 60n,
  lambdaDenominator: 100n,
  delegationTaxPercentage: 5_000n, // L2Staking.calls setDelegationTaxPercentage (0.5%)
  curationTaxPercentage: 10_000n, // L2Curation.init.curationTaxPercentage (1%)
  minimumCurationDeposit: 1n, // L2Curation.init.minimumCurationDeposit ("1" wei)
  issuancePerBlock: 6_036_500_000_000_000_000n, // RewardsManager.calls setIssuancePerBlock (6.0365 GRT)
});

export interface TimeScale {
  /** Blocks per epoch on the local chain; Arbitrum One has 6646. */
  epochLength: bigint;
  /** Real blocks per local block, as the exact fraction 6646 / epochLength (e.g. "6646/100"). */
  factor: string;
}

/** numerator / denominator rounded to the nearest integer (halves up). */
const roundDiv = (numerator: bigint, denominator: bigint): bigint =>
  (2n * numerator + denominator) / (2n * denominator);

/**
 * Arbitrum One's parameters with time compressed by one factor f = 6646 / epochLength: every length in
 * blocks is divided by f (epoch length, thawing period) and the issuance per block multiplied by f, so an
 * epoch lasts fewer blocks but issues the same GRT; lengths in epochs (allocation, unbonding), percentages
 * and amounts are unchanged. Scaled values are rounded to the nearest integer: the thawing period, 186,092
 * blocks = 28 epochs + 4 blocks, becomes 2800 blocks for epochLength 100 (2800.06); the issuance is exact
 * for any epochLength that divides 6036500000000000000 × 6646 (100 does).
 */
export function scaledParams(epochLength = 100n): { params: GraphParams; scale: TimeScale } {
  const real = ARBITRUM_ONE.epochLength;
  if (epochLength < 1n || epochLength > real)
    throw new Error(`epochLength ${epochLength}: expected 1 to ${real} blocks`);
  return {
    params: {
      ...ARBITRUM_ONE,
      epochLength,
      thawingPeriod: roundDiv(ARBITRUM_ONE.thawingPeriod * epochLength, real),
      issuancePerBlock: roundDiv(ARBITRUM_ONE.issuancePerBlock * real, epochLength),
    },
    scale: { epochLength, factor: `${real}/${epochLength}` },
  };
}
