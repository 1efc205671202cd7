// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for The Graph's RewardsManager: indexing rewards are minted to the staking contract
/// (restaked), then the event is emitted, as takeRewards does.
contract RewardsManager is SimAuth {
  event RewardsAssigned(address indexed indexer, address indexed allocationID, uint256 epoch, uint256 amount);
  event RewardsAssigned(address indexed indexer, address indexed allocationID, uint256 amount);
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

  /// Early signature (with epoch).
  function assignRewardsWithEpoch(address indexer, address allocationID, uint256 epoch, uint256 amount) external auth {
    token.mint(staking, amount);
    emit RewardsAssigned(indexer, allocationID, epoch, amount);
  }

  /// Later signature (without epoch).
  function assignRewards(address indexer, address allocationID, uint256 amount) external auth {
    token.mint(staking, amount);
    emit RewardsAssigned(indexer, allocationID, amount);
  }

  function assignHorizonRewards(address indexer, address allocationID, uint256 amount) external auth {
    token.mint(staking, amount);
    emit HorizonRewardsAssigned(indexer, allocationID, amount);
  }
}
