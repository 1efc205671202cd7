// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for The Graph's GraphPayments (Horizon): pulls the payment from the payer, burns the
/// protocol cut, sends the data service cut (curation fees) to L2Curation, the delegation pool cut to
/// staking and the rest to the receiver.
contract GraphPayments is SimAuth {
  event GraphPaymentCollected(
    uint8 indexed paymentType,
    address indexed payer,
    address receiver,
    address indexed dataService,
    uint256 tokens,
    uint256 tokensProtocol,
    uint256 tokensDataService,
    uint256 tokensDelegationPool,
    uint256 tokensReceiver,
    address receiverDestination
  );

  struct Payment {
    uint8 paymentType;
    address payer;
    address receiver;
    address dataService;
    uint256 tokens;
    uint256 tokensProtocol;
    uint256 tokensDataService;
    uint256 tokensDelegationPool;
  }

  ISimToken public immutable token;
  address public immutable curation;
  address public immutable staking;

  constructor(address token_, address curation_, address staking_) {
    token = ISimToken(token_);
    curation = curation_;
    staking = staking_;
  }

  function collect(Payment calldata p) external auth {
    token.forceTransfer(p.payer, address(this), p.tokens);
    if (p.tokensProtocol > 0) token.burnFrom(address(this), p.tokensProtocol);
    if (p.tokensDataService > 0) token.forceTransfer(address(this), curation, p.tokensDataService);
    if (p.tokensDelegationPool > 0) token.forceTransfer(address(this), staking, p.tokensDelegationPool);
    uint256 tokensReceiver = p.tokens - p.tokensProtocol - p.tokensDataService - p.tokensDelegationPool;
    if (tokensReceiver > 0) token.forceTransfer(address(this), p.receiver, tokensReceiver);
    emit GraphPaymentCollected(
      p.paymentType,
      p.payer,
      p.receiver,
      p.dataService,
      p.tokens,
      p.tokensProtocol,
      p.tokensDataService,
      p.tokensDelegationPool,
      tokensReceiver,
      p.receiver
    );
  }
}
