// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// Simulator helper (not a real protocol contract): executes many calls in one transaction, so one
/// transaction can emit the events of several actions. Only its owner (the simulator's deployer) may use it.
/// Emits no event of its own.
contract SimHub {
  address public owner;

  constructor() {
    owner = msg.sender;
  }

  function exec(address[] calldata targets, bytes[] calldata data) external {
    require(msg.sender == owner, "not owner");
    require(targets.length == data.length, "length");
    for (uint256 i = 0; i < targets.length; i++) {
      (bool ok, bytes memory ret) = targets[i].call(data[i]);
      if (!ok) {
        assembly {
          revert(add(ret, 32), mload(ret))
        }
      }
    }
  }
}
