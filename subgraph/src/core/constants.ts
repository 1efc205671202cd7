import { Address, BigInt, Bytes } from "@graphprotocol/graph-ts";

export const SCHEMA_VERSION = "1.2.0";
export const METHODOLOGY_VERSION = "1.2.0";

export const ZERO = BigInt.zero();
export const ZERO_ADDRESS = Address.zero();
export const DEAD_ADDRESS = Address.fromString("0x000000000000000000000000000000000000dEaD");
/** Fee asset id used for ETH-denominated fees (Livepeer tickets). */
export const ETH_ASSET: Bytes = Address.zero();

/** Parts per million: The Graph's cuts and Livepeer's PERC_DIVISOR for rewardCut and feeShare. */
export const PPM = BigInt.fromI32(1000000);

export const SECONDS_PER_DAY: i64 = 86400;

export const PERIOD_DAY: i32 = 1;
export const PERIOD_WEEK: i32 = 2;
export const PERIOD_MONTH: i32 = 3;

