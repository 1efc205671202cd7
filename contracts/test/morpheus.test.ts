/**
 * Morpheus' ground truth from decoded logs (contracts/src/protocols/morpheus/book.ts), on hand-made logs in the real
 * functions' orders: emission only right after its mint, the V1–V3 withdraw fee leaving the stake, a zero FeePaid
 * being no fee, bridge causes, builder rewards not counted twice, and unpriced MOR amounts.
 */
import { type Abi, encodeAbiParameters, encodeEventTopics, encodePacked, type Hex, pad, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { BUILDERS_ABI, MOR_ABI, RECEIVER_ABI } from "../src/protocols/morpheus/abi.js";
import { MorpheusBook } from "../src/protocols/morpheus/book.js";
import {
  dailyBuildersEmission,
  dailyEmission,
  PAYOUT_START,
  WEI,
} from "../src/protocols/morpheus/schedule.js";
import type { ChainLog } from "../src/protocols/types.js";

const MOR = "0x6000000000000000000000000000000000000001";
const RECEIVER = "0x6000000000000000000000000000000000000002";
const BUILDERS = "0x6000000000000000000000000000000000000003";
const ZERO = "0x0000000000000000000000000000000000000000";
const U1 = "0x6a00000000000000000000000000000000000001";
const U2 = "0x6a00000000000000000000000000000000000002";
const FEE_TREASURY = "0x6f00000000000000000000000000000000000001";
const POOL = pad("0xab", { size: 32 });

function log(
  address: string,
  abi: Abi,
  eventName: string,
  args: Record<string, unknown>,
  txIndex: number,
): ChainLog {
  const ev = (
    abi as { type: string; name?: string; inputs?: { name: string; indexed?: boolean; type: string }[] }[]
  ).find((e) => e.type === "event" && e.name === eventName);
  if (!ev?.inputs) throw new Error(`no event ${eventName}`);
  const topics = encodeEventTopics({ abi, eventName, args } as never) as Hex[];
  const plain = ev.inputs.filter((i) => !i.indexed);
  const data = encodeAbiParameters(plain as never, plain.map((i) => args[i.name]) as never);
  return { address: address as Hex, topics, data, txIndex };
}
const transfer = (from: string, to: string, value: bigint, tx: number) =>
  log(MOR, MOR_ABI, "Transfer", { from, to, value }, tx);
const message = (event: string, user: string, amount: bigint, tx: number) =>
  log(
    RECEIVER,
    RECEIVER_ABI,
    event,
    {
      senderChainId: 101,
      senderAndReceiverAddresses: encodePacked(["address", "address"], [U2, RECEIVER]),
      nonce: 1n,
      payload: encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [user as Hex, amount]),
    },
    tx,
  );
const feePaid = (user: string, op: string, amount: bigint, tx: number) =>
  log(
    BUILDERS,
    BUILDERS_ABI,
    "FeePaid",
    { user, operation: toHex(op, { size: 32 }), amount, treasury: FEE_TREASURY },
    tx,
  );

function book(): MorpheusBook {
  return new MorpheusBook({ mor: MOR, receiver: RECEIVER, builders: BUILDERS }, () => null);
}
const T = 1715558400;

