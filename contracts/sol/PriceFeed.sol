// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for a Chainlink price feed: aggregator and proxy on one address. `transmit` emits what an
/// OCR aggregator's transmit emits for legacy consumers, in its order (smartcontractkit/libocr
/// contract/OffchainAggregator.sol `transmit`: NewRound, then AnswerUpdated; the OCR-specific NewTransmission is
/// not emitted), and the proxy's read functions answer the latest round (AggregatorV3Interface).
contract PriceFeed is SimAuth {
  event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
  event NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt);

  uint8 public immutable decimals;
  string public description;
  uint80 private _round;
  int256 private _answer;
  uint256 private _updatedAt;

  constructor(uint8 decimals_, string memory description_) {
    decimals = decimals_;
    description = description_;
  }

  function transmit(int256 answer) external auth {
    require(answer > 0, "answer");
    _round += 1;
    _answer = answer;
    _updatedAt = block.timestamp;
    emit NewRound(_round, address(0), block.timestamp);
    emit AnswerUpdated(answer, _round, block.timestamp);
  }

  function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
    return (_round, _answer, _updatedAt, _updatedAt, _round);
  }

  function latestAnswer() external view returns (int256) {
    return _answer;
  }
}
