/**
 * SingularityNET's ground truth from decoded logs (contracts/src/protocols/singularitynet/economy.ts onLog), on
 * hand-made logs in the real functions' orders: AGIX escrow fees in FET units at the migration's fixed rate, the
 * payer resolved through the channel, send-back and sender claims being refunds (no fee), channel funding as
 * depositsFunded, the MPE-internal balance events never fees, the migration's mint, stake and pool-funded rewards
 * (the released TokenStake's events, decoded with its npm ABI).
 */
import { type Abi, encodeAbiParameters, encodeEventTopics, type Hex, pad } from "viem";
import { describe, expect, it } from "vitest";
import { dayStart } from "../src/ledger.js";
import {
  AGIX_TO_FET,
  MIGRATION_ABI,
  MPE_ABI,
  STAKE_ABI,
  TOKEN_ABI,
} from "../src/protocols/singularitynet/contracts.js";
import createEconomy from "../src/protocols/singularitynet/economy.js";
import type { ChainLog, Economy, SimHost } from "../src/protocols/types.js";
import { rngFromSeed } from "../src/rng.js";

const C = {
  FetToken: "0x5000000000000000000000000000000000000001",
  AgixToken: "0x5000000000000000000000000000000000000002",
  MultiPartyEscrowAGIX: "0x5000000000000000000000000000000000000003",
  MultiPartyEscrowFET: "0x5000000000000000000000000000000000000004",
  TokenStake: "0x5000000000000000000000000000000000000005",
  AsiMigration: "0x5000000000000000000000000000000000000006",
};
const ZERO = "0x0000000000000000000000000000000000000000";
const P1 = "0x0c00000000000000000000000000000000000001";
const P2 = "0x0c00000000000000000000000000000000000002";
const R1 = "0x0d00000000000000000000000000000000000001";
const S1 = "0x0b00000000000000000000000000000000000001";
const OWNER = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const T = 1711792800;

function log(address: string, abi: Abi, eventName: string, args: Record<string, unknown>): ChainLog {
  const ev = (
    abi as readonly { type: string; name?: string; inputs?: readonly { name: string; indexed?: boolean }[] }[]
  ).find((e) => e.type === "event" && e.name === eventName);
  if (!ev?.inputs) throw new Error(`no event ${eventName}`);
  const topics = encodeEventTopics({ abi, eventName, args } as never) as Hex[];
  const plain = ev.inputs.filter((i) => !i.indexed);
  const data = encodeAbiParameters(plain as never, plain.map((i) => args[i.name]) as never);
  return { address: address as Hex, topics, data, txIndex: 0 };
}

function economy(): Economy {
  const e = createEconomy();
  const host: SimHost = {
    days: 3,
    startTime: dayStart(T),
    now: () => T,
    day: () => 0,
    rng: (tag = "") => rngFromSeed(`test:${tag}`),
    account: (tag) => pad(`0x${Buffer.from(tag).toString("hex").slice(0, 38)}`, { size: 20 }),
    send: () => {
      throw new Error("no transactions in this test");
    },
    usd: () => null,
    options: { operators: 5, stakers: 30, payers: 10 },
    compiled: () => {
      throw new Error("no contracts in this test");
    },
    block: () => 1,
    hasBlocks: () => true,
    priceTick: () => null,
    read: () => Promise.reject(new Error("no chain in this test")),
    call: () => {
      throw new Error("no transactions in this test");
    },
    beginAction: () => {},
    closeTx: () => {},
    txCount: () => 0,
  };
  const contracts = Object.fromEntries(
    Object.entries(C).map(([k, a]) => [k, { address: a as Hex, startBlock: 1 }]),
  );
  e.attach(host, contracts, { owner: OWNER });
  return e;
}

const open = (mpe: string, id: bigint, sender: string, amount: bigint) =>
  log(mpe, MPE_ABI, "ChannelOpen", {
    channelId: id,
    nonce: 0n,
    sender,
    signer: sender,
    recipient: R1,
    groupId: pad("0xab", { size: 32 }),
    amount,
    expiration: 100n,
  });
const claim = (mpe: string, id: bigint, nonce: bigint, amount: bigint, keep: bigint) =>
  log(mpe, MPE_ABI, "ChannelClaim", {
    channelId: id,
    nonce,
    recipient: R1,
    claimAmount: amount,
    plannedAmount: amount,
    sendBackAmount: 0n,
    keepAmount: keep,
  });

