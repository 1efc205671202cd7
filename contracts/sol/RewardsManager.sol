// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for The Graph's RewardsManager: takeRewards mints the rewards to its caller, the rewards
/// issuer (legacy Staking / HorizonStaking for legacy allocations, the SubgraphService for Horizon ones),
/// then emits the reward event. The legacy implementations on Arbitrum One emit RewardsAssigned with the
/// epoch, the Horizon one HorizonRewardsAssigned (graphprotocol/contracts, RewardsManager.takeRewards).
contract RewardsManager is SimAuth {
  event RewardsAssigned(address indexed indexer, address indexed allocationID, uint256 epoch, uint256 amount);
  event HorizonRewardsAssigned(address indexed indexer, address indexed allocationID, uint256 amount);
  event RewardsDenied(address indexed indexer, address indexed allocationID, uint256 epoch);
  event RewardsDenied(address indexed indexer, address indexed allocationID);
  event RewardsDeniedDueToEligibility(address indexed indexer, address indexed allocationID, uint256 amount);
  event RewardsReclaimed(
    bytes32 indexed reason,
    uint256 amount,
    address indexed indexer,
    address indexed allocationID,
    bytes32 subgraphDeploymentID
  );
  event RewardsDenylistUpdated(bytes32 indexed subgraphDeploymentID, uint256 sinceBlock);
  event ParameterUpdated(string param);

  ISimToken public immutable token;
  address public immutable staking;

  constructor(address token_, address staking_) {
    token = ISimToken(token_);
    staking = staking_;
  }

  /// Legacy takeRewards (called by Staking): mints to the staking contract.
  function assignRewardsWithEpoch(address indexer, address allocationID, uint256 epoch, uint256 amount) external auth {
    if (amount > 0) token.mint(staking, amount);
    emit RewardsAssigned(indexer, allocationID, epoch, amount);
  }

  /// Horizon takeRewards: mints to the rewards issuer that called it.
  function assignHorizonRewards(address issuer, address indexer, address allocationID, uint256 amount) external auth {
    if (amount > 0) token.mint(issuer, amount);
    emit HorizonRewardsAssigned(indexer, allocationID, amount);
  }
}
