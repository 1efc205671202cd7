/**
 * Morpheus' actions, each the accounts' own transactions to its contracts (contracts/sol/morpheus/), with what they
 * may spend bounded by the block's drafted balances: emission claims arriving from Ethereum (LayerZero v1 messages,
 * one failing and retried), the treasury's funding, MOR bridged in and out through the OFT, sales, Builders
 * deposits, withdrawals and admin claims (with their fees), the V4 upgrade and subnets.
 */
import { type Address, encodeAbiParameters, encodePacked, type Hex, keccak256, pad } from "viem";
import type { Push } from "../types.js";
import { BUILDERS_ABI, MOR_ABI, RECEIVER_ABI } from "./abi.js";
import { WEI } from "./schedule.js";
import {
  DAY,
  deterministic,
  L1_CHAIN_ID,
  L1_SENDER,
  LZ_V1_ENDPOINT,
  LZ_V2_ENDPOINT,
  lc,
  MAX,
  MINIMAL_DEPOSIT,
  MorpheusState,
  mor,
  type Pool,
  SUBNET_FEE,
} from "./state.js";

export abstract class MorpheusActions extends MorpheusState {
  // ------------------------------------------------------------------------------------------------
  // Actions

  /** An emission claim on Ethereum arriving here: the LayerZero v1 endpoint calls lzReceive (mint + MessageSuccess). */
  protected lzMessage(user: Address, amount: bigint): { path: Hex; nonce: bigint; payload: Hex } {
    const receiver = this.a.receiver as Address;
    const path = encodePacked(["address", "address"], [L1_SENDER, receiver]);
    const payload = encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [user, amount]);
    this.lzNonce++;
    this.send(
      LZ_V1_ENDPOINT,
      receiver,
      RECEIVER_ABI,
      "lzReceive",
      [L1_CHAIN_ID, path, this.lzNonce, payload],
      "L2MessageReceiver.lzReceive",
    );
    return { path, nonce: this.lzNonce, payload };
  }

  protected claim(account: Address): void {
    const amount = this.accrued.get(account) ?? 0n;
    if (amount < WEI) return;
    this.accrued.set(account, 0n);
    this.lzMessage(account, amount);
    this.move(null, account, amount);
  }

  protected claimTreasury(): void {
    const amount = this.treasuryAccrued;
    if (amount < WEI) return;
    this.treasuryAccrued = 0n;
    this.lzMessage(this.a.treasury, amount);
    this.move(null, this.a.treasury, amount);
  }

  /**
   * Once: the MOR owner revokes the receiver's minter role (a minter rotation), a claim arrives and fails
   * (MessageFailed, no mint), the role is restored and the claimer retries it (mint + RetryMessageSuccess).
   */
  protected failedClaimAndRetry(push: Push): void {
    const c = this.claimers[0] as { account: Address };
    const amount = this.accrued.get(c.account) ?? 0n;
    if (amount < WEI) return;
    this.accrued.set(c.account, 0n);
    const receiver = this.a.receiver as Address;
    let msg: { path: Hex; nonce: bigint; payload: Hex } | null = null;
    push(0, 0, () =>
      this.send(this.a.owner, this.a.mor, MOR_ABI, "updateMinter", [receiver, false], "MOR.updateMinter off"),
    );
    push(1, 0, () => {
      msg = this.lzMessage(c.account, amount);
    });
    push(2, 0, () =>
      this.send(this.a.owner, this.a.mor, MOR_ABI, "updateMinter", [receiver, true], "MOR.updateMinter on"),
    );
    push(3, 0, () => {
      const m = msg as unknown as { path: Hex; nonce: bigint; payload: Hex };
      this.send(
        c.account,
        receiver,
        RECEIVER_ABI,
        "retryMessage",
        [L1_CHAIN_ID, m.path, m.nonce, m.payload],
        "L2MessageReceiver.retryMessage",
      );
      this.move(null, c.account, amount);
    });
  }

  /** OFT receive: MOR sent from another chain is minted here (Transfer from 0x0, OFTReceived). */
  protected lzReceiveOft(to: Address, amount: bigint): void {
    const srcEid = this.rng.pick(this.remoteEids);
    this.oftNonce++;
    const guid = keccak256(
      encodePacked(["uint64", "uint32", "uint32", "address"], [this.oftNonce, srcEid, this.localEid, to]),
    );
    const amountSD = amount / 10n ** 12n;
    const message = encodePacked(["bytes32", "uint64"], [pad(to, { size: 32 }), amountSD]);
    this.send(LZ_V2_ENDPOINT, this.a.mor, MOR_ABI, "lzReceive", [srcEid, guid, message], "MOR.lzReceive");
    this.move(null, to, amountSD * 10n ** 12n);
  }

  protected bridgeIn(): void {
    const r = this.rng;
    const to = r.next() < 0.5 ? this.exchange : r.pick(this.stakers);
    this.lzReceiveOft(to, mor(Math.min(r.pareto(150, 1.2), 50_000)));
  }

  /** Base-like networks: the builders' treasury is funded by MOR bridged in. */
  protected fundTreasuryByBridge(): void {
    this.lzReceiveOft(this.a.treasury, mor(200 + this.rng.next() * 800));
  }

  protected bridgeOut(): void {
    const r = this.rng;
    const from = r.next() < 0.4 ? this.exchange : r.pick(this.claimers).account;
    const bal = this.available(from);
    const amount = ((bal * BigInt(r.int(5, 40))) / 100n / 10n ** 12n) * 10n ** 12n;
    if (amount === 0n) return;
    const dstEid = r.pick(this.remoteEids);
    this.send(
      from,
      this.a.mor,
      MOR_ABI,
      "send",
      [dstEid, pad(from, { size: 32 }), amount, amount],
      "MOR.send",
    );
    this.move(from, null, amount);
  }

  protected sell(): void {
    const r = this.rng;
    const from = r.pick(this.claimers).account;
    const amount = (this.available(from) * BigInt(r.int(5, 50))) / 100n;
    if (amount === 0n) return;
    this.send(from, this.a.mor, MOR_ABI, "transfer", [this.exchange, amount], "MOR.transfer");
    this.move(from, this.exchange, amount);
  }

  /** Gets `need` MOR to `account` in this block: bought from the exchange, or bridged in. */
  protected fund(account: Address, need: bigint): void {
    const have = this.available(account);
    if (have >= need) return;
    const short = need - have;
    if (this.available(this.exchange) >= short) {
      this.send(this.exchange, this.a.mor, MOR_ABI, "transfer", [account, short], "MOR.transfer (buy)");
      this.move(this.exchange, account, short);
    } else this.lzReceiveOft(account, ((short + 10n ** 12n - 1n) / 10n ** 12n) * 10n ** 12n);
  }

  protected approve(account: Address): void {
    if (this.approved.has(account)) return;
    this.approved.add(account);
    this.send(account, this.a.mor, MOR_ABI, "approve", [this.a.builders, MAX], "MOR.approve Builders");
  }

  protected deposit(): void {
    const r = this.rng;
    const pools = this.allPools();
    const pool = r.pick(pools);
    const user = r.pick(this.stakers);
    const key = `${pool.id}:${lc(user)}`;
    if (this.busy.has(key)) return;
    this.busy.add(key);
    const amount = mor(Math.min(r.pareto(20, 1.1), 20_000));
    this.fund(user, amount);
    this.approve(user);
    this.send(user, this.a.builders, BUILDERS_ABI, "deposit", [pool.id, amount], "Builders.deposit");
    this.move(user, this.a.builders, amount);
  }

  protected withdraw(): void {
    const r = this.rng;
    const now = this.host.now();
    const candidates: { pool: Pool; user: string; stake: bigint }[] = [];
    for (const pool of this.allPools()) {
      for (const [user, stake] of this.book.stakes.get(pool.id) ?? []) {
        const last = this.book.lastDeposit.get(`${pool.id}:${user}`) ?? 0;
        if (stake > 0n && now > last + pool.withdrawLock && !this.busy.has(`${pool.id}:${user}`))
          candidates.push({ pool, user, stake });
      }
    }
    if (candidates.length === 0) return;
    const c = r.pick(candidates);
    this.busy.add(`${c.pool.id}:${c.user}`);
    let amount = r.next() < 0.5 ? c.stake : (c.stake * BigInt(r.int(10, 90))) / 100n;
    if (c.stake - amount < c.pool.minimalDeposit) amount = c.stake;
    this.send(
      c.user as Address,
      this.a.builders,
      BUILDERS_ABI,
      "withdraw",
      [c.pool.id, amount],
      "Builders.withdraw",
    );
    this.move(this.a.builders, null, amount); // the user's MOR counts once mined (a V1–V3 fee keeps part of it)
  }

  protected adminClaim(pool: Pool): void {
    const r = this.rng;
    const key = `claim:${pool.id}`;
    if (this.busy.has(key)) return;
    const available = this.available(this.a.treasury);
    const rewards = (available * BigInt(r.int(5, 25))) / 100n;
    if (rewards < WEI) return;
    this.busy.add(key);
    this.send(
      pool.admin,
      this.a.builders,
      BUILDERS_ABI,
      "claim",
      [pool.id, pool.admin, rewards],
      "Builders.claim",
    );
    this.move(this.a.treasury, null, rewards);
  }

  /** The proxy's upgrade to BuildersV4 (withdraw fee removed, subnet creation fee added). */
  protected upgrade(): void {
    const impl = deterministic("BuildersV4-implementation");
    this.send(this.a.owner, this.a.builders, BUILDERS_ABI, "upgradeToV4", [impl], "Builders.upgradeToV4");
    this.send(
      this.a.owner,
      this.a.builders,
      BUILDERS_ABI,
      "setSubnetCreationFeeAmount",
      [SUBNET_FEE],
      "Builders.setSubnetCreationFeeAmount",
    );
    this.version = 4;
  }

  protected createSubnet(): void {
    if (this.version !== 4) return;
    const n = this.subnetCount++;
    const admin = this.host.account(`subnet-admin:${n}`);
    this.fund(admin, SUBNET_FEE);
    this.approve(admin);
    const lock = BigInt(this.rng.pick([DAY, 2 * DAY, 7 * DAY]));
    this.send(
      admin,
      this.a.builders,
      BUILDERS_ABI,
      "createSubnet",
      [`Subnet ${this.slug} #${n}`, admin, admin, lock, MINIMAL_DEPOSIT],
      "Builders.createSubnet",
    );
    this.move(admin, this.a.feeTreasury, SUBNET_FEE);
  }
}