describe("singularitynet ledger", () => {
  it("counts claims as fees of the channel's sender (AGIX at the fixed rate), funding as depositsFunded, refunds and MPE balances as nothing", () => {
    const e = economy();
    for (const l of [
      log(C.MultiPartyEscrowAGIX, MPE_ABI, "DepositFunds", { sender: P1, amount: 1000n }),
      open(C.MultiPartyEscrowAGIX, 0n, P1, 1000n),
      log(C.MultiPartyEscrowFET, MPE_ABI, "DepositFunds", { sender: P2, amount: 5000n }),
      open(C.MultiPartyEscrowFET, 0n, P2, 5000n), // same channel id, other escrow
      claim(C.MultiPartyEscrowAGIX, 0n, 1n, 300n, 700n),
      log(C.MultiPartyEscrowFET, MPE_ABI, "DepositFunds", { sender: P2, amount: 1000n }),
      log(C.MultiPartyEscrowFET, MPE_ABI, "ChannelAddFunds", { channelId: 0n, additionalFunds: 1000n }),
      claim(C.MultiPartyEscrowFET, 0n, 1n, 2500n, 0n), // send-back: 3500 back to P2's escrow balance
      log(C.MultiPartyEscrowAGIX, MPE_ABI, "ChannelSenderClaim", {
        channelId: 0n,
        nonce: 2n,
        claimAmount: 0n,
      }),
      log(C.MultiPartyEscrowAGIX, MPE_ABI, "WithdrawFunds", { sender: R1, amount: 300n }),
      log(C.MultiPartyEscrowFET, MPE_ABI, "TransferFunds", { sender: P2, receiver: P1, amount: 100n }),
      log(C.MultiPartyEscrowFET, MPE_ABI, "WithdrawFunds", { sender: P2, amount: 3400n }),
    ])
      e.onLog(l);
    e.afterBlock(T);
    const l = e.truth().ledger;
    const f = [...l.hours.values()].reduce((a, h) => a + h.flows.fees, 0n);
    const hour = l.hours.get(T - (T % 3600))?.flows;
    expect(f).toBe(300n * AGIX_TO_FET + 2500n);
    expect(hour?.feeEvents).toBe(2);
    expect(hour?.depositsFunded).toBe(1000n * AGIX_TO_FET + 5000n + 1000n);
    expect(hour?.feesUnpriced).toBe(300n * AGIX_TO_FET + 2500n);
    expect(hour?.feesUsd).toBe(0n);
    expect([...(l.periods.get(`DAY:${dayStart(T)}`)?.payers ?? [])].sort()).toEqual([P1, P2]);
    expect(e.truth().feeAsset).toBe(C.FetToken);
  });

  it("keeps FET supply from Transfers, the migration's mint as mintedMigration, stake and pool rewards apart from emission", () => {
    const e = economy();
    const fetMint = 100_000_000n * AGIX_TO_FET;
    for (const l of [
      log(C.FetToken, TOKEN_ABI, "Transfer", { from: ZERO, to: S1, value: 10_000n }),
      log(C.AgixToken, TOKEN_ABI, "Transfer", { from: P1, to: ZERO, value: 100_000_000n }), // AGIX: not the supply token
      log(C.FetToken, TOKEN_ABI, "Transfer", { from: ZERO, to: P1, value: fetMint }),
      log(C.AsiMigration, MIGRATION_ABI, "Migrated", {
        account: P1,
        agixAmount: 100_000_000n,
        fetAmount: fetMint,
      }),
      log(C.FetToken, TOKEN_ABI, "Transfer", { from: S1, to: C.TokenStake, value: 3000n }),
      log(C.TokenStake, STAKE_ABI, "SubmitStake", { stakeIndex: 1n, staker: S1, stakeAmount: 3000n }),
      log(C.FetToken, TOKEN_ABI, "Transfer", { from: C.TokenStake, to: S1, value: 1000n }),
      log(C.TokenStake, STAKE_ABI, "WithdrawStake", { stakeIndex: 1n, staker: S1, stakeAmount: 1000n }),
      // the released contract's six-argument AddReward: 2000 × 500 / (2500 − 500)
      log(C.TokenStake, STAKE_ABI, "AddReward", {
        staker: S1,
        stakeIndex: 1n,
        tokenOperator: OWNER,
        totalStakeAmount: 2500n,
        rewardAmount: 500n,
        windowTotalStake: 2500n,
      }),
      // a request to claim moves no token: the stake stays in the contract until ClaimStake
      log(C.TokenStake, STAKE_ABI, "RequestForClaim", { stakeIndex: 1n, staker: S1, autoRenewal: false }),
    ])
      e.onLog(l);
    e.afterBlock(T);
    const l = e.truth().ledger;
    const hour = l.hours.get(T - (T % 3600))?.flows;
    expect(l.supply).toBe(10_000n + fetMint);
    expect(hour?.minted).toBe(10_000n + fetMint);
    expect(hour?.mintedMigration).toBe(fetMint);
    expect(hour?.grossEmission).toBe(0n);
    expect(hour?.distributedIncentives).toBe(500n);
    expect(hour?.stakeInflow).toBe(3000n);
    expect(hour?.stakeOutflow).toBe(1000n);
    expect(l.staked).toBe(2500n);
    expect(l.stakeOf(S1)).toBe(2500n);
    expect(l.stakers).toBe(1);
    expect(l.operators).toBe(0);
  });
});
