// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./SnetERC20.sol";

/// Emitter after SingularityNET's TokenStakeV3 (singnet/snet-stake, contracts/TokenStakeV3.sol, commit
/// 0a2c2eb2ed46e7d15e0184afd4f4d83067052d51): staking windows whose rewards come from a pool the token
/// operator funds beforehand (depositToken), never minted. Each function emits the real function's events in
/// its order, with the token's Transfer where the real one moves tokens:
///   depositToken          Transfer(operator -> this), DepositToken(tokenOperator, amount)
///   openForStake          OpenForStake(index, operator, startPeriod, endPeriod, approvalEndPeriod, rewardAmount)
///   submitStake           Transfer(staker -> this), SubmitStake(currentIndex, staker, amount)
///   withdrawStake         Transfer(this -> staker), WithdrawStake(index, staker, amount)
///   computeAndAddReward   AddReward(staker, index, tokenOperator, totalStakeAmount, rewardAmount) (no transfer)
///   claimStake            Transfer(this -> staker), ClaimStake(index, staker, totalAmount)
/// Simplified: the windows' time checks are left to the simulator; the reward is the staker's share of the
/// window's reward, stake × windowReward / the window's total stake (the real _calculateRewardAmount's shape);
/// a claim pays the staker's whole balance (principal and rewards). Not emitted: RejectStake, UpdateAutoRenewal,
/// WithdrawToken, NewOperator.
contract TokenStake {
  event DepositToken(address indexed tokenOperator, uint256 amount);
  event OpenForStake(
    uint256 indexed stakeIndex,
    address indexed tokenOperator,
    uint256 startPeriod,
    uint256 endPeriod,
    uint256 approvalEndPeriod,
    uint256 rewardAmount
  );
  event SubmitStake(uint256 indexed stakeIndex, address indexed staker, uint256 stakeAmount);
  event ClaimStake(uint256 indexed stakeIndex, address indexed staker, uint256 totalAmount);
  event RejectStake(uint256 indexed stakeIndex, address indexed staker, address indexed tokenOperator, uint256 returnAmount);
  event AddReward(
    address indexed staker,
    uint256 indexed stakeIndex,
    address tokenOperator,
    uint256 totalStakeAmount,
    uint256 rewardAmount
  );
  event WithdrawStake(uint256 indexed stakeIndex, address indexed staker, uint256 stakeAmount);

  SnetERC20 public immutable token;
  address public tokenOperator;
  uint256 public currentStakeMapIndex;
  /// The staker's tokens in the contract: principal and added rewards (TokenStakeV3.balances).
  mapping(address => uint256) public balances;
  /// Window index -> its reward (OpenForStake rewardAmount) and the stake it is shared over.
  mapping(uint256 => uint256) public windowReward;
  mapping(uint256 => uint256) public windowStake;
  /// Staker -> the last window its reward was computed for (one reward per window).
  mapping(address => uint256) public rewardComputeIndex;
  /// Sum of all balances (the pool is what the contract holds beyond it).
  uint256 public totalStaked;

  constructor(address token_) {
    token = SnetERC20(token_);
    tokenOperator = msg.sender;
  }

  modifier onlyOperator() {
    require(msg.sender == tokenOperator, "Only operator can call this function.");
    _;
  }

  function depositToken(uint256 value) external onlyOperator {
    require(token.transferFrom(msg.sender, address(this), value), "Unable to transfer token to the contract");
    emit DepositToken(tokenOperator, value);
  }

  function openForStake(
    uint256 startPeriod,
    uint256 submissionEndPeriod,
    uint256 approvalEndPeriod,
    uint256 requestWithdrawStartPeriod,
    uint256 endPeriod,
    uint256 windowRewardAmount
  ) external onlyOperator {
    require(
      startPeriod < submissionEndPeriod &&
        submissionEndPeriod < approvalEndPeriod &&
        approvalEndPeriod < requestWithdrawStartPeriod &&
        requestWithdrawStartPeriod < endPeriod,
      "Invalid stake period"
    );
    require(windowRewardAmount > 0, "Invalid inputs");
    currentStakeMapIndex += 1;
    windowReward[currentStakeMapIndex] = windowRewardAmount;
    windowStake[currentStakeMapIndex] = totalStaked;
    emit OpenForStake(currentStakeMapIndex, msg.sender, startPeriod, endPeriod, approvalEndPeriod, windowRewardAmount);
  }

  function submitStake(uint256 stakeAmount) external {
    require(currentStakeMapIndex > 0 && stakeAmount > 0, "Staking at this point not allowed");
    require(token.transferFrom(msg.sender, address(this), stakeAmount), "Unable to transfer token to the contract");
    balances[msg.sender] += stakeAmount;
    totalStaked += stakeAmount;
    windowStake[currentStakeMapIndex] += stakeAmount;
    emit SubmitStake(currentStakeMapIndex, msg.sender, stakeAmount);
  }

  function withdrawStake(uint256 stakeMapIndex, uint256 stakeAmount) external {
    require(stakeAmount > 0 && balances[msg.sender] >= stakeAmount, "Cannot withdraw beyond stake amount");
    balances[msg.sender] -= stakeAmount;
    totalStaked -= stakeAmount;
    if (windowStake[stakeMapIndex] >= stakeAmount) windowStake[stakeMapIndex] -= stakeAmount;
    require(token.transfer(msg.sender, stakeAmount), "Unable to transfer token to the account");
    emit WithdrawStake(stakeMapIndex, msg.sender, stakeAmount);
  }

  function computeAndAddReward(uint256 stakeMapIndex, address staker) external onlyOperator {
    uint256 stake = balances[staker];
    require(stake > 0 && rewardComputeIndex[staker] != stakeMapIndex, "Invalid reward request");
    uint256 total = windowStake[stakeMapIndex];
    uint256 reward = total == 0 ? 0 : (stake * windowReward[stakeMapIndex]) / total;
    rewardComputeIndex[staker] = stakeMapIndex;
    balances[staker] = stake + reward;
    totalStaked += reward;
    emit AddReward(staker, stakeMapIndex, tokenOperator, stake + reward, reward);
  }

  function claimStake(uint256 stakeMapIndex) external {
    uint256 amount = balances[msg.sender];
    require(amount > 0, "Invalid claim request");
    require(token.balanceOf(address(this)) >= amount, "Not enough balance in the contract");
    balances[msg.sender] = 0;
    totalStaked -= amount;
    if (windowStake[stakeMapIndex] >= amount) windowStake[stakeMapIndex] -= amount;
    require(token.transfer(msg.sender, amount), "Unable to transfer token back to the account");
    emit ClaimStake(stakeMapIndex, msg.sender, amount);
  }
}
