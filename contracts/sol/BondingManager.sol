// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for Livepeer's BondingManager. The simulator keeps the ledger; this contract emits the
/// real events and does the matching LPT movements (bonded tokens and rewards are held here).
contract BondingManager is SimAuth {
  event Bond(
    address indexed newDelegate,
    address indexed oldDelegate,
    address indexed delegator,
    uint256 additionalAmount,
    uint256 bondedAmount
  );
  event Unbond(
    address indexed delegate,
    address indexed delegator,
    uint256 unbondingLockId,
    uint256 amount,
    uint256 withdrawRound
  );
  event Rebond(address indexed delegate, address indexed delegator, uint256 unbondingLockId, uint256 amount);
  event TransferBond(
    address indexed oldDelegator,
    address indexed newDelegator,
    uint256 oldUnbondingLockId,
    uint256 newUnbondingLockId,
    uint256 amount
  );
  event WithdrawStake(address indexed delegator, uint256 unbondingLockId, uint256 amount, uint256 withdrawRound);
  event Reward(address indexed transcoder, uint256 amount);
  event TreasuryReward(address indexed transcoder, address treasury, uint256 amount);
  event EarningsClaimed(
    address indexed delegate,
    address indexed delegator,
    uint256 rewards,
    uint256 fees,
    uint256 startRound,
    uint256 endRound
  );
  event WithdrawFees(address indexed delegator, address recipient, uint256 amount);
  event TranscoderUpdate(address indexed transcoder, uint256 rewardCut, uint256 feeShare);
  event TranscoderActivated(address indexed transcoder, uint256 activationRound);
  event TranscoderDeactivated(address indexed transcoder, uint256 deactivationRound);
  event TranscoderSlashed(address indexed transcoder, address finder, uint256 penalty, uint256 finderReward);
  event ParameterUpdate(string param);

  ISimToken public immutable token;

  constructor(address token_) {
    token = ISimToken(token_);
  }

  /// Pulls additionalAmount from the delegator.
  function bond(
    address newDelegate,
    address oldDelegate,
    address delegator,
    uint256 additionalAmount,
    uint256 bondedAmount
  ) external auth {
    if (additionalAmount > 0) token.forceTransfer(delegator, address(this), additionalAmount);
    emit Bond(newDelegate, oldDelegate, delegator, additionalAmount, bondedAmount);
  }

  function unbond(address delegate, address delegator, uint256 lockId, uint256 amount, uint256 withdrawRound)
    external
    auth
  {
    emit Unbond(delegate, delegator, lockId, amount, withdrawRound);
  }

  function rebond(address delegate, address delegator, uint256 lockId, uint256 amount) external auth {
    emit Rebond(delegate, delegator, lockId, amount);
  }

  /// Sends the unbonded tokens back to the delegator.
  function withdrawStake(address delegator, uint256 lockId, uint256 amount, uint256 withdrawRound) external auth {
    token.forceTransfer(address(this), delegator, amount);
    emit WithdrawStake(delegator, lockId, amount, withdrawRound);
  }

  /// Mints the treasury part to the treasury and the reward to this contract (rewards are bonded).
  function reward(address transcoder, uint256 amount, address treasury, uint256 treasuryAmount) external auth {
    if (treasuryAmount > 0) {
      token.mint(treasury, treasuryAmount);
      emit TreasuryReward(transcoder, treasury, treasuryAmount);
    }
    token.mint(address(this), amount);
    emit Reward(transcoder, amount);
  }

  function claimEarnings(
    address delegate,
    address delegator,
    uint256 rewards,
    uint256 fees,
    uint256 startRound,
    uint256 endRound
  ) external auth {
    emit EarningsClaimed(delegate, delegator, rewards, fees, startRound, endRound);
  }

  function transcoderUpdate(address transcoder, uint256 rewardCut, uint256 feeShare) external auth {
    emit TranscoderUpdate(transcoder, rewardCut, feeShare);
  }

  function transcoderActivated(address transcoder, uint256 activationRound) external auth {
    emit TranscoderActivated(transcoder, activationRound);
  }

  /// Burns penalty - finderReward and sends finderReward to the finder.
  function slashTranscoder(address transcoder, address finder, uint256 penalty, uint256 finderReward) external auth {
    if (penalty > finderReward) token.burnFrom(address(this), penalty - finderReward);
    if (finderReward > 0) token.forceTransfer(address(this), finder, finderReward);
    emit TranscoderSlashed(transcoder, finder, penalty, finderReward);
  }
}
