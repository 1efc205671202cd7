// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// Minimal ERC-20 for SingularityNET's two tokens on the local chain (AGIX: 8 decimals, FET: 18 decimals).
/// It emits only the standard events: Transfer (every balance move, mint from and burn to 0x0) and Approval
/// (approve). The owner (anvil account 0) mints the genesis supply; minters (FET's MINTER_ROLE, here a mapping)
/// mint; holders burn their own tokens or an allowance (OpenZeppelin ERC20Burnable.burnFrom).
abstract contract SnetERC20 {
  event Transfer(address indexed from, address indexed to, uint256 value);
  event Approval(address indexed owner, address indexed spender, uint256 value);

  string public name;
  string public symbol;
  uint8 public immutable decimals;
  uint256 public totalSupply;
  address public owner;
  mapping(address => uint256) public balanceOf;
  mapping(address => mapping(address => uint256)) public allowance;
  mapping(address => bool) public minters;

  constructor(string memory name_, string memory symbol_, uint8 decimals_) {
    name = name_;
    symbol = symbol_;
    decimals = decimals_;
    owner = msg.sender;
    minters[msg.sender] = true;
  }

  /// FET: FetchToken grants MINTER_ROLE (AccessControl.grantRole emits RoleGranted, not indexed: left out).
  function setMinter(address account, bool value) external {
    require(msg.sender == owner, "not owner");
    minters[account] = value;
  }

  function mint(address to, uint256 amount) external {
    require(minters[msg.sender], "not minter");
    require(to != address(0), "mint to zero");
    totalSupply += amount;
    balanceOf[to] += amount;
    emit Transfer(address(0), to, amount);
  }

  /// The simulator's genesis distribution in one transaction (one Transfer from 0x0 per recipient).
  function mintBatch(address[] calldata to, uint256[] calldata amounts) external {
    require(minters[msg.sender], "not minter");
    require(to.length == amounts.length, "length");
    for (uint256 i = 0; i < to.length; i++) {
      require(to[i] != address(0), "mint to zero");
      totalSupply += amounts[i];
      balanceOf[to[i]] += amounts[i];
      emit Transfer(address(0), to[i], amounts[i]);
    }
  }

  function approve(address spender, uint256 amount) external returns (bool) {
    allowance[msg.sender][spender] = amount;
    emit Approval(msg.sender, spender, amount);
    return true;
  }

  function transfer(address to, uint256 amount) external returns (bool) {
    _transfer(msg.sender, to, amount);
    return true;
  }

  function transferFrom(address from, address to, uint256 amount) external returns (bool) {
    _spend(from, amount);
    _transfer(from, to, amount);
    return true;
  }

  function burn(uint256 amount) external {
    _burn(msg.sender, amount);
  }

  function burnFrom(address from, uint256 amount) external {
    _spend(from, amount);
    _burn(from, amount);
  }

  function _spend(address from, uint256 amount) internal {
    uint256 a = allowance[from][msg.sender];
    if (a != type(uint256).max) {
      require(a >= amount, "allowance");
      allowance[from][msg.sender] = a - amount;
    }
  }

  function _transfer(address from, address to, uint256 amount) internal {
    require(to != address(0), "transfer to zero");
    require(balanceOf[from] >= amount, "balance");
    balanceOf[from] -= amount;
    balanceOf[to] += amount;
    emit Transfer(from, to, amount);
  }

  function _burn(address from, uint256 amount) internal {
    require(balanceOf[from] >= amount, "balance");
    balanceOf[from] -= amount;
    totalSupply -= amount;
    emit Transfer(from, address(0), amount);
  }
}
