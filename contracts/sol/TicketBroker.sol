// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for Livepeer's TicketBroker. Fees are ETH in the real protocol; here the events carry the
/// amounts and no ETH moves (the analytics read the events only).
contract TicketBroker is SimAuth {
  event WinningTicketRedeemed(
    address indexed sender,
    address indexed recipient,
    uint256 faceValue,
    uint256 winProb,
    uint256 senderNonce,
    uint256 recipientRand,
    bytes auxData
  );
  event WinningTicketTransfer(address indexed sender, address indexed recipient, uint256 amount);
  event DepositFunded(address indexed sender, uint256 amount);
  event ReserveFunded(address indexed reserveHolder, uint256 amount);
  event ReserveClaimed(address indexed reserveHolder, address claimant, uint256 amount);
  event Withdrawal(address indexed sender, uint256 deposit, uint256 reserve);
  event Unlock(address indexed sender, uint256 startRound, uint256 endRound);
  event UnlockCancelled(address indexed sender);

  function redeemWinningTicket(
    address sender,
    address recipient,
    uint256 faceValue,
    uint256 winProb,
    uint256 senderNonce,
    uint256 recipientRand,
    bytes calldata auxData
  ) external auth {
    emit WinningTicketTransfer(sender, recipient, faceValue);
    emit WinningTicketRedeemed(sender, recipient, faceValue, winProb, senderNonce, recipientRand, auxData);
  }

  function fundDeposit(address sender, uint256 amount) external auth {
    emit DepositFunded(sender, amount);
  }
}
