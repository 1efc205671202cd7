// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

import "./SnetERC20.sol";

/// Emitter for the 2024 AGIX -> FET ("ASI") token migration on Ethereum (research-wave2-protocols.md §3). The
/// swap is at a fixed ratio, 0.43335 FET per AGIX (the migration script's AGIX_ASI_CONVERSION_RATIO =
/// parseUnits("0.433350", 18), AGIX_BURNABLE = true): with 8 and 18 decimals one AGIX raw unit is
/// 4,333,500,000 FET wei. UNCERTAIN: the real migration contract's address, function and event are not
/// published in a repository we could read (a SingularityDAO deploy script in the code index, repository not
/// named); this contract's event `Migrated` is ours. Per call, in this order: the holder's AGIX is burned
/// (AGIX Transfer holder -> 0x0), FET is minted to the holder (FET Transfer 0x0 -> holder), then Migrated.
contract AsiMigration {
  /// FET wei per AGIX raw unit: 0.43335 × 10^(18 − 8).
  uint256 public constant RATE = 4_333_500_000;

  event Migrated(address indexed account, uint256 agixAmount, uint256 fetAmount);

  SnetERC20 public immutable agix;
  SnetERC20 public immutable fet;

  constructor(address agix_, address fet_) {
    agix = SnetERC20(agix_);
    fet = SnetERC20(fet_);
  }

  /// Burns `agixAmount` of the caller's AGIX (allowance to this contract) and mints the FET it is worth.
  function migrate(uint256 agixAmount) external {
    require(agixAmount > 0, "nothing to migrate");
    uint256 fetAmount = agixAmount * RATE;
    agix.burnFrom(msg.sender, agixAmount);
    fet.mint(msg.sender, fetAmount);
    emit Migrated(msg.sender, agixAmount, fetAmount);
  }
}
