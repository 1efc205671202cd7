/**
 * The data sources of the subgraph, per protocol: which contract, which ABI, which events go to which
 * handler in which mapping file. Deployments (addresses, start blocks) are data in subgraph/deployments/.
 */

export interface HandlerSpec {
  /** Canonical event signature, e.g. "Transfer(address,address,uint256)" (topic0 = keccak256 of it). */
  event: string;
  handler: string;
  /**
   * The handler reads the other logs of its transaction (`receipt: true`): where a real function emits the
   * event that says what a token movement was only after it (docs/methodology.md, "Event sequences").
   */
  receipt?: boolean;
}

export interface DataSourceSpec {
  /** Data source name and key of a deployment's protocol section. */
  contract: string;
  /** ABI file (abis/<abi>.json) when it is not the contract's name (a second deployment of one contract). */
  abi?: string;
  /** Only in deployments that list it (e.g. a contract replaced before the other networks existed). */
  optional?: boolean;
  file: string;
  entities: string[];
  handlers: HandlerSpec[];
}

export interface ProtocolSpec {
  slug: "livepeer" | "thegraph";
  name: string;
  tokenContract: string;
  tokenSymbol: string;
  tokenName: string;
  tokenDecimals: number;
  /** The contract that holds the stake; its address is in every data source's context (`stakingAddress`). */
  stakingContract: string;
  dataSources: DataSourceSpec[];
}

const FLOW = ["TokenFlow", "FeeFlow", "Protocol", "Token", "Operator", "Delegation", "Staker", "TokenHolder"];
const ACTIVITY = ["PeriodActivity", "Payer"];

