// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for The Graph's staking proxy on Arbitrum One: the legacy L2Staking events and the
/// HorizonStaking events on one address. Staked tokens are held here.
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
  }

  ISimToken public immutable token;
  address public curation;

  constructor(address token_) {
    token = ISimToken(token_);
  }

  function setCuration(address curation_) external auth {
    curation = curation_;
  }

  // ---- legacy L2Staking ----

  function stake(address indexer, uint256 tokens) external auth {
    token.forceTransfer(indexer, address(this), tokens);
    emit StakeDeposited(indexer, tokens);
  }

  function withdraw(address indexer, uint256 tokens) external auth {
    token.forceTransfer(address(this), indexer, tokens);
    emit StakeWithdrawn(indexer, tokens);
  }

  function delegate(address indexer, address delegator, uint256 tokens, uint256 shares) external auth {
    token.forceTransfer(delegator, address(this), tokens);
    emit StakeDelegated(indexer, delegator, tokens, shares);
  }

  function undelegate(address indexer, address delegator, uint256 tokens, uint256 shares, uint256 until)
    external
    auth
  {
    emit StakeDelegatedLocked(indexer, delegator, tokens, shares, until);
  }

  function withdrawDelegated(address indexer, address delegator, uint256 tokens) external auth {
    token.forceTransfer(address(this), delegator, tokens);
    emit StakeDelegatedWithdrawn(indexer, delegator, tokens);
  }

  /// Burns tokens - reward and sends reward to the beneficiary (fisherman).
  function slash(address indexer, uint256 tokens, uint256 reward, address beneficiary) external auth {
    if (tokens > reward) token.burnFrom(address(this), tokens - reward);
    if (reward > 0) token.forceTransfer(address(this), beneficiary, reward);
    emit StakeSlashed(indexer, tokens, reward, beneficiary);
  }

  /// Pulls the query fees from the asset holder, burns the protocol tax, sends the curation fees to curation
  /// and the rest (the rebate) to the indexer.
  function collectRebate(Rebate calldata r) external auth {
    token.forceTransfer(r.assetHolder, address(this), r.tokens);
    if (r.protocolTax > 0) token.burnFrom(address(this), r.protocolTax);
    if (r.curationFees > 0) token.forceTransfer(address(this), curation, r.curationFees);
    uint256 queryFees = r.tokens - r.protocolTax - r.curationFees;
    if (queryFees > 0) token.forceTransfer(address(this), r.indexer, queryFees);
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
      queryFees,
      0
    );
  }

  function setDelegationParameters(address indexer, uint32 indexingRewardCut, uint32 queryFeeCut) external auth {
    emit DelegationParametersUpdated(indexer, indexingRewardCut, queryFeeCut, 0);
  }

  // ---- HorizonStaking ----

  function horizonStake(address serviceProvider, uint256 tokens) external auth {
    token.forceTransfer(serviceProvider, address(this), tokens);
    emit HorizonStakeDeposited(serviceProvider, tokens);
  }

  function horizonWithdraw(address serviceProvider, uint256 tokens) external auth {
    token.forceTransfer(address(this), serviceProvider, tokens);
    emit HorizonStakeWithdrawn(serviceProvider, tokens);
  }

  function horizonDelegate(address serviceProvider, address verifier, address delegator, uint256 tokens, uint256 shares)
    external
    auth
  {
    token.forceTransfer(delegator, address(this), tokens);
    emit TokensDelegated(serviceProvider, verifier, delegator, tokens, shares);
  }

  function horizonUndelegate(
    address serviceProvider,
    address verifier,
    address delegator,
    uint256 tokens,
    uint256 shares
  ) external auth {
    emit TokensUndelegated(serviceProvider, verifier, delegator, tokens, shares);
  }

  /// As the real HorizonStaking's _withdrawDelegated: DelegatedTokensWithdrawn, then the token transfer.
  /// (Tokens undelegated before Horizon are withdrawn with withdrawDelegated: StakeDelegatedWithdrawn.)
  function horizonWithdrawDelegated(address serviceProvider, address verifier, address delegator, uint256 tokens)
    external
    auth
  {
    emit DelegatedTokensWithdrawn(serviceProvider, verifier, delegator, tokens);
    token.forceTransfer(address(this), delegator, tokens);
  }

  /// ProvisionSlashed, burn of tokens - tokensVerifier, then the verifier's part with VerifierTokensSent.
  function horizonSlash(
    address serviceProvider,
    address verifier,
    uint256 tokens,
    uint256 tokensVerifier,
    address verifierDestination
  ) external auth {
    emit ProvisionSlashed(serviceProvider, verifier, tokens);
    if (tokens > tokensVerifier) token.burnFrom(address(this), tokens - tokensVerifier);
    if (tokensVerifier > 0) {
      token.forceTransfer(address(this), verifierDestination, tokensVerifier);
      emit VerifierTokensSent(serviceProvider, verifier, verifierDestination, tokensVerifier);
    }
  }
}
