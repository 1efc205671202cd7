// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./Base.sol";

interface IUniswapV3PoolLike {
  function token0() external view returns (address);
  function token1() external view returns (address);
  function slot0() external view returns (uint160, int24, uint16, uint16, uint16, uint8, bool);
  function mint(address recipient, int24 tickLower, int24 tickUpper, uint128 amount, bytes calldata data)
    external
    returns (uint256, uint256);
  function swap(address recipient, bool zeroForOne, int256 amountSpecified, uint160 sqrtPriceLimitX96, bytes calldata data)
    external
    returns (int256, int256);
}

interface IERC20Like {
  function transfer(address to, uint256 amount) external returns (bool);
}

/// The simulator's market maker and trader on a real Uniswap v3 pool (npm package uniswap/v3-core 1.0.1
/// bytecode): it adds liquidity and swaps the pool to a target price, paying from its own balances in the pool's
/// callbacks, as any periphery contract does. Not a protocol contract; emits nothing itself (the pool emits Mint
/// and Swap, the tokens their Transfers).
contract PoolDriver is SimAuth {
  mapping(address => bool) public pools;

  function setPool(address pool, bool value) external auth {
    pools[pool] = value;
  }

  function addLiquidity(address pool, int24 tickLower, int24 tickUpper, uint128 liquidity) external auth {
    require(pools[pool], "unknown pool");
    IUniswapV3PoolLike(pool).mint(address(this), tickLower, tickUpper, liquidity, "");
  }

  /// Swaps until the pool's price is exactly `sqrtPriceX96` (the limit of an exact-input swap larger than
  /// needed); a no-op when it is there already.
  function swapToPrice(address pool, uint160 sqrtPriceX96) external auth {
    require(pools[pool], "unknown pool");
    (uint160 current, , , , , , ) = IUniswapV3PoolLike(pool).slot0();
    if (current == sqrtPriceX96) return;
    bool zeroForOne = sqrtPriceX96 < current;
    IUniswapV3PoolLike(pool).swap(address(this), zeroForOne, type(int128).max, sqrtPriceX96, "");
  }

  function uniswapV3MintCallback(uint256 amount0Owed, uint256 amount1Owed, bytes calldata) external {
    require(pools[msg.sender], "unknown pool");
    if (amount0Owed > 0) IERC20Like(IUniswapV3PoolLike(msg.sender).token0()).transfer(msg.sender, amount0Owed);
    if (amount1Owed > 0) IERC20Like(IUniswapV3PoolLike(msg.sender).token1()).transfer(msg.sender, amount1Owed);
  }

  function uniswapV3SwapCallback(int256 amount0Delta, int256 amount1Delta, bytes calldata) external {
    require(pools[msg.sender], "unknown pool");
    if (amount0Delta > 0) IERC20Like(IUniswapV3PoolLike(msg.sender).token0()).transfer(msg.sender, uint256(amount0Delta));
    if (amount1Delta > 0) IERC20Like(IUniswapV3PoolLike(msg.sender).token1()).transfer(msg.sender, uint256(amount1Delta));
  }
}
