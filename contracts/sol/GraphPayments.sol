// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

interface ISimHorizonStaking {
  function addToDelegationPool(address serviceProvider, address verifier, uint256 tokens) external;
  function stakeTo(address serviceProvider, uint256 tokens) external;
}

/// Local stand-in for The Graph's GraphPayments (Horizon), in the order of GraphPayments.collect
/// (graphprotocol/contracts packages/horizon/contracts/payments/GraphPayments.sol): pulls the payment from its
/// caller (the PaymentsEscrow), burns the protocol cut, pushes the data service cut to the data service, adds
/// the delegation pool's cut (HorizonStaking.addToDelegationPool), restakes the rest for the receiver
/// (HorizonStaking.stakeTo) or pushes it to the receiver's destination, then emits GraphPaymentCollected.
/// Moves real GRT (the L2GraphToken proxy): pullTokens is an allowance transfer, burnTokens `burn`, and each call
/// into HorizonStaking is preceded by the `approve` it pulls with, as in the real contract.
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
    address receiver;
    address dataService;
    uint256 tokens;
    uint256 tokensProtocol;
    uint256 tokensDataService;
    uint256 tokensDelegationPool;
    address receiverDestination;
  }

  IGraphTokenLike public immutable token;
  address public immutable staking;

  constructor(address token_, address staking_) {
    token = IGraphTokenLike(token_);
    staking = staking_;
  }

  function collect(Payment calldata p) external auth {
    token.transferFrom(msg.sender, address(this), p.tokens);
    if (p.tokensProtocol > 0) token.burn(p.tokensProtocol);
    if (p.tokensDataService > 0) token.transfer(p.dataService, p.tokensDataService);
    if (p.tokensDelegationPool > 0) {
      token.approve(staking, p.tokensDelegationPool);
      ISimHorizonStaking(staking).addToDelegationPool(p.receiver, p.dataService, p.tokensDelegationPool);
    }
    uint256 tokensReceiver = p.tokens - p.tokensProtocol - p.tokensDataService - p.tokensDelegationPool;
    if (tokensReceiver > 0) {
      if (p.receiverDestination == address(0)) {
        token.approve(staking, tokensReceiver);
        ISimHorizonStaking(staking).stakeTo(p.receiver, tokensReceiver);
      } else token.transfer(p.receiverDestination, tokensReceiver);
    }
    emit GraphPaymentCollected(
      p.paymentType,
      msg.sender,
      p.receiver,
      p.dataService,
      p.tokens,
      p.tokensProtocol,
      p.tokensDataService,
      p.tokensDelegationPool,
      tokensReceiver,
      p.receiverDestination
    );
  }
}
