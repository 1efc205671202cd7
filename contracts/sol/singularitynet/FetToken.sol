// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./SnetERC20.sol";

/// Local stand-in for Fetch.ai's FET, "ASI (FET)" (mainnet 0xaea46A60368A7bD060eec7DF8CBa43b7EF41Ad85, 18 decimals):
/// the real FetchToken is ERC20Burnable with a MINTER_ROLE; here minters are a mapping and only the standard
/// Transfer/Approval events are emitted.
contract FetToken is SnetERC20 {
  constructor() SnetERC20("Fetch", "FET", 18) {}
}
