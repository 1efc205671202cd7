/**
 * Morpheus' ground truth, kept from the decoded logs of its contracts only (docs/protocols/morpheus.md): MOR
 * Transfers (supply, holders, mints, burns), the bridge causes (OFTSent / OFTReceived), gross emission
 * (L2MessageReceiver MessageSuccess / RetryMessageSuccess right after their mint), Builders stake and fees. It also keeps what the planner needs to know
 * about the chain (stake per pool and user, last deposits, pools created on chain).
 */
import { decodeEventLog, type Hex } from "viem";
import { DEAD, ProtocolLedger, ZERO } from "../../ledger.js";
import type { ChainLog } from "../types.js";
import { BUILDERS_ABI, MOR_ABI, RECEIVER_ABI } from "./abi.js";

/** bytes32 "withdraw": the V1–V3 withdraw fee operation (the fee leaves the user's stake). */
export const WITHDRAW_OPERATION = `0x${Buffer.from("withdraw").toString("hex").padEnd(64, "0")}` as Hex;

export interface BookAddresses {
  mor: string;
  receiver: string | null;
  builders: string;
}

type Usd = (asset: string, amount: bigint) => bigint | null;

export class MorpheusBook {
  readonly ledger: ProtocolLedger;
  private readonly mor: string;
  private readonly receiver: string | null;
  private readonly builders: string;
  /** The previous log of the block being applied (with its transaction index), for the mint before MessageSuccess. */
  private prev: (ChainLog & { decoded: { eventName: string; args: Record<string, unknown> } | null }) | null =
    null;
  /** Planner state from the chain: stake by pool then user, the user's last deposit time. */
  readonly stakes = new Map<string, Map<string, bigint>>();
  readonly lastDeposit = new Map<string, number>();
  /** Pools created on chain while simulating (V4 SubnetCreated): id → admin, claimAdmin. */
  readonly subnets: { id: Hex; admin: string; withdrawLock: number; minimalDeposit: bigint }[] = [];
  /** Counts for the economy's test and progress line. */
  readonly counts = {
    claims: 0,
    failed: 0,
    retried: 0,
    bridgeIn: 0,
    bridgeOut: 0,
    deposits: 0,
    withdrawals: 0,
    fees: 0,
    adminClaims: 0,
  };

  constructor(
    addrs: BookAddresses,
    private readonly usd: Usd,
  ) {
    this.mor = addrs.mor.toLowerCase();
    this.receiver = addrs.receiver?.toLowerCase() ?? null;
    this.builders = addrs.builders.toLowerCase();
    this.ledger = new ProtocolLedger(this.mor);
  }

  /** Resets the per-block state (a transaction's logs never span blocks). */
  endBlock(): void {
    this.prev = null;
  }

  apply(log: ChainLog, now: number): void {
    const address = log.address.toLowerCase();
    const abi =
      address === this.mor
        ? MOR_ABI
        : address === this.builders
          ? BUILDERS_ABI
          : address === this.receiver
            ? RECEIVER_ABI
            : null;
    let decoded: { eventName: string; args: Record<string, unknown> } | null = null;
    if (abi) {
      try {
        decoded = decodeEventLog({
          abi,
          data: log.data,
          topics: log.topics as [Hex, ...Hex[]],
        }) as unknown as {
          eventName: string;
          args: Record<string, unknown>;
        };
      } catch {
        decoded = null; // an event of the contract the economy does not use (e.g. BuilderPoolCreated)
      }
    }
    if (decoded) {
      this.ledger.now = now;
      if (address === this.mor) this.token(decoded.eventName, decoded.args);
      else if (address === this.receiver) this.message(decoded.eventName, decoded.args, log);
      else this.staking(decoded.eventName, decoded.args);
    }
    this.prev = { ...log, decoded };
  }

  private token(event: string, a: Record<string, unknown>): void {
    const l = this.ledger;
    if (event === "Transfer") {
      const from = (a.from as string).toLowerCase();
      const to = (a.to as string).toLowerCase();
      const value = a.value as bigint;
      l.transfer(from, to, value);
      if (to === ZERO || to === DEAD) {
        const usd = this.usd(this.mor, value);
        if (usd === null) l.f.burnedUnpriced += value;
        else l.f.burnedUsd += usd;
      }
    } else if (event === "OFTSent") {
      l.f.burnedBridge += a.amountSentLD as bigint;
      this.counts.bridgeOut++;
    } else if (event === "OFTReceived") {
      l.f.mintedBridge += a.amountReceivedLD as bigint;
      this.counts.bridgeIn++;
    }
  }

