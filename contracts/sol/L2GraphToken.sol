// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for The Graph's L2GraphToken (GRT): protocol mints/burns emit only Transfer,
/// bridge mints/burns also emit BridgeMinted/BridgeBurned as the real token does.
contract L2GraphToken is SimERC20 {
  event Approval(address indexed owner, address indexed spender, uint256 value);
  event MinterAdded(address indexed account);
  event MinterRemoved(address indexed account);
  event BridgeMinted(address indexed account, uint256 amount);
  event BridgeBurned(address indexed account, uint256 amount);

  constructor() SimERC20("Graph Token", "GRT") {}

  function mint(address to, uint256 amount) external auth {
    _mint(to, amount);
  }

  function burnFrom(address from, uint256 amount) external auth {
    _burn(from, amount);
  }

  function bridgeMint(address account, uint256 amount) external auth {
    _mint(account, amount);
    emit BridgeMinted(account, amount);
  }

  function bridgeBurn(address account, uint256 amount) external auth {
    _burn(account, amount);
    emit BridgeBurned(account, amount);
  }
}
