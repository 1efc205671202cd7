// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for The Graph's L2Curation: signalling pulls tokensIn from the curator and burns the
/// curation tax. Curation fees are pushed here by Staking (legacy) or the SubgraphService (Horizon) and
/// booked with collect (Collected).
contract L2Curation is SimAuth {
  event Signalled(
    address indexed curator,
    bytes32 indexed subgraphDeploymentID,
    uint256 tokens,
    uint256 signal,
    uint256 curationTax
  );
  event Burned(address indexed curator, bytes32 indexed subgraphDeploymentID, uint256 tokens, uint256 signal);
  event Collected(bytes32 indexed subgraphDeploymentID, uint256 tokens);

  ISimToken public immutable token;

  constructor(address token_) {
    token = ISimToken(token_);
  }

  function mintSignal(address curator, bytes32 deploymentID, uint256 tokens, uint256 signal, uint256 curationTax)
    external
    auth
  {
    token.forceTransfer(curator, address(this), tokens);
    if (curationTax > 0) token.burnFrom(address(this), curationTax);
    emit Signalled(curator, deploymentID, tokens, signal, curationTax);
  }

  /// Curation.collect, called by Staking after pushing the curation fees here.
  function collect(bytes32 deploymentID, uint256 tokens) external auth {
    emit Collected(deploymentID, tokens);
  }

  /// The SubgraphService's curators' cut: pushTokens from it, then Curation.collect.
  function collectFrom(address from, bytes32 deploymentID, uint256 tokens) external auth {
    token.forceTransfer(from, address(this), tokens);
    emit Collected(deploymentID, tokens);
  }
}
