// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for Livepeer's BondingManager. It emits the real events, does the matching LPT movements
/// (bonded tokens and rewards are held here; the real contract keeps them in the Minter), and keeps the
/// bonding state the real contract exposes, updated by the same calls that emit the events, with the real
/// contract's rules (livepeer/protocol, contracts/bonding/BondingManager.sol at f225b10c):
/// - `transcoderTotalStake(t)` = `delegators[t].delegatedAmount`: raised by a bond (the additional amount, and
///   the whole previous bond when it moves here: `bondForWithHint` → `increaseTotalStake`), a rebond
///   (`processRebond`) and the transcoder's reward, treasury part excluded (`updateTranscoderWithRewards`);
///   lowered by an unbond (`unbondWithHint` → `decreaseTotalStake`), a bond moving away from it, and a slash of
///   a delegator still bonded to it (`slashTranscoder`). Claiming earnings does not change it.
/// - `getDelegator(d)`: `bondedAmount` (bonds, claimed rewards and rebonds, minus unbonds and slashes; pending
///   rewards are not in it until claimed), `fees` (claimed fees), `delegateAddress` (cleared when the whole bond
///   is unbonded), `delegatedAmount`, `lastClaimRound`, `nextUnbondingLockId`; `startRound` is not kept (0):
///   this contract does not know the current round.
/// - unbonding locks (`getDelegatorUnbondingLock`, `isValidUnbondingLock`), `isRegisteredTranscoder`.
/// Each function checks that the event arguments the simulator passes are the ones the real function would emit
/// from this state (old delegate, resulting bonded amount, lock id and amount), so a simulator that drifts from
/// the contract's state reverts instead of emitting events that could not happen.
/// Not kept: the active set and `getTotalBonded()` (the real one returns `currentRoundTotalActiveStake`, the
/// active transcoders' stake frozen at the start of the round), earnings pools and `pendingStake` (LIP-36
/// cumulative factors), transcoder parameters (`getTranscoder`).
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

  /// Field names and order of the real `Delegator` struct (startRound is never set here).
  struct Delegator {
    uint256 bondedAmount;
    uint256 fees;
    address delegateAddress;
    uint256 delegatedAmount;
    uint256 startRound;
    uint256 lastClaimRound;
    uint256 nextUnbondingLockId;
  }

  struct UnbondingLock {
    uint256 amount;
    uint256 withdrawRound;
  }

  mapping(address => Delegator) private delegators;
  mapping(address => mapping(uint256 => UnbondingLock)) private unbondingLocks;

  constructor(address token_) {
    token = ISimToken(token_);
  }

  // ---- views with the real contract's names, signatures and meaning ----

  /// Real: `transcoderTotalStake(address) returns delegators[_transcoder].delegatedAmount`.
  function transcoderTotalStake(address _transcoder) public view returns (uint256) {
    return delegators[_transcoder].delegatedAmount;
  }

  /// Real: `getDelegator(address)`, the seven fields of the delegator (startRound not kept: 0).
  function getDelegator(address _delegator)
    public
    view
    returns (
      uint256 bondedAmount,
      uint256 fees,
      address delegateAddress,
      uint256 delegatedAmount,
      uint256 startRound,
      uint256 lastClaimRound,
      uint256 nextUnbondingLockId
    )
  {
    Delegator storage del = delegators[_delegator];
    return (
      del.bondedAmount,
      del.fees,
      del.delegateAddress,
      del.delegatedAmount,
      del.startRound,
      del.lastClaimRound,
      del.nextUnbondingLockId
    );
  }

  function getDelegatorUnbondingLock(address _delegator, uint256 _unbondingLockId)
    public
    view
    returns (uint256 amount, uint256 withdrawRound)
  {
    UnbondingLock storage lock = unbondingLocks[_delegator][_unbondingLockId];
    return (lock.amount, lock.withdrawRound);
  }

  function isValidUnbondingLock(address _delegator, uint256 _unbondingLockId) public view returns (bool) {
    return unbondingLocks[_delegator][_unbondingLockId].withdrawRound > 0;
  }

  function isRegisteredTranscoder(address _transcoder) public view returns (bool) {
    Delegator storage d = delegators[_transcoder];
    return d.delegateAddress == _transcoder && d.bondedAmount > 0;
  }

  // ---- actions: state as the real function leaves it, then the real events ----

  /// Real `bondForWithHint`: a bond that changes delegate moves the whole current bond from the old delegate
  /// to the new one; the new delegate's total stake grows by that and by the additional amount. Pulls
  /// additionalAmount from the delegator.
  function bond(
    address newDelegate,
    address oldDelegate,
    address delegator,
    uint256 additionalAmount,
    uint256 bondedAmount
  ) external auth {
    Delegator storage del = delegators[delegator];
    address currentDelegate = del.delegateAddress;
    uint256 currentBonded = del.bondedAmount;
    require(oldDelegate == currentDelegate, "Bond: oldDelegate is not the current delegate");
    require(bondedAmount == currentBonded + additionalAmount, "Bond: bondedAmount != bonded + additional");
    uint256 delegationAmount = additionalAmount;
    if (currentBonded > 0 && currentDelegate != newDelegate) {
      require(!isRegisteredTranscoder(delegator), "registered transcoders can't delegate towards other addresses");
      delegationAmount += currentBonded;
      delegators[currentDelegate].delegatedAmount -= currentBonded;
    }
    require(delegationAmount > 0, "delegation amount must be greater than 0");
    del.delegateAddress = newDelegate;
    del.bondedAmount = bondedAmount;
    delegators[newDelegate].delegatedAmount += delegationAmount;
    if (additionalAmount > 0) token.forceTransfer(delegator, address(this), additionalAmount);
    emit Bond(newDelegate, oldDelegate, delegator, additionalAmount, bondedAmount);
  }

  /// Real `unbondWithHint`: a new lock (id = nextUnbondingLockId), the bond and the delegate's total stake fall
  /// by amount; a delegator with nothing left bonded has no delegate.
  function unbond(address delegate, address delegator, uint256 lockId, uint256 amount, uint256 withdrawRound)
    external
    auth
  {
    Delegator storage del = delegators[delegator];
    require(del.bondedAmount > 0 && delegate == del.delegateAddress, "Unbond: not bonded to delegate");
    require(amount > 0 && amount <= del.bondedAmount, "Unbond: bad amount");
    require(lockId == del.nextUnbondingLockId, "Unbond: lock id is not the next one");
    unbondingLocks[delegator][lockId] = UnbondingLock({ amount: amount, withdrawRound: withdrawRound });
    del.nextUnbondingLockId = lockId + 1;
    del.bondedAmount -= amount;
    if (del.bondedAmount == 0) {
      del.delegateAddress = address(0);
      del.startRound = 0;
    }
    delegators[delegate].delegatedAmount -= amount;
    emit Unbond(delegate, delegator, lockId, amount, withdrawRound);
  }

  /// Real `rebondWithHint` / `rebondFromUnbondedWithHint` → `processRebond`: the lock's amount goes back to the
  /// bond and to the delegate's total stake (a delegator with nothing bonded rebonds to `delegate`).
  function rebond(address delegate, address delegator, uint256 lockId, uint256 amount) external auth {
    Delegator storage del = delegators[delegator];
    UnbondingLock storage lock = unbondingLocks[delegator][lockId];
    require(lock.withdrawRound > 0, "invalid unbonding lock ID");
    require(amount == lock.amount, "Rebond: amount != lock amount");
    if (del.bondedAmount == 0) del.delegateAddress = delegate;
    else require(delegate == del.delegateAddress, "Rebond: not the current delegate");
    del.bondedAmount += amount;
    delete unbondingLocks[delegator][lockId];
    delegators[delegate].delegatedAmount += amount;
    emit Rebond(delegate, delegator, lockId, amount);
  }

  /// Real `withdrawStake`: the lock is deleted and its tokens go back to the delegator.
  function withdrawStake(address delegator, uint256 lockId, uint256 amount, uint256 withdrawRound) external auth {
    UnbondingLock storage lock = unbondingLocks[delegator][lockId];
    require(lock.withdrawRound > 0, "invalid unbonding lock ID");
    require(amount == lock.amount && withdrawRound == lock.withdrawRound, "WithdrawStake: not the lock");
    delete unbondingLocks[delegator][lockId];
    token.forceTransfer(address(this), delegator, amount);
    emit WithdrawStake(delegator, lockId, amount, withdrawRound);
  }

  /// Real `rewardWithHint`: the treasury part is paid out, the rest (`Reward.amount`) is added to the
  /// transcoder's total stake (`updateTranscoderWithRewards` → `increaseTotalStake`); delegators' shares are
  /// pending until claimed. Mints the treasury part to the treasury and the reward to this contract.
  function reward(address transcoder, uint256 amount, address treasury, uint256 treasuryAmount) external auth {
    if (treasuryAmount > 0) {
      token.mint(treasury, treasuryAmount);
      emit TreasuryReward(transcoder, treasury, treasuryAmount);
    }
    token.mint(address(this), amount);
    delegators[transcoder].delegatedAmount += amount;
    emit Reward(transcoder, amount);
  }

  /// Real `updateDelegatorWithEarnings` (claimEarnings, and the automatic claim before bond/unbond/rebond):
  /// rewards join the bond ("rewards are bonded by default"), fees the delegator's fees; the delegate's total
  /// stake already holds the rewards.
  function claimEarnings(
    address delegate,
    address delegator,
    uint256 rewards,
    uint256 fees,
    uint256 startRound,
    uint256 endRound
  ) external auth {
    Delegator storage del = delegators[delegator];
    require(delegate == del.delegateAddress, "EarningsClaimed: not the current delegate");
    require(startRound == del.lastClaimRound + 1, "EarningsClaimed: startRound != lastClaimRound + 1");
    del.bondedAmount += rewards;
    del.fees += fees;
    del.lastClaimRound = endRound;
    emit EarningsClaimed(delegate, delegator, rewards, fees, startRound, endRound);
  }

  function transcoderUpdate(address transcoder, uint256 rewardCut, uint256 feeShare) external auth {
    emit TranscoderUpdate(transcoder, rewardCut, feeShare);
  }

  function transcoderActivated(address transcoder, uint256 activationRound) external auth {
    emit TranscoderActivated(transcoder, activationRound);
  }

  /// Real `slashTranscoder`: the penalty comes out of the transcoder's own bond and, while it is still bonded,
  /// out of its delegate's total stake (a transcoder slashed to 0 is unbonded: the real contract then leaves
  /// the delegate's total stake unchanged). Burns penalty - finderReward and sends finderReward to the finder.
  function slashTranscoder(address transcoder, address finder, uint256 penalty, uint256 finderReward) external auth {
    Delegator storage del = delegators[transcoder];
    require(penalty <= del.bondedAmount, "TranscoderSlashed: penalty > bonded amount");
    del.bondedAmount -= penalty;
    if (del.bondedAmount > 0) delegators[del.delegateAddress].delegatedAmount -= penalty;
    if (penalty > finderReward) token.burnFrom(address(this), penalty - finderReward);
    if (finderReward > 0) token.forceTransfer(address(this), finder, finderReward);
    emit TranscoderSlashed(transcoder, finder, penalty, finderReward);
  }
}