  /** MessageSuccess / RetryMessageSuccess: emission when the log just before is the MOR mint of its payload. */
  private message(event: string, a: Record<string, unknown>, log: ChainLog): void {
    if (event === "MessageFailed") {
      this.counts.failed++;
      return;
    }
    if (event !== "MessageSuccess" && event !== "RetryMessageSuccess") return;
    const payload = a.payload as Hex;
    if (payload.length !== 2 + 128) return;
    const user = `0x${payload.slice(26, 66)}`.toLowerCase();
    const amount = BigInt(`0x${payload.slice(66, 130)}`);
    const p = this.prev;
    const mint =
      p !== null &&
      p.txIndex === log.txIndex &&
      p.address.toLowerCase() === this.mor &&
      p.decoded?.eventName === "Transfer" &&
      (p.decoded.args.from as string).toLowerCase() === ZERO &&
      (p.decoded.args.to as string).toLowerCase() === user &&
      p.decoded.args.value === amount;
    if (!mint) return;
    const l = this.ledger;
    l.f.grossEmission += amount;
    const usd = this.usd(this.mor, amount);
    if (usd === null) l.f.grossEmissionUnpriced += amount;
    else l.f.grossEmissionUsd += usd;
    if (event === "MessageSuccess") this.counts.claims++;
    else this.counts.retried++;
  }

  private moveStake(user: string, delta: bigint): void {
    const l = this.ledger;
    l.staked += delta;
    l.stakerDeltaFloored(user, delta);
    l.activeStaker(user);
    if (delta > 0n) l.f.stakeInflow += delta;
    else l.f.stakeOutflow -= delta;
  }

  private poolStake(pool: string, user: string, delta: bigint): void {
    let m = this.stakes.get(pool);
    if (!m) {
      m = new Map();
      this.stakes.set(pool, m);
    }
    m.set(user, (m.get(user) ?? 0n) + delta);
  }

  private staking(event: string, a: Record<string, unknown>): void {
    // (this.prev is the log before this one: a V1–V3 FeePaid("withdraw") follows its UserWithdrawn)
    const l = this.ledger;
    if (event === "UserDeposited") {
      const user = (a.user as string).toLowerCase();
      this.moveStake(user, a.amount as bigint);
      this.poolStake(a.builderPool as string, user, a.amount as bigint);
      this.lastDeposit.set(`${a.builderPool as string}:${user}`, l.now);
      this.counts.deposits++;
    } else if (event === "UserWithdrawn") {
      const user = (a.user as string).toLowerCase();
      this.moveStake(user, -(a.amount as bigint));
      this.poolStake(a.builderPool as string, user, -(a.amount as bigint));
      this.counts.withdrawals++;
    } else if (event === "AdminClaimed") {
      // builder rewards out of the treasury: counted as gross emission when minted to it, not again here
      this.counts.adminClaims++;
    } else if (event === "FeePaid") {
      const amount = a.amount as bigint;
      if (amount === 0n) return; // V1–V3 emit it with a zero fee too: no fee
      const user = (a.user as string).toLowerCase();
      // a V1–V3 withdraw fee comes out of the stake (UserWithdrawn carried the net amount); the pool is not named
      if ((a.operation as string).toLowerCase() === WITHDRAW_OPERATION) {
        this.moveStake(user, -amount);
        const w = this.prev?.decoded;
        if (w?.eventName === "UserWithdrawn") this.poolStake(w.args.builderPool as string, user, -amount);
      }
      l.fee(user, amount, amount, 0n);
      const usd = this.usd(this.mor, amount);
      if (usd === null) l.f.feesUnpriced += amount;
      else {
        l.f.feesUsd += usd;
        l.f.protocolTaxUsd += usd;
      }
      this.counts.fees++;
    } else if (event === "SubnetCreated") {
      const s = a.subnet as { admin: string; withdrawLockPeriodAfterDeposit: bigint; minimalDeposit: bigint };
      this.subnets.push({
        id: a.subnetId as Hex,
        admin: s.admin.toLowerCase(),
        withdrawLock: Number(s.withdrawLockPeriodAfterDeposit),
        minimalDeposit: s.minimalDeposit,
      });
    }
  }
}
