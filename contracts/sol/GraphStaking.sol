// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

interface ISimCuration {
  function collect(bytes32 subgraphDeploymentID, uint256 tokens) external;
}

/// Local stand-in for The Graph's staking proxy on Arbitrum One: the legacy L2Staking events and the
/// HorizonStaking events on one address. Staked tokens are held here, and the stake state the real contract
/// exposes is kept under its legacy getters (`stakes`, `delegationPools`, `getDelegation`,
/// `getIndexerStakedTokens`, same signatures and return tuples as the npm package graphprotocol/contracts 7.2.1), changed only by
/// the functions that emit the events, from their arguments (docs/simulator.md, "GraphStaking: the stake state it
/// keeps"). HorizonStaking keeps the legacy mappings in the same storage slots (`_serviceProviders`,
/// `_legacyDelegationPools`, the SubgraphService's pools), so one state serves both periods.
contract GraphStaking is SimAuth {
  event StakeDeposited(address indexed indexer, uint256 tokens);
  event StakeLocked(address indexed indexer, uint256 tokens, uint256 until);
  event StakeWithdrawn(address indexed indexer, uint256 tokens);
  event StakeDelegated(address indexed indexer, address indexed delegator, uint256 tokens, uint256 shares);
  event StakeDelegatedLocked(address indexed indexer, address indexed delegator, uint256 tokens, uint256 shares, uint256 until);
  event StakeDelegatedWithdrawn(address indexed indexer, address indexed delegator, uint256 tokens);
  event StakeSlashed(address indexed indexer, uint256 tokens, uint256 reward, address beneficiary);
  event AllocationCreated(address indexed indexer, bytes32 indexed subgraphDeploymentID, uint256 epoch, uint256 tokens, address indexed allocationID, bytes32 metadata);
  event AllocationClosed(address indexed indexer, bytes32 indexed subgraphDeploymentID, uint256 epoch, uint256 tokens, address indexed allocationID, address sender, bytes32 poi, bool isPublic);
  event RebateCollected(address assetHolder, address indexed indexer, bytes32 indexed subgraphDeploymentID, address indexed allocationID, uint256 epoch, uint256 tokens, uint256 protocolTax, uint256 curationFees, uint256 queryFees, uint256 queryRebates, uint256 delegationRewards);
  // L2Staking before the exponential-rebates upgrade (Arbitrum One, 2022-11 to 2023-09): not simulated.
  event AllocationCollected(address indexed indexer, bytes32 indexed subgraphDeploymentID, uint256 epoch, uint256 tokens, address indexed allocationID, address from, uint256 curationFees, uint256 rebateFees);
  event RebateClaimed(address indexed indexer, bytes32 indexed subgraphDeploymentID, address indexed allocationID, uint256 epoch, uint256 forEpoch, uint256 tokens, uint256 unclaimedAllocationsCount, uint256 delegationFees);
  event DelegationParametersUpdated(address indexed indexer, uint32 indexingRewardCut, uint32 queryFeeCut, uint32 __DEPRECATED_cooldownBlocks);
  event SetRewardsDestination(address indexed indexer, address indexed destination);
  event TransferredDelegationReturnedToDelegator(address indexed indexer, address indexed delegator, uint256 amount);
  event ParameterUpdated(string param);
  event HorizonStakeDeposited(address indexed serviceProvider, uint256 tokens);
  event HorizonStakeWithdrawn(address indexed serviceProvider, uint256 tokens);
  event ProvisionCreated(address indexed serviceProvider, address indexed verifier, uint256 tokens, uint32 maxVerifierCut, uint64 thawingPeriod);
  event ProvisionIncreased(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event ProvisionThawed(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event TokensDeprovisioned(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event ProvisionSlashed(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event DelegationSlashed(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event DelegationSlashingSkipped(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event VerifierTokensSent(address indexed serviceProvider, address indexed verifier, address indexed destination, uint256 tokens);
  event TokensDelegated(address indexed serviceProvider, address indexed verifier, address indexed delegator, uint256 tokens, uint256 shares);
  event TokensUndelegated(address indexed serviceProvider, address indexed verifier, address indexed delegator, uint256 tokens, uint256 shares);
  event DelegatedTokensWithdrawn(address indexed serviceProvider, address indexed verifier, address indexed delegator, uint256 tokens);
  event TokensToDelegationPoolAdded(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event DelegationFeeCutSet(address indexed serviceProvider, address indexed verifier, uint8 indexed paymentType, uint256 feeCut);
  event ThawRequestCreated(uint8 indexed requestType, address indexed serviceProvider, address indexed verifier, address owner, uint256 shares, uint64 thawingUntil, bytes32 thawRequestId, uint256 nonce);
  event ThawRequestFulfilled(uint8 indexed requestType, bytes32 indexed thawRequestId, uint256 tokens, uint256 shares, uint64 thawingUntil, bool valid);
  event ThawRequestsFulfilled(uint8 indexed requestType, address indexed serviceProvider, address indexed verifier, address owner, uint256 thawRequestsFulfilled, uint256 tokens);

  struct Rebate {
    address assetHolder;
    address indexer;
    bytes32 subgraphDeploymentID;
    address allocationID;
    uint256 epoch;
    uint256 tokens;
    uint256 protocolTax;
    uint256 curationFees;
    uint256 delegationRewards;
    address rewardsDestination;
  }

  /// Stakes.Indexer (tokensAllocated, tokensLocked, tokensLockedUntil are not kept: always 0).
  struct IndexerStake {
    uint256 tokensStaked;
    uint256 tokensAllocated;
    uint256 tokensLocked;
    uint256 tokensLockedUntil;
  }
  /// IStakingData.DelegationPool (shares are not kept: always 0).
  struct DelegationPool {
    uint32 __DEPRECATED_cooldownBlocks;
    uint32 indexingRewardCut;
    uint32 queryFeeCut;
    uint256 updatedAtBlock;
    uint256 tokens;
    uint256 shares;
  }
  /// IStakingData.Delegation (shares are not kept: always 0).
  struct Delegation {
    uint256 shares;
    uint256 tokensLocked;
    uint256 tokensLockedUntil;
  }

  ISimToken public immutable token;
  address public curation;
  mapping(address => IndexerStake) private _stakes;
  mapping(address => DelegationPool) private _pools;
  mapping(address => mapping(address => Delegation)) private _delegations;

  function stakes(address indexer) external view returns (IndexerStake memory) {
    return _stakes[indexer];
  }

  function delegationPools(address indexer) external view returns (DelegationPool memory) {
    return _pools[indexer];
  }

  function getDelegation(address indexer, address delegator) external view returns (Delegation memory) {
    return _delegations[indexer][delegator];
  }

  function getIndexerStakedTokens(address indexer) external view returns (uint256) {
    return _stakes[indexer].tokensStaked;
  }

  constructor(address token_) {
    token = ISimToken(token_);
  }

  function setCuration(address curation_) external auth {
    curation = curation_;
  }

  // ---- legacy L2Staking (graphprotocol/contracts contracts/staking/Staking.sol, StakingExtension.sol) ----

  /// Staking.stake / stakeTo: pullTokens, then _stake.
  function stake(address indexer, uint256 tokens) external auth {
    token.forceTransfer(indexer, address(this), tokens);
    _stakes[indexer].tokensStaked += tokens;
    emit StakeDeposited(indexer, tokens);
  }

  /// Staking._withdraw: pushTokens, then StakeWithdrawn.
  function withdraw(address indexer, uint256 tokens) external auth {
    _stakes[indexer].tokensStaked -= tokens;
    token.forceTransfer(address(this), indexer, tokens);
    emit StakeWithdrawn(indexer, tokens);
  }

  /// StakingExtension.delegate: pullTokens, the delegation tax burned, StakeDelegated(tokens - tax).
  function delegate(address indexer, address delegator, uint256 tokens, uint256 tax, uint256 shares) external auth {
    token.forceTransfer(delegator, address(this), tokens);
    if (tax > 0) token.burnFrom(address(this), tax);
    _pools[indexer].tokens += tokens - tax;
    emit StakeDelegated(indexer, delegator, tokens - tax, shares);
  }

  function undelegate(address indexer, address delegator, uint256 tokens, uint256 shares, uint256 until)
    external
    auth
  {
    // StakingExtension._undelegate: the tokens leave the pool and are locked in the delegation until `until`
    _pools[indexer].tokens -= tokens;
    Delegation storage d = _delegations[indexer][delegator];
    d.tokensLocked += tokens;
    d.tokensLockedUntil = until;
    emit StakeDelegatedLocked(indexer, delegator, tokens, shares, until);
  }

  /// StakingExtension._withdrawDelegated (and HorizonStaking's legacy withdrawDelegated): the event, then
  /// pushTokens to the delegator.
  function withdrawDelegated(address indexer, address delegator, uint256 tokens) external auth {
    Delegation storage d = _delegations[indexer][delegator];
    d.tokensLocked -= tokens;
    if (d.tokensLocked == 0) d.tokensLockedUntil = 0;
    emit StakeDelegatedWithdrawn(indexer, delegator, tokens);
    token.forceTransfer(address(this), delegator, tokens);
  }

  /// Burns tokens - reward and sends reward to the beneficiary (fisherman).
  function slash(address indexer, uint256 tokens, uint256 reward, address beneficiary) external auth {
    _stakes[indexer].tokensStaked -= tokens;
    if (tokens > reward) token.burnFrom(address(this), tokens - reward);
    if (reward > 0) token.forceTransfer(address(this), beneficiary, reward);
    emit StakeSlashed(indexer, tokens, reward, beneficiary);
  }

  /// Staking._sendRewards with restake: _stake of tokens the staking contract already holds (rewards minted
  /// to it by takeRewards, rebates it collected). HorizonStakingExtension emits HorizonStakeDeposited.
  function restake(address indexer, uint256 tokens, bool horizon) external auth {
    _stakes[indexer].tokensStaked += tokens;
    if (horizon) emit HorizonStakeDeposited(indexer, tokens);
    else emit StakeDeposited(indexer, tokens);
  }

  /// The delegators' share of a legacy allocation's indexing rewards (Staking._collectDelegationIndexingRewards,
  /// also HorizonStakingExtension's for allocations opened before Horizon): added to the pool's tokens, no event.
  function creditDelegationPool(address indexer, uint256 tokens) external auth {
    _pools[indexer].tokens += tokens;
  }

  /// Staking.setRewardsDestination.
  function setRewardsDestination(address indexer, address destination) external auth {
    emit SetRewardsDestination(indexer, destination);
  }

  /// The end of Staking._closeAllocation (after _distributeRewards).
  function allocationClosed(
    address indexer,
    bytes32 subgraphDeploymentID,
    uint256 epoch,
    uint256 tokens,
    address allocationID,
    bytes32 poi
  ) external auth {
    emit AllocationClosed(indexer, subgraphDeploymentID, epoch, tokens, allocationID, indexer, poi, false);
  }

  /// Staking.collect (exponential rebates, the whole rebate distributed): pullTokens from the asset holder,
  /// the protocol tax burned, the curation fees pushed to Curation and booked (Curation.collect: Collected),
  /// the delegators' share kept for the pool (no event), the indexer's share restaked (StakeDeposited) or
  /// pushed to its rewards destination, then RebateCollected.
  function collectRebate(Rebate calldata r) external auth {
    token.forceTransfer(r.assetHolder, address(this), r.tokens);
    if (r.protocolTax > 0) token.burnFrom(address(this), r.protocolTax);
    if (r.curationFees > 0) {
      token.forceTransfer(address(this), curation, r.curationFees);
      ISimCuration(curation).collect(r.subgraphDeploymentID, r.curationFees);
    }
    uint256 queryFees = r.tokens - r.protocolTax - r.curationFees;
    uint256 queryRebates = queryFees - r.delegationRewards;
    // _collectDelegationQueryRewards: the delegators' share joins the pool's tokens (no event)
    _pools[r.indexer].tokens += r.delegationRewards;
    if (queryRebates > 0) {
      if (r.rewardsDestination == address(0)) {
        _stakes[r.indexer].tokensStaked += queryRebates;
        emit StakeDeposited(r.indexer, queryRebates);
      } else token.forceTransfer(address(this), r.rewardsDestination, queryRebates);
    }
    emit RebateCollected(
      r.assetHolder,
      r.indexer,
      r.subgraphDeploymentID,
      r.allocationID,
      r.epoch,
      r.tokens,
      r.protocolTax,
      r.curationFees,
      queryFees,
      queryRebates,
      r.delegationRewards
    );
  }

  function setDelegationParameters(address indexer, uint32 indexingRewardCut, uint32 queryFeeCut) external auth {
    DelegationPool storage p = _pools[indexer];
    p.indexingRewardCut = indexingRewardCut;
    p.queryFeeCut = queryFeeCut;
    p.updatedAtBlock = block.number;
    emit DelegationParametersUpdated(indexer, indexingRewardCut, queryFeeCut, 0);
  }

  // ---- HorizonStaking (graphprotocol/contracts packages/horizon/contracts/staking/HorizonStaking.sol) ----

  /// HorizonStaking.stake: _stakeTo pulls from the provider, _stake emits.
  function horizonStake(address serviceProvider, uint256 tokens) external auth {
    token.forceTransfer(serviceProvider, address(this), tokens);
    _stakes[serviceProvider].tokensStaked += tokens;
    emit HorizonStakeDeposited(serviceProvider, tokens);
  }

  /// HorizonStaking.stakeTo called by a contract (GraphPayments): pulls from the caller.
  function stakeTo(address serviceProvider, uint256 tokens) external auth {
    token.forceTransfer(msg.sender, address(this), tokens);
    _stakes[serviceProvider].tokensStaked += tokens;
    emit HorizonStakeDeposited(serviceProvider, tokens);
  }

  /// HorizonStaking.stakeToProvision called by the verifier (the SubgraphService's indexing rewards):
  /// pulls from `from`, HorizonStakeDeposited, then ProvisionIncreased.
  function stakeToProvision(address from, address serviceProvider, address verifier, uint256 tokens)
    external
    auth
  {
    token.forceTransfer(from, address(this), tokens);
    _stakes[serviceProvider].tokensStaked += tokens;
    emit HorizonStakeDeposited(serviceProvider, tokens);
    emit ProvisionIncreased(serviceProvider, verifier, tokens);
  }

  /// HorizonStaking.addToDelegationPool: the pool's tokens grow, pullTokens from `from`, then the event.
  function addToDelegationPool(address from, address serviceProvider, address verifier, uint256 tokens)
    external
    auth
  {
    token.forceTransfer(from, address(this), tokens);
    _pools[serviceProvider].tokens += tokens;
    emit TokensToDelegationPoolAdded(serviceProvider, verifier, tokens);
  }

  function setDelegationFeeCut(address serviceProvider, address verifier, uint8 paymentType, uint256 feeCut)
    external
    auth
  {
    emit DelegationFeeCutSet(serviceProvider, verifier, paymentType, feeCut);
  }

  function horizonWithdraw(address serviceProvider, uint256 tokens) external auth {
    _stakes[serviceProvider].tokensStaked -= tokens;
    token.forceTransfer(address(this), serviceProvider, tokens);
    emit HorizonStakeWithdrawn(serviceProvider, tokens);
  }

  function horizonDelegate(address serviceProvider, address verifier, address delegator, uint256 tokens, uint256 shares)
    external
    auth
  {
    token.forceTransfer(delegator, address(this), tokens);
    _pools[serviceProvider].tokens += tokens;
    emit TokensDelegated(serviceProvider, verifier, delegator, tokens, shares);
  }

  /// HorizonStaking._undelegate: _createThawRequest (ThawRequestCreated), then TokensUndelegated.
  function horizonUndelegate(
    address serviceProvider,
    address verifier,
    address delegator,
    uint256 tokens,
    uint256 shares,
    uint64 thawingUntil,
    bytes32 thawRequestId,
    uint256 nonce
  ) external auth {
    emit ThawRequestCreated(1, serviceProvider, verifier, delegator, shares, thawingUntil, thawRequestId, nonce);
    emit TokensUndelegated(serviceProvider, verifier, delegator, tokens, shares);
  }

  /// HorizonStaking._withdrawDelegated of one thaw request: _fulfillThawRequests (ThawRequestFulfilled,
  /// ThawRequestsFulfilled), pushTokens to the delegator, then DelegatedTokensWithdrawn.
  /// (Tokens undelegated before Horizon are withdrawn with withdrawDelegated: StakeDelegatedWithdrawn.)
  function horizonWithdrawDelegated(
    address serviceProvider,
    address verifier,
    address delegator,
    uint256 tokens,
    uint256 shares,
    uint64 thawingUntil,
    bytes32 thawRequestId
  ) external auth {
    // the thawed tokens stayed in the pool's tokens (tokensThawing) until now
    _pools[serviceProvider].tokens -= tokens;
    emit ThawRequestFulfilled(1, thawRequestId, tokens, shares, thawingUntil, true);
    emit ThawRequestsFulfilled(1, serviceProvider, verifier, delegator, 1, tokens);
    token.forceTransfer(address(this), delegator, tokens);
    emit DelegatedTokensWithdrawn(serviceProvider, verifier, delegator, tokens);
  }

  /// HorizonStaking.slash: the provision first (the verifier's part pushed with VerifierTokensSent, the rest
  /// burned, ProvisionSlashed), then what the provision could not cover from the delegation pool, burned
  /// (DelegationSlashed).
  function horizonSlash(
    address serviceProvider,
    address verifier,
    uint256 tokens,
    uint256 tokensVerifier,
    address verifierDestination,
    uint256 delegationTokens
  ) external auth {
    _stakes[serviceProvider].tokensStaked -= tokens;
    _pools[serviceProvider].tokens -= delegationTokens;
    if (tokensVerifier > 0) {
      token.forceTransfer(address(this), verifierDestination, tokensVerifier);
      emit VerifierTokensSent(serviceProvider, verifier, verifierDestination, tokensVerifier);
    }
    if (tokens > tokensVerifier) token.burnFrom(address(this), tokens - tokensVerifier);
    emit ProvisionSlashed(serviceProvider, verifier, tokens);
    if (delegationTokens > 0) {
      token.burnFrom(address(this), delegationTokens);
      emit DelegationSlashed(serviceProvider, verifier, delegationTokens);
    }
  }
}
