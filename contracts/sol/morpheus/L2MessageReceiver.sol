// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

interface IMorMintable {
  function mint(address account_, uint256 amount_) external;
}

/// Local stand-in for Morpheus' L2MessageReceiver (MorpheusAIs/SmartContracts
/// contracts/capital-protocol/old/L2MessageReceiver.sol, main ea893fa6; deployed on Arbitrum One behind a UUPS
/// proxy). The L1 sender (L1Sender / L1SenderV2 on Ethereum) sends a LayerZero v1 message per emission claim whose
/// payload is abi.encode(user, amount); the gateway (the LayerZero endpoint, played by the simulator) calls
/// lzReceive. Events in the real order:
/// - lzReceive → _blockingLzReceive: try this.nonblockingLzReceive (→ _nonblockingLzReceive: checks the sender
///   chain and the sender address (first 20 bytes of senderAndReceiverAddresses), then MOR.mint(user, amount):
///   Transfer(0x0 → user) on MOR), then MessageSuccess(senderChainId, senderAndReceiverAddresses, nonce, payload);
///   on a revert: the payload hash is stored and MessageFailed(…, reason) is emitted (no mint).
/// - retryMessage: _nonblockingLzReceive (the mint), then RetryMessageSuccess(…).
contract L2MessageReceiver {
  event MessageSuccess(uint16 senderChainId, bytes senderAndReceiverAddresses, uint64 nonce, bytes payload);
  event MessageFailed(uint16 senderChainId, bytes senderAndReceiverAddresses, uint64 nonce, bytes payload, bytes reason);
  event RetryMessageSuccess(uint16 senderChainId, bytes senderAndReceiverAddresses, uint64 nonce, bytes payload);

  struct Config {
    address gateway;
    address sender;
    uint16 senderChainId;
  }

  address public owner;
  address public rewardToken;
  Config public config;
  mapping(uint16 => mapping(bytes => mapping(uint64 => bytes32))) public failedMessages;

  constructor() {
    owner = msg.sender;
  }

  function setParams(address rewardToken_, Config calldata config_) external {
    require(msg.sender == owner, "Ownable: caller is not the owner");
    rewardToken = rewardToken_;
    config = config_;
  }

  function lzReceive(
    uint16 senderChainId_,
    bytes memory senderAndReceiverAddresses_,
    uint64 nonce_,
    bytes memory payload_
  ) external {
    require(msg.sender == config.gateway, "L2MR: invalid gateway");
    try this.nonblockingLzReceive(senderChainId_, senderAndReceiverAddresses_, payload_) {
      emit MessageSuccess(senderChainId_, senderAndReceiverAddresses_, nonce_, payload_);
    } catch (bytes memory reason_) {
      failedMessages[senderChainId_][senderAndReceiverAddresses_][nonce_] = keccak256(payload_);
      emit MessageFailed(senderChainId_, senderAndReceiverAddresses_, nonce_, payload_, reason_);
    }
  }

  function nonblockingLzReceive(
    uint16 senderChainId_,
    bytes memory senderAndReceiverAddresses_,
    bytes memory payload_
  ) public {
    require(msg.sender == address(this), "L2MR: invalid caller");
    _nonblockingLzReceive(senderChainId_, senderAndReceiverAddresses_, payload_);
  }

  function retryMessage(
    uint16 senderChainId_,
    bytes memory senderAndReceiverAddresses_,
    uint64 nonce_,
    bytes memory payload_
  ) external {
    bytes32 payloadHash_ = failedMessages[senderChainId_][senderAndReceiverAddresses_][nonce_];
    require(payloadHash_ != bytes32(0), "L2MR: no stored message");
    require(keccak256(payload_) == payloadHash_, "L2MR: invalid payload");
    _nonblockingLzReceive(senderChainId_, senderAndReceiverAddresses_, payload_);
    delete failedMessages[senderChainId_][senderAndReceiverAddresses_][nonce_];
    emit RetryMessageSuccess(senderChainId_, senderAndReceiverAddresses_, nonce_, payload_);
  }

  function _nonblockingLzReceive(
    uint16 senderChainId_,
    bytes memory senderAndReceiverAddresses_,
    bytes memory payload_
  ) private {
    require(senderChainId_ == config.senderChainId, "L2MR: invalid sender chain ID");
    address sender_;
    assembly {
      sender_ := mload(add(senderAndReceiverAddresses_, 20))
    }
    require(sender_ == config.sender, "L2MR: invalid sender address");
    (address user_, uint256 amount_) = abi.decode(payload_, (address, uint256));
    IMorMintable(rewardToken).mint(user_, amount_);
  }
}
