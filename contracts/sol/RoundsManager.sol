// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for Livepeer's RoundsManager.
contract RoundsManager is SimAuth {
  event NewRound(uint256 indexed round, bytes32 blockHash);

  uint256 public currentRound;

  function initializeRound(uint256 round) external auth {
    currentRound = round;
    emit NewRound(round, blockhash(block.number - 1));
  }
}
