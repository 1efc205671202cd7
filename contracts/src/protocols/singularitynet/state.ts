/**
 * SingularityNET's simulated economy, its state and the primitives its actions share: the deployment's addresses,
 * the actors (payers with their keys, providers, stakers), the state decoded from the receipts (AGIX balances,
 * escrow balances, channels), the block's slots (one transaction per actor and channel) and the accounts'
 * approvals. The channel actions are in channels.ts, the staking windows in stake.ts; economy.ts is the unit the
 * host registers.
 */
import { type Abi, type Address, maxUint256 } from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import type { ProtocolLedger } from "../../ledger.js";
import type { Rng } from "../../rng.js";
import type { SimHost } from "../types.js";
import { AGIX, FET, TOKEN_ABI } from "./contracts.js";
import type { TokenStakeSim } from "./stake.js";

export const SLUG = "singularitynet";
/** The deployment section's contract names (protocol.json data sources and fee assets). */
export const NAMES = [
  "FetToken",
  "AgixToken",
  "MultiPartyEscrowAGIX",
  "MultiPartyEscrowFET",
  "TokenStake",
  "AsiMigration",
] as const;
export type Name = (typeof NAMES)[number];

export const PAYERS = 10;
export const PROVIDERS = 4;
export const STAKERS = 6;

export interface Channel {
  mpe: string;
  id: bigint;
  sender: string;
  recipient: string;
  value: bigint;
  nonce: bigint;
  expiration: bigint;
  /** Off-chain: what the sender has signed for at the current nonce (the usage not yet claimed). */
  signed: bigint;
  /** The sender stopped using it: no more usage or funding; it takes the rest back once expired. */
  abandoned: boolean;
}

export interface Sender {
  key: PrivateKeyAccount;
  address: string;
}

export const lc = (a: string) => a.toLowerCase();

export abstract class SnetState {
  protected host!: SimHost;
  protected rng!: Rng;
  protected c!: Record<Name, string>;
  protected ledger!: ProtocolLedger;
  protected owner = "";
  protected payers: Sender[] = [];
  protected providers: string[] = [];
  protected stakers: string[] = [];
  protected migrationDay = 1;
  /** Decoded state: AGIX balances, escrow balances per escrow, channels, the stake window. */
  protected agix = new Map<string, bigint>();
  protected mpeBalances = new Map<string, Map<string, bigint>>();
  protected channels = new Map<string, Channel>();
  protected staking!: TokenStakeSim;
  protected genesisDone = false;
  /** Actors and channels with a transaction drafted in the block being drafted (one each per block). */
  protected busy = new Set<string>();
  /** Accounts whose approvals are mined (ready) or drafted in the block being drafted (approving). */
  protected ready = new Set<string>();
  protected approving: string[] = [];
  protected fees = 0n;

  protected send(from: string, to: string, abi: Abi, fn: string, args: unknown[], label: string): void {
    this.host.send(from as Address, to as Address, abi, fn, args, label);
  }

  /** Marks an actor or channel as acting in this block; false when it already is. */
  protected claimSlot(...keys: string[]): boolean {
    if (keys.some((k) => this.busy.has(k))) return false;
    for (const k of keys)
      if (k.startsWith("a:") && k !== `a:${this.owner}` && !this.ready.has(k.slice(2))) return false;
    for (const k of keys) this.busy.add(k);
    return true;
  }

  protected amount(min: number, max: number, unit: bigint): bigint {
    return BigInt(this.rng.int(min, max)) * unit;
  }

  /** The latest mined block: the escrow's expirations are block numbers. */
  protected lowBlock(): bigint {
    return BigInt(this.host.block() - 1);
  }

  protected expiration(): bigint {
    return this.lowBlock() + BigInt(this.rng.int(20, 150));
  }

  /** An account's approvals (to the escrows, the migration, TokenStake): it acts from the next block on. */
  protected approve(a: string): void {
    const { c } = this;
    const T = TOKEN_ABI as Abi;
    const spend: [string, string][] = this.stakers.includes(a)
      ? [[c.FetToken, c.TokenStake]]
      : this.providers.includes(a)
        ? [[c.AgixToken, c.AsiMigration]]
        : [
            [c.AgixToken, c.MultiPartyEscrowAGIX],
            [c.FetToken, c.MultiPartyEscrowFET],
            [c.AgixToken, c.AsiMigration],
          ];
    for (const [token, spender] of spend) this.send(a, token, T, "approve", [spender, maxUint256], "approve");
    this.approving.push(a);
  }

  protected tokenOf(mpe: string): string {
    return mpe === this.c.MultiPartyEscrowAGIX ? this.c.AgixToken : this.c.FetToken;
  }

  protected tokenBalance(mpe: string, a: string): bigint {
    return mpe === this.c.MultiPartyEscrowAGIX ? (this.agix.get(a) ?? 0n) : this.ledger.balanceOf(a);
  }

  protected mpeBalance(mpe: string, a: string): bigint {
    return this.mpeBalances.get(mpe)?.get(a) ?? 0n;
  }

  protected unit(mpe: string): bigint {
    return mpe === this.c.MultiPartyEscrowAGIX ? AGIX : FET;
  }
}
