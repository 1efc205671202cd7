// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

interface IMorTransfer {
  function transfer(address to, uint256 amount) external returns (bool);
}

/// Local stand-in for Morpheus' BuildersTreasury (MorpheusAIs/SmartContracts
/// contracts/builder-protocol/BuildersTreasury.sol, main ea893fa6; BuildersTreasuryV2.sol on branch
/// feature/builders-v4, b38ee86): a pre-funded MOR pool (funded by the emission the builders' reward pool
/// claims on Ethereum, minted to it on L2). sendRewards (Builders only): MOR Transfer(treasury → receiver), then
/// RewardSent(receiver, amount).
contract BuildersTreasury {
  event RewardSent(address receiver, uint256 amount);

  address public owner;
  address public rewardToken;
  address public builders;
  uint256 public distributedRewards;

  constructor(address rewardToken_) {
    owner = msg.sender;
    rewardToken = rewardToken_;
  }

  function setBuilders(address builders_) external {
    require(msg.sender == owner, "Ownable: caller is not the owner");
    builders = builders_;
  }

  function sendRewards(address receiver_, uint256 amount_) external {
    require(msg.sender == builders, "BT: the caller isn't the `Builders`");
    require(receiver_ != address(0), "BT: invalid receiver address");
    distributedRewards += amount_;
    IMorTransfer(rewardToken).transfer(receiver_, amount_);
    emit RewardSent(receiver_, amount_);
  }
}
