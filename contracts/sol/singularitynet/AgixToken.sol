// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./SnetERC20.sol";

/// Local stand-in for SingularityNET's AGIX (mainnet 0x5B7533812759B45C2B44C19e320ba2cD2681b542, 8 decimals):
/// the legacy MultiPartyEscrow's token, burned by the 2024 ASI migration.
contract AgixToken is SnetERC20 {
  constructor() SnetERC20("SingularityNET Token", "AGIX", 8) {}
}