describe("morpheus ledger", () => {
  it("counts emission only for a MessageSuccess / RetryMessageSuccess right after the mint of its payload", () => {
    const b = book();
    for (const l of [
      transfer(ZERO, U1, 1000n, 0),
      message("MessageSuccess", U1, 1000n, 0), // counted
      message("MessageSuccess", U2, 500n, 1), // no mint before it (another token): not counted
      transfer(ZERO, U2, 300n, 2),
      message("RetryMessageSuccess", U2, 300n, 2), // counted
      transfer(ZERO, U2, 50n, 3),
      message("MessageSuccess", U2, 70n, 3), // the mint is not the payload's amount: not counted
    ])
      b.apply(l, T);
    const f = [...b.ledger.hours.values()][0]?.flows;
    expect(f?.grossEmission).toBe(1300n);
    expect(f?.grossEmissionUnpriced).toBe(1300n);
    expect(f?.minted).toBe(1350n);
    expect(b.ledger.supply).toBe(1350n);
  });

  it("takes a V1–V3 withdraw fee out of the stake, and a zero FeePaid is no fee", () => {
    const b = book();
    for (const l of [
      transfer(ZERO, U1, 1000n, 0),
      transfer(U1, BUILDERS, 1000n, 1),
      log(BUILDERS, BUILDERS_ABI, "UserDeposited", { builderPool: POOL, user: U1, amount: 1000n }, 1),
      transfer(BUILDERS, FEE_TREASURY, 5n, 2),
      transfer(BUILDERS, U1, 495n, 2),
      log(BUILDERS, BUILDERS_ABI, "UserWithdrawn", { builderPool: POOL, user: U1, amount: 495n }, 2),
      feePaid(U1, "withdraw", 5n, 2),
      transfer(BUILDERS, U1, 500n, 3),
      log(BUILDERS, BUILDERS_ABI, "UserWithdrawn", { builderPool: POOL, user: U1, amount: 500n }, 3),
      feePaid(U1, "withdraw", 0n, 3),
    ])
      b.apply(l, T);
    const f = [...b.ledger.hours.values()][0]?.flows;
    expect(b.ledger.staked).toBe(0n);
    expect(b.ledger.stakers).toBe(0);
    expect(f?.stakeInflow).toBe(1000n);
    expect(f?.stakeOutflow).toBe(1000n);
    expect(f?.fees).toBe(5n);
    expect(f?.protocolTax).toBe(5n);
    expect(f?.feeEvents).toBe(1);
    expect(f?.feesUnpriced).toBe(5n);
    expect(b.stakes.get(POOL)?.get(U1.toLowerCase())).toBe(0n);
  });

  it("keeps bridge causes apart from emission, and builder rewards are not counted again", () => {
    const b = book();
    const guid = pad("0x11", { size: 32 });
    for (const l of [
      transfer(ZERO, U1, 5000n, 0),
      log(MOR, MOR_ABI, "OFTReceived", { guid, srcEid: 30101, toAddress: U1, amountReceivedLD: 5000n }, 0),
      transfer(U1, ZERO, 2000n, 1),
      log(
        MOR,
        MOR_ABI,
        "OFTSent",
        { guid, dstEid: 30184, fromAddress: U1, amountSentLD: 2000n, amountReceivedLD: 2000n },
        1,
      ),
      transfer(U1, U2, 990n, 2),
      log(BUILDERS, BUILDERS_ABI, "AdminClaimed", { builderPool: POOL, receiver: U2, amount: 990n }, 2),
      feePaid(U1, "claim", 10n, 2),
    ])
      b.apply(l, T);
    const f = [...b.ledger.hours.values()][0]?.flows;
    expect(f?.mintedBridge).toBe(5000n);
    expect(f?.burnedBridge).toBe(2000n);
    expect(f?.burnedUnpriced).toBe(2000n);
    expect(f?.grossEmission).toBe(0n);
    expect(f?.distributedIncentives).toBe(0n); // counted as emission when minted to the treasury
    expect(f?.fees).toBe(10n);
  });

  it("follows the emission schedule: 14,400 MOR a day at launch, 2.468994701 less each day", () => {
    expect(dailyEmission(PAYOUT_START)).toBe(14400n * WEI);
    expect(dailyEmission(PAYOUT_START + 86400)).toBe(14400n * WEI - 2468994701000000000n);
    expect(dailyEmission(PAYOUT_START + 10 * 86400)).toBe(14400n * WEI - 10n * 2468994701000000000n);
    expect(dailyBuildersEmission(PAYOUT_START + 86400)).toBe(3456n * WEI - 592558728240000000n);
    expect(dailyEmission(PAYOUT_START - 86400 * 30)).toBe(14400n * WEI);
  });
});
