// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

/// Local stand-in for Livepeer's LivepeerToken (LPT): Transfer plus Mint/Burn as the real token emits them.
contract LivepeerToken is SimERC20 {
  event Mint(address indexed to, uint256 amount);
  event Burn(address indexed burner, uint256 amount);

  constructor() SimERC20("Livepeer Token", "LPT") {}

  function mint(address to, uint256 amount) external auth {
    _mint(to, amount);
    emit Mint(to, amount);
  }

  function burnFrom(address from, uint256 amount) external auth {
    _burn(from, amount);
    emit Burn(from, amount);
  }
}
