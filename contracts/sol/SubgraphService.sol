// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

interface IRewardsManagerLike {
  function onSubgraphAllocationUpdate(bytes32 subgraphDeploymentID) external returns (uint256);
  function takeRewards(address allocationID) external returns (uint256);
}

interface ICurationLike {
  function collect(bytes32 subgraphDeploymentID, uint256 tokens) external;
}

interface IHorizonStakingLike {
  function addToDelegationPool(address serviceProvider, address verifier, uint256 tokens) external;
  function stakeToProvision(address serviceProvider, address verifier, uint256 tokens) external;
}

/// Local stand-in for The Graph's SubgraphService (Horizon; not indexed), the rewards issuer the real
/// RewardsManager (npm package graphprotocol/contracts 7.2.1, set with setSubgraphService) mints indexing rewards to.
/// It keeps the allocations the RewardsManager asks about (IRewardsIssuer: getAllocationData,
/// getSubgraphAllocatedTokens) and distributes rewards and curation fees in the order of the real functions
/// (graphprotocol/contracts packages/subgraph-service/contracts/utils/AllocationManager.sol `_allocate`,
/// `_presentPOI`, `_closeAllocation`; SubgraphService.sol `_collectQueryFees`). Its own events
/// (IndexingRewardsCollected, QueryFeesCollected, ...) are not emitted: the subgraph does not read them.
contract SubgraphService is SimAuth {
  struct Allocation {
    address indexer;
    bytes32 subgraphDeploymentID;
    uint256 tokens;
    uint256 accRewardsPerAllocatedToken;
    bool open;
  }

  IGraphTokenLike public immutable token;
  address public immutable staking;
  IRewardsManagerLike public immutable rewardsManager;
  ICurationLike public immutable curation;
  mapping(address => Allocation) public allocations;
  mapping(bytes32 => uint256) private _subgraphAllocatedTokens;

  constructor(address token_, address staking_, address rewardsManager_, address curation_) {
    token = IGraphTokenLike(token_);
    staking = staking_;
    rewardsManager = IRewardsManagerLike(rewardsManager_);
    curation = ICurationLike(curation_);
  }

  function getAllocationData(address allocationID)
    external
    view
    returns (bool, address, bytes32, uint256, uint256, uint256)
  {
    Allocation storage a = allocations[allocationID];
    return (a.open, a.indexer, a.subgraphDeploymentID, a.tokens, a.accRewardsPerAllocatedToken, 0);
  }

  function getSubgraphAllocatedTokens(bytes32 subgraphDeploymentID) external view returns (uint256) {
    return _subgraphAllocatedTokens[subgraphDeploymentID];
  }

  /// AllocationManager._allocate: the RewardsManager's snapshot for the deployment, then the allocation.
  function startService(address indexer, address allocationID, bytes32 subgraphDeploymentID, uint256 tokens)
    external
    auth
  {
    require(allocations[allocationID].indexer == address(0), "allocation exists");
    uint256 acc = rewardsManager.onSubgraphAllocationUpdate(subgraphDeploymentID);
    allocations[allocationID] = Allocation(indexer, subgraphDeploymentID, tokens, acc, true);
    _subgraphAllocatedTokens[subgraphDeploymentID] += tokens;
  }

  /// AllocationManager._presentPOI: RewardsManager.takeRewards mints the rewards here (HorizonRewardsAssigned);
  /// the delegators' cut (delegatorCut ppm, when the pool has delegators) is added to the pool
  /// (approve + HorizonStaking.addToDelegationPool), the indexer's is staked to its provision (approve +
  /// stakeToProvision) or pushed to its payments destination; the allocation's snapshot moves on.
  function presentPOI(address allocationID, uint256 delegatorCut, bool poolHasDelegators, address destination)
    external
    auth
    returns (uint256 rewards)
  {
    Allocation storage a = allocations[allocationID];
    require(a.open, "allocation not open");
    rewards = rewardsManager.takeRewards(allocationID);
    a.accRewardsPerAllocatedToken = rewardsManager.onSubgraphAllocationUpdate(a.subgraphDeploymentID);
    uint256 delegation = poolHasDelegators ? (rewards * delegatorCut) / 1_000_000 : 0;
    if (delegation > 0) {
      token.approve(staking, delegation);
      IHorizonStakingLike(staking).addToDelegationPool(a.indexer, address(this), delegation);
    }
    uint256 indexerRewards = rewards - delegation;
    if (indexerRewards > 0) {
      if (destination == address(0)) {
        token.approve(staking, indexerRewards);
        IHorizonStakingLike(staking).stakeToProvision(a.indexer, address(this), indexerRewards);
      } else token.transfer(destination, indexerRewards);
    }
  }

  /// AllocationManager._closeAllocation: the RewardsManager's snapshot, then the tokens leave the deployment.
  function closeAllocation(address allocationID) external auth {
    Allocation storage a = allocations[allocationID];
    require(a.open, "allocation not open");
    rewardsManager.onSubgraphAllocationUpdate(a.subgraphDeploymentID);
    a.open = false;
    _subgraphAllocatedTokens[a.subgraphDeploymentID] -= a.tokens;
  }

  /// SubgraphService._collectQueryFees, the curators' cut GraphPayments pushed here: pushTokens to Curation,
  /// then Curation.collect (Collected).
  function collectCurationFees(bytes32 subgraphDeploymentID, uint256 tokens) external auth {
    token.transfer(address(curation), tokens);
    curation.collect(subgraphDeploymentID, tokens);
  }
}
