// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// Minimal access control for the local simulator: the deployer (owner) and the contracts it authorizes.
abstract contract SimAuth {
  address public owner;
  mapping(address => bool) public authorized;

  constructor() {
    owner = msg.sender;
  }

  modifier auth() {
    require(msg.sender == owner || authorized[msg.sender], "not authorized");
    _;
  }

  function setAuthorized(address account, bool value) external {
    require(msg.sender == owner, "not owner");
    authorized[account] = value;
  }
}

/// Interface the protocol contracts use to move their token.
interface ISimToken {
  function mint(address to, uint256 amount) external;
  function burnFrom(address from, uint256 amount) external;
  function forceTransfer(address from, address to, uint256 amount) external;
}

/// A plain ERC-20 whose owner (and authorized contracts) can mint, burn and force transfers.
/// Declares only the Transfer event; each token adds the other events of its real ABI.
abstract contract SimERC20 is SimAuth, ISimToken {
  event Transfer(address indexed from, address indexed to, uint256 value);

  string public name;
  string public symbol;
  uint8 public constant decimals = 18;
  uint256 public totalSupply;
  mapping(address => uint256) public balanceOf;

  constructor(string memory name_, string memory symbol_) {
    name = name_;
    symbol = symbol_;
  }

  function _transfer(address from, address to, uint256 amount) internal {
    require(to != address(0), "to zero");
    balanceOf[from] -= amount;
    balanceOf[to] += amount;
    emit Transfer(from, to, amount);
  }

  function _mint(address to, uint256 amount) internal {
    totalSupply += amount;
    balanceOf[to] += amount;
    emit Transfer(address(0), to, amount);
  }

  function _burn(address from, uint256 amount) internal {
    balanceOf[from] -= amount;
    totalSupply -= amount;
    emit Transfer(from, address(0), amount);
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    _transfer(msg.sender, to, amount);
    return true;
  }

  function forceTransfer(address from, address to, uint256 amount) external auth {
    _transfer(from, to, amount);
  }

  function batchTransfer(address[] calldata from, address[] calldata to, uint256[] calldata amounts) external auth {
    require(from.length == to.length && to.length == amounts.length, "length");
    for (uint256 i = 0; i < from.length; i++) {
      _transfer(from[i], to[i], amounts[i]);
    }
  }
}

/// The ERC-20 calls our emitters make on the real L2GraphToken (npm package graphprotocol/contracts 7.2.1).
interface IGraphTokenLike {
  function transfer(address to, uint256 amount) external returns (bool);
  function transferFrom(address from, address to, uint256 amount) external returns (bool);
  function approve(address spender, uint256 amount) external returns (bool);
  function burn(uint256 amount) external;
}
