// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for WETH (the quote token of Arbitrum One's LPT/WETH Uniswap v3 pool; not indexed).
contract WETH is SimERC20 {
  event Approval(address indexed owner, address indexed spender, uint256 value);

  constructor() SimERC20("Wrapped Ether", "WETH") {}

  function mint(address to, uint256 amount) external auth {
    _mint(to, amount);
  }

  function burnFrom(address from, uint256 amount) external auth {
    _burn(from, amount);
  }
}
