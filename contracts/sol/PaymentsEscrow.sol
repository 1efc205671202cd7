// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

interface ISimGraphPayments {
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

  function collect(Payment calldata p) external;
}

/// Local stand-in for The Graph's PaymentsEscrow (Horizon; not indexed: the subgraph reads its EscrowCollected
/// from GraphPaymentCollected's transaction). Payers deposit here; a collection calls GraphPayments.collect,
/// so GraphPaymentCollected names this contract as its payer, then emits EscrowCollected with the real payer
/// (graphprotocol/contracts packages/horizon/contracts/payments/PaymentsEscrow.sol, deposit and collect).
contract PaymentsEscrow is SimAuth {
  event CancelThaw(
    address indexed payer,
    address indexed collector,
    address indexed receiver,
    uint256 tokensThawing,
    uint256 thawEndTimestamp
  );
  event Deposit(address indexed payer, address indexed collector, address indexed receiver, uint256 tokens);
  event EscrowCollected(
    uint8 indexed paymentType,
    address indexed payer,
    address indexed collector,
    address receiver,
    uint256 tokens,
    address receiverDestination
  );
  event GraphDirectoryInitialized(
    address indexed graphToken,
    address indexed graphStaking,
    address graphPayments,
    address graphEscrow,
    address indexed graphController,
    address graphEpochManager,
    address graphRewardsManager,
    address graphTokenGateway,
    address graphProxyAdmin,
    address graphCuration
  );
  event Initialized(uint64 version);
  event Thaw(
    address indexed payer,
    address indexed collector,
    address indexed receiver,
    uint256 tokens,
    uint256 thawEndTimestamp
  );
  event Withdraw(address indexed payer, address indexed collector, address indexed receiver, uint256 tokens);

  IGraphTokenLike public immutable token;
  ISimGraphPayments public immutable graphPayments;

  constructor(address token_, address graphPayments_) {
    token = IGraphTokenLike(token_);
    graphPayments = ISimGraphPayments(graphPayments_);
  }

  /// PaymentsEscrow.deposit: pullTokens from the payer, then Deposit.
  function deposit(address payer, address collector, address receiver, uint256 tokens) external auth {
    token.transferFrom(payer, address(this), tokens);
    emit Deposit(payer, collector, receiver, tokens);
  }

  /// PaymentsEscrow.collect, called by the collector: approve GraphPayments, GraphPayments.collect pulls from
  /// here, then EscrowCollected.
  function collect(address payer, address collector, ISimGraphPayments.Payment calldata p) external auth {
    token.approve(address(graphPayments), p.tokens);
    graphPayments.collect(p);
    emit EscrowCollected(p.paymentType, payer, collector, p.receiver, p.tokens, p.receiverDestination);
  }
}