export const PROTOCOLS: ProtocolSpec[] = [
  {
    slug: "livepeer",
    name: "Livepeer",
    tokenContract: "LivepeerToken",
    tokenSymbol: "LPT",
    tokenName: "Livepeer Token",
    tokenDecimals: 18,
    stakingContract: "BondingManager",
    dataSources: [
      {
        contract: "LivepeerToken",
        file: "livepeer/token.ts",
        entities: FLOW,
        handlers: [{ event: "Transfer(address,address,uint256)", handler: "handleTransfer" }],
      },
      {
        contract: "BondingManager",
        file: "livepeer/bondingManager.ts",
        entities: [...FLOW, ...ACTIVITY, "RewardEvent", "SlashEvent"],
        handlers: [
          { event: "Bond(address,address,address,uint256,uint256)", handler: "handleBond" },
          { event: "Unbond(address,address,uint256,uint256,uint256)", handler: "handleUnbond" },
          { event: "Rebond(address,address,uint256,uint256)", handler: "handleRebond" },
          { event: "Reward(address,uint256)", handler: "handleReward" },
          { event: "TreasuryReward(address,address,uint256)", handler: "handleTreasuryReward" },
          {
            event: "EarningsClaimed(address,address,uint256,uint256,uint256,uint256)",
            handler: "handleEarningsClaimed",
          },
          { event: "TranscoderUpdate(address,uint256,uint256)", handler: "handleTranscoderUpdate" },
          { event: "TranscoderSlashed(address,address,uint256,uint256)", handler: "handleTranscoderSlashed" },
        ],
      },
      {
        contract: "Minter",
        file: "livepeer/minter.ts",
        entities: ["Protocol"],
        handlers: [
          { event: "SetCurrentRewardTokens(uint256,uint256)", handler: "handleSetCurrentRewardTokens" },
        ],
      },
      {
        // The first L2 Minter (Arbitrum One blocks 5856338 to 6253359, replaced by the Minter above).
        contract: "MinterV1",
        abi: "Minter",
        optional: true,
        file: "livepeer/minter.ts",
        entities: ["Protocol"],
        handlers: [
          { event: "SetCurrentRewardTokens(uint256,uint256)", handler: "handleSetCurrentRewardTokens" },
        ],
      },
      {
        contract: "RoundsManager",
        file: "livepeer/roundsManager.ts",
        entities: ["Protocol", "Round"],
        handlers: [{ event: "NewRound(uint256,bytes32)", handler: "handleNewRound" }],
      },
      {
        contract: "TicketBroker",
        file: "livepeer/ticketBroker.ts",
        entities: [...FLOW, ...ACTIVITY, "FeePayment"],
        handlers: [
          {
            event: "WinningTicketRedeemed(address,address,uint256,uint256,uint256,uint256,bytes)",
            handler: "handleWinningTicketRedeemed",
          },
          { event: "DepositFunded(address,uint256)", handler: "handleDepositFunded" },
        ],
      },
    ],
  },
  {
    slug: "thegraph",
    name: "The Graph",
    tokenContract: "L2GraphToken",
    tokenSymbol: "GRT",
    tokenName: "Graph Token",
    tokenDecimals: 18,
    stakingContract: "GraphStaking",
    dataSources: [
      {
        contract: "L2GraphToken",
        file: "thegraph/token.ts",
        entities: FLOW,
        handlers: [
          { event: "Transfer(address,address,uint256)", handler: "handleTransfer" },
          { event: "BridgeBurned(address,uint256)", handler: "handleBridgeBurned" },
        ],
      },
      {
        contract: "GraphStaking",
        file: "thegraph/staking.ts",
        entities: [...FLOW, ...ACTIVITY, "SlashEvent", "FeePayment", "ThawedDelegation"],
        handlers: [
          { event: "StakeDeposited(address,uint256)", handler: "handleStakeDeposited", receipt: true },
          { event: "StakeWithdrawn(address,uint256)", handler: "handleStakeWithdrawn" },
          { event: "StakeDelegated(address,address,uint256,uint256)", handler: "handleStakeDelegated" },
          {
            event: "StakeDelegatedWithdrawn(address,address,uint256)",
            handler: "handleStakeDelegatedWithdrawn",
          },
          { event: "StakeSlashed(address,uint256,uint256,address)", handler: "handleStakeSlashed" },
          {
            event:
              "RebateCollected(address,address,bytes32,address,uint256,uint256,uint256,uint256,uint256,uint256,uint256)",
            handler: "handleRebateCollected",
          },
          {
            event: "AllocationCollected(address,bytes32,uint256,uint256,address,address,uint256,uint256)",
            handler: "handleAllocationCollected",
          },
          {
            event: "RebateClaimed(address,bytes32,address,uint256,uint256,uint256,uint256,uint256)",
            handler: "handleRebateClaimed",
          },
          {
            event: "DelegationParametersUpdated(address,uint32,uint32,uint32)",
            handler: "handleDelegationParametersUpdated",
          },
          {
            event: "HorizonStakeDeposited(address,uint256)",
            handler: "handleHorizonStakeDeposited",
            receipt: true,
          },
          { event: "HorizonStakeWithdrawn(address,uint256)", handler: "handleHorizonStakeWithdrawn" },
          {
            event: "TokensDelegated(address,address,address,uint256,uint256)",
            handler: "handleTokensDelegated",
          },
          {
            event: "DelegatedTokensWithdrawn(address,address,address,uint256)",
            handler: "handleDelegatedTokensWithdrawn",
          },
          {
            event: "ThawRequestsFulfilled(uint8,address,address,address,uint256,uint256)",
            handler: "handleThawRequestsFulfilled",
          },
          { event: "ProvisionSlashed(address,address,uint256)", handler: "handleProvisionSlashed" },
          {
            event: "VerifierTokensSent(address,address,address,uint256)",
            handler: "handleVerifierTokensSent",
          },
          { event: "DelegationSlashed(address,address,uint256)", handler: "handleDelegationSlashed" },
          {
            event: "TokensToDelegationPoolAdded(address,address,uint256)",
            handler: "handleTokensToDelegationPoolAdded",
          },
          {
            event: "DelegationFeeCutSet(address,address,uint8,uint256)",
            handler: "handleDelegationFeeCutSet",
          },
        ],
      },
      {
        contract: "RewardsManager",
        file: "thegraph/rewardsManager.ts",
        entities: [...FLOW, "RewardEvent"],
        handlers: [
          {
            event: "RewardsAssigned(address,address,uint256,uint256)",
            handler: "handleRewardsAssigned",
            receipt: true,
          },
          {
            event: "HorizonRewardsAssigned(address,address,uint256)",
            handler: "handleHorizonRewardsAssigned",
            receipt: true,
          },
        ],
      },
      {
        contract: "L2Curation",
        file: "thegraph/curation.ts",
        entities: FLOW,
        handlers: [
          { event: "Signalled(address,bytes32,uint256,uint256,uint256)", handler: "handleSignalled" },
        ],
      },
      {
        contract: "GraphPayments",
        file: "thegraph/graphPayments.ts",
        entities: [...FLOW, ...ACTIVITY, "FeePayment"],
        handlers: [
          {
            event:
              "GraphPaymentCollected(uint8,address,address,address,uint256,uint256,uint256,uint256,uint256,address)",
            handler: "handleGraphPaymentCollected",
            receipt: true,
          },
        ],
      },
    ],
  },
];

/**
 * Price sources (deployments' `prices.sources`): which ABI and handler each kind uses. The asset, quote and
 * decimals of a source are deployment data, passed to the mapping in the data source context.
 */
export const PRICE_SOURCE_KINDS = {
  chainlink: {
    abi: "ChainlinkAggregator",
    file: "prices/chainlink.ts",
    handlers: [{ event: "AnswerUpdated(int256,uint256,uint256)", handler: "handleAnswerUpdated" }],
  },
  uniswapV3: {
    abi: "UniswapV3Pool",
    file: "prices/uniswapV3.ts",
    handlers: [{ event: "Swap(address,address,int256,int256,uint160,uint128,int24)", handler: "handleSwap" }],
  },
} as const;
export type PriceSourceKind = keyof typeof PRICE_SOURCE_KINDS;
export const PRICE_ENTITIES = ["AssetPrice", "EthQuotedAssets", "PriceObservation"];
