// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for Livepeer's Minter: the simulator computes the round's inflation and mintable tokens.
contract Minter is SimAuth {
  event SetCurrentRewardTokens(uint256 currentMintableTokens, uint256 currentInflation);
  event ParameterUpdate(string param);

  function setCurrentRewardTokens(uint256 currentMintableTokens, uint256 currentInflation) external auth {
    emit SetCurrentRewardTokens(currentMintableTokens, currentInflation);
  }
}
