// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

interface IGraphProxyLike {
  function admin() external view returns (address);
  function acceptUpgrade() external;
  function acceptUpgradeAndCall(bytes calldata data) external;
}

/// The Horizon period of The Graph's staking contract on the local chain: the implementation the simulator
/// installs behind the real L2Staking proxy (npm package graphprotocol/contracts 7.2.1 GraphProxy, upgraded through the
/// real GraphProxyAdmin, as Arbitrum One's staking proxy was upgraded to HorizonStaking), so the staking address,
/// its GRT and the legacy state stay one. No package publishes HorizonStaking's bytecode: each function emits the
/// events of the real HorizonStaking function named beside it, in its order, and moves real GRT
/// (graphprotocol/contracts packages/horizon/contracts/staking/HorizonStaking.sol, HorizonStakingExtension.sol).
///
/// Storage: the slots 0-76 are L2Staking's (Managed, StakingV1Storage..StakingV4Storage of the 7.2.1 sources),
/// declared here with the same types in the same order, so the legacy stakes, delegation pools, delegations and
/// allocations written by the real L2Staking are read and changed in place (HorizonStaking keeps them in the same
/// slots as `_serviceProviders` and `_legacyDelegationPools`); the simulator's own access list comes after
/// L2Staking's 50-slot gap. Amounts are the simulator's (arguments), not recomputed: shares and thaw requests are
/// not kept (docs/simulator.md, "The Graph on the local chain").
contract GraphHorizonStaking {
  event StakeDelegatedWithdrawn(address indexed indexer, address indexed delegator, uint256 tokens);
  event HorizonStakeDeposited(address indexed serviceProvider, uint256 tokens);
  event HorizonStakeWithdrawn(address indexed serviceProvider, uint256 tokens);
  event ProvisionIncreased(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event ProvisionSlashed(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event DelegationSlashed(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event VerifierTokensSent(address indexed serviceProvider, address indexed verifier, address indexed destination, uint256 tokens);
  event TokensDelegated(address indexed serviceProvider, address indexed verifier, address indexed delegator, uint256 tokens, uint256 shares);
  event TokensUndelegated(address indexed serviceProvider, address indexed verifier, address indexed delegator, uint256 tokens, uint256 shares);
  event DelegatedTokensWithdrawn(address indexed serviceProvider, address indexed verifier, address indexed delegator, uint256 tokens);
  event TokensToDelegationPoolAdded(address indexed serviceProvider, address indexed verifier, uint256 tokens);
  event DelegationFeeCutSet(address indexed serviceProvider, address indexed verifier, uint8 indexed paymentType, uint256 feeCut);
  event ThawRequestCreated(uint8 indexed requestType, address indexed serviceProvider, address indexed verifier, address owner, uint256 shares, uint64 thawingUntil, bytes32 thawRequestId, uint256 nonce);
  event ThawRequestFulfilled(uint8 indexed requestType, bytes32 indexed thawRequestId, uint256 tokens, uint256 shares, uint64 thawingUntil, bool valid);
  event ThawRequestsFulfilled(uint8 indexed requestType, address indexed serviceProvider, address indexed verifier, address owner, uint256 thawRequestsFulfilled, uint256 tokens);


  struct IndexerStake {
    uint256 tokensStaked;
    uint256 tokensAllocated;
    uint256 tokensLocked;
    uint256 tokensLockedUntil;
  }
  struct Allocation {
    address indexer;
    bytes32 subgraphDeploymentID;
    uint256 tokens;
    uint256 createdAtEpoch;
    uint256 closedAtEpoch;
    uint256 collectedFees;
    uint256 __DEPRECATED_effectiveAllocation;
    uint256 accRewardsPerAllocatedToken;
    uint256 distributedRebates;
  }
  struct Delegation {
    uint256 shares;
    uint256 tokensLocked;
    uint256 tokensLockedUntil;
  }
  struct DelegationPool {
    uint32 __DEPRECATED_cooldownBlocks;
    uint32 indexingRewardCut;
    uint32 queryFeeCut;
    uint256 updatedAtBlock;
    uint256 tokens;
    uint256 shares;
    mapping(address => Delegation) delegators;
  }
  /// delegationPools(address)'s return tuple (the pool without its delegators).
  struct DelegationPoolView {
    uint32 __DEPRECATED_cooldownBlocks;
    uint32 indexingRewardCut;
    uint32 queryFeeCut;
    uint256 updatedAtBlock;
    uint256 tokens;
    uint256 shares;
  }

  // ---- L2Staking's storage layout (slot numbers in comments) ----
  address internal _controller; // 0  Managed.controller
  mapping(bytes32 => address) internal _addressCache; // 1
  uint256[10] internal _managedGap; // 2-11
  uint256 internal _minimumIndexerStake; // 12
  uint32 internal _thawingPeriod; // 13 (packed: 7 x uint32)
  uint32 internal _curationPercentage;
  uint32 internal _protocolPercentage;
  uint32 internal _channelDisputeEpochs;
  uint32 internal _maxAllocationEpochs;
  uint32 internal _alphaNumerator;
  uint32 internal _alphaDenominator;
  mapping(address => IndexerStake) internal _stakes; // 14
  mapping(address => Allocation) internal _allocations; // 15
  mapping(bytes32 => uint256) internal _subgraphAllocations; // 16
  mapping(uint256 => uint256) internal _rebates; // 17
  mapping(address => bool) internal _slashers; // 18
  uint32 internal _delegationRatio; // 19 (packed: 4 x uint32)
  uint32 internal _delegationParametersCooldown;
  uint32 internal _delegationUnbondingPeriod;
  uint32 internal _delegationTaxPercentage;
  mapping(address => DelegationPool) internal _pools; // 20
  mapping(address => mapping(address => bool)) internal _operatorAuth; // 21
  mapping(address => bool) internal _assetHolders; // 22
  mapping(address => address) internal _rewardsDestination; // 23
  address internal _counterpartStakingAddress; // 24
  address internal _extensionImpl; // 25
  uint32 internal _lambdaNumerator; // 26 (packed)
  uint32 internal _lambdaDenominator;
  uint256[50] internal _stakingGap; // 27-76

  // ---- the simulator's own state, after L2Staking's layout ----
  address public simOwner; // 77
  mapping(address => bool) public simAuthorized; // 78

  IGraphTokenLike public immutable token;

  constructor(address token_) {
    token = IGraphTokenLike(token_);
  }

  modifier auth() {
    require(msg.sender == simOwner || simAuthorized[msg.sender], "not authorized");
    _;
  }

  // ---- GraphUpgradeable: how the real GraphProxyAdmin installs an implementation ----

  function acceptProxy(IGraphProxyLike proxy) external {
    require(msg.sender == proxy.admin(), "Caller must be the proxy admin");
    proxy.acceptUpgrade();
  }

  function acceptProxyAndCall(IGraphProxyLike proxy, bytes calldata data) external {
    require(msg.sender == proxy.admin(), "Caller must be the proxy admin");
    proxy.acceptUpgradeAndCall(data);
  }

  /// Called through the proxy by acceptProxyAndCall: the simulator's owner and the contracts it authorizes.
  function initializeSim(address owner_, address[] calldata authorized_) external {
    require(simOwner == address(0), "initialized");
    simOwner = owner_;
    for (uint256 i = 0; i < authorized_.length; i++) simAuthorized[authorized_[i]] = true;
  }

  // ---- the legacy getters (7.2.1 signatures and return tuples), reading L2Staking's state in place ----

  function stakes(address indexer) external view returns (IndexerStake memory) {
    return _stakes[indexer];
  }

  function delegationPools(address indexer) external view returns (DelegationPoolView memory v) {
    DelegationPool storage p = _pools[indexer];
    v = DelegationPoolView(p.__DEPRECATED_cooldownBlocks, p.indexingRewardCut, p.queryFeeCut, p.updatedAtBlock, p.tokens, p.shares);
  }

  function getDelegation(address indexer, address delegator) external view returns (Delegation memory) {
    return _pools[indexer].delegators[delegator];
  }

  function getIndexerStakedTokens(address indexer) external view returns (uint256) {
    return _stakes[indexer].tokensStaked;
  }

  /// IRewardsIssuer, for the RewardsManager: tokens of the legacy allocations still open on a deployment.
  function getSubgraphAllocatedTokens(bytes32 subgraphDeploymentID) external view returns (uint256) {
    return _subgraphAllocations[subgraphDeploymentID];
  }

  /// IRewardsIssuer: a legacy allocation (active while created and not closed).
  function getAllocationData(address allocationID)
    external
    view
    returns (bool, address, bytes32, uint256, uint256, uint256)
  {
    Allocation storage a = _allocations[allocationID];
    bool active = a.createdAtEpoch != 0 && a.closedAtEpoch == 0;
    return (active, a.indexer, a.subgraphDeploymentID, a.tokens, a.accRewardsPerAllocatedToken, 0);
  }

  // ---- HorizonStaking ----

  /// HorizonStaking.stake: _stakeTo pulls from the provider, _stake emits.
  function horizonStake(address serviceProvider, uint256 tokens) external auth {
    token.transferFrom(serviceProvider, address(this), tokens);
    _stakes[serviceProvider].tokensStaked += tokens;
    emit HorizonStakeDeposited(serviceProvider, tokens);
  }

  /// HorizonStaking.stakeTo, called by GraphPayments: pulls from the caller.
  function stakeTo(address serviceProvider, uint256 tokens) external auth {
    token.transferFrom(msg.sender, address(this), tokens);
    _stakes[serviceProvider].tokensStaked += tokens;
    emit HorizonStakeDeposited(serviceProvider, tokens);
  }

  /// HorizonStaking.stakeToProvision, called by the verifier (the SubgraphService's indexing rewards): pulls from
  /// the caller, HorizonStakeDeposited, then ProvisionIncreased.
  function stakeToProvision(address serviceProvider, address verifier, uint256 tokens) external auth {
    token.transferFrom(msg.sender, address(this), tokens);
    _stakes[serviceProvider].tokensStaked += tokens;
    emit HorizonStakeDeposited(serviceProvider, tokens);
    emit ProvisionIncreased(serviceProvider, verifier, tokens);
  }

  /// HorizonStaking.addToDelegationPool: the pool's tokens grow, pullTokens from the caller, then the event.
  function addToDelegationPool(address serviceProvider, address verifier, uint256 tokens) external auth {
    _pools[serviceProvider].tokens += tokens;
    token.transferFrom(msg.sender, address(this), tokens);
    emit TokensToDelegationPoolAdded(serviceProvider, verifier, tokens);
  }

  function setDelegationFeeCut(address serviceProvider, address verifier, uint8 paymentType, uint256 feeCut)
    external
    auth
  {
    emit DelegationFeeCutSet(serviceProvider, verifier, paymentType, feeCut);
  }

  /// HorizonStaking.withdraw (the provider's idle stake): pushTokens, then HorizonStakeWithdrawn.
  function horizonWithdraw(address serviceProvider, uint256 tokens) external auth {
    _stakes[serviceProvider].tokensStaked -= tokens;
    token.transfer(serviceProvider, tokens);
    emit HorizonStakeWithdrawn(serviceProvider, tokens);
  }

  /// HorizonStaking.delegate: _delegate pulls from the delegator, then TokensDelegated (no tax after Horizon).
  function horizonDelegate(address serviceProvider, address verifier, address delegator, uint256 tokens, uint256 shares)
    external
    auth
  {
    token.transferFrom(delegator, address(this), tokens);
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
    token.transfer(delegator, tokens);
    emit DelegatedTokensWithdrawn(serviceProvider, verifier, delegator, tokens);
  }

  /// HorizonStaking.redelegate of one thaw request: _withdrawDelegated fulfils it (ThawRequestFulfilled,
  /// ThawRequestsFulfilled) and, with a new provider, _delegate moves the thawed tokens to its pool
  /// (TokensDelegated; no token moves, no DelegatedTokensWithdrawn).
  function horizonRedelegate(
    address oldServiceProvider,
    address verifier,
    address newServiceProvider,
    address delegator,
    uint256 tokens,
    uint256 shares,
    uint64 thawingUntil,
    bytes32 thawRequestId,
    uint256 newShares
  ) external auth {
    _pools[oldServiceProvider].tokens -= tokens;
    emit ThawRequestFulfilled(1, thawRequestId, tokens, shares, thawingUntil, true);
    emit ThawRequestsFulfilled(1, oldServiceProvider, verifier, delegator, 1, tokens);
    _pools[newServiceProvider].tokens += tokens;
    emit TokensDelegated(newServiceProvider, verifier, delegator, tokens, newShares);
  }

  /// HorizonStaking.withdrawDelegated(serviceProvider, 0x0) of tokens undelegated before Horizon
  /// (_withdrawDelegatedLegacy): the whole locked amount of the legacy delegation, StakeDelegatedWithdrawn, then
  /// pushTokens. Returns the tokens.
  function withdrawDelegatedLegacy(address indexer, address delegator) external auth returns (uint256 tokens) {
    Delegation storage d = _pools[indexer].delegators[delegator];
    tokens = d.tokensLocked;
    require(tokens > 0, "!tokens");
    d.tokensLocked = 0;
    d.tokensLockedUntil = 0;
    emit StakeDelegatedWithdrawn(indexer, delegator, tokens);
    token.transfer(delegator, tokens);
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
      token.transfer(verifierDestination, tokensVerifier);
      emit VerifierTokensSent(serviceProvider, verifier, verifierDestination, tokensVerifier);
    }
    if (tokens > tokensVerifier) token.burn(tokens - tokensVerifier);
    emit ProvisionSlashed(serviceProvider, verifier, tokens);
    if (delegationTokens > 0) {
      token.burn(delegationTokens);
      emit DelegationSlashed(serviceProvider, verifier, delegationTokens);
    }
  }
}
