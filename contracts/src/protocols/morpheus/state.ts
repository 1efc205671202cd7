/**
 * Morpheus' simulated economy, its state and the primitives its actions share: which side of the bridge runs here,
 * the deployment's addresses, the emission accrued to claimers and the treasury, the balances drafted in the block
 * (what an account may still spend), and the accounts' own transactions. The actions are in actions.ts; economy.ts
 * is the unit the host registers.
 */
import { type Address, type Hex, keccak256, toHex } from "viem";
import type { Rng } from "../../rng.js";
import type { SimHost } from "../types.js";
import type { BUILDERS_ABI, MOR_ABI, RECEIVER_ABI } from "./abi.js";
import type { MorpheusBook } from "./book.js";
import { dailyBuildersEmission, dailyEmission, PAYOUT_START, WEI } from "./schedule.js";

export interface MorpheusOptions {
  /** The protocol's slug (its folder in every layer). */
  slug?: string;
  /**
   * "emission": MOR + L2MessageReceiver + Builders (Arbitrum One: emission claims are minted here).
   * "bridged": MOR + Builders (Base: all MOR arrives through the OFT bridge; no L2MessageReceiver).
   */
  contracts?: "emission" | "bridged";
  /** This chain's LayerZero v2 endpoint id (Arbitrum One 30110, Base 30184). */
  localEid?: number;
  /** The other chains MOR is bridged to and from (LayerZero v2 endpoint ids). */
  remoteEids?: number[];
}

/** LayerZero v2 EndpointV2 (the same address on Arbitrum One and Base): calls MOR.lzReceive (OAppReceiver). */
export const LZ_V2_ENDPOINT = "0x1a44076050125825900e736c501f859c50fE728c" as Address;
/** LayerZero v1 endpoint on Arbitrum One (MorpheusAIs/SmartContracts deploy/data/config.json lzEndpointL2). */
export const LZ_V1_ENDPOINT = "0x3c2269811836af69497E5F486A85D7316753cf62" as Address;
/** The L1 sender the Arbitrum receiver accepts (scripts/upgradeMor.ts, deploy/capital-protocol/v7/1_mainnet_deploy.ts). */
export const L1_SENDER = "0x2Efd4430489e1a05A89c2f51811aC661B7E5FF84" as Address;
/** LayerZero v1 chain id of Ethereum (deploy/data/config.json senderChainId). */
export const L1_CHAIN_ID = 101;
/** Fee parts of 1e25 (deploy/8_builders.migration.ts: feeForWithdraw, feeForClaim 1 %). */
export const FEE_PART = 10n ** 23n;
/** V4 subnet creation fee (the value on chain is not published: UNCERTAIN). */
export const SUBNET_FEE = 10n * WEI;
export const MAX = (1n << 256n) - 1n;
export const DAY = 86400;

export interface Pool {
  id: Hex;
  admin: Address;
  withdrawLock: number;
  minimalDeposit: bigint;
}

/** Initial builder pools (V1–V3 createBuilderPool at deploy): name, withdraw lock (s). */
export const INITIAL_POOLS: [string, number][] = [
  ["Morpheus Lumerin Node", DAY],
  ["MySuperAgent", 3 * DAY],
  ["Venice", 7 * DAY],
  ["Akash compute", DAY],
  ["Morpheus Coincap", 2 * DAY],
  ["Smart Agents", 3 * DAY],
];
export const MINIMAL_DEPOSIT = 10n ** 15n; // 0.001 MOR (deploy/builders-protocol: minimalDeposit wei(0.001))

export const deterministic = (tag: string) => keccak256(toHex(`morpheus:${tag}`)).slice(0, 42) as Address;
export const lc = (a: string) => a.toLowerCase();
/** A random MOR amount around `scale` MOR, in whole micro-MOR (a multiple of the OFT's 1e12 dust unit). */
export const mor = (x: number) => BigInt(Math.max(1, Math.floor(x * 1e6))) * 10n ** 12n;

/** The emission of the day containing `ts` and of every day before it since the payout start (0 before it). */
export function emittedBefore(ts: number, perDay: (t: number) => bigint): bigint {
  if (ts < PAYOUT_START) return perDay(ts); // a local chain before MOR's launch: the launch day's rate
  let total = 0n;
  for (let t = PAYOUT_START; t <= ts; t += DAY) total += perDay(t);
  return total;
}

export abstract class MorpheusState {
  readonly slug: string;
  protected mode: "emission" | "bridged" = "emission";
  protected localEid = 0;
  protected remoteEids: number[] = [];
  protected host!: SimHost;
  protected book!: MorpheusBook;
  protected rng!: Rng;
  protected a!: {
    mor: Address;
    receiver: Address | null;
    builders: Address;
    treasury: Address;
    feeTreasury: Address;
    owner: Address;
  };
  protected pools: Pool[] = [];
  protected claimers: { account: Address; weight: bigint }[] = [];
  protected weightSum = 0n;
  protected accrued = new Map<string, bigint>();
  protected treasuryAccrued = 0n;
  protected accruedThrough = -1;
  protected stakers: Address[] = [];
  protected exchange!: Address;
  protected approved = new Set<string>();
  /** Per block: balance changes of transactions queued but not mined yet, and (pool:user) pairs already acted on. */
  protected pending = new Map<string, bigint>();
  protected busy = new Set<string>();
  protected lzNonce = 0n;
  protected oftNonce = 0n;
  protected version = 3;
  protected subnetCount = 0;
  protected upgradeDay = -1;
  protected retryDay = -1;
  protected retryDone = false;

  constructor(private readonly options: MorpheusOptions) {
    this.slug = options.slug ?? "morpheus";
    this.configure(options.contracts ?? "emission");
  }

  /**
   * Which side of Morpheus runs here: "emission" (Arbitrum One: the L2MessageReceiver mints emission claims) or
   * "bridged" (Base: MOR only arrives over the OFT bridge). Without options.contracts, the network decides: the
   * main local chain is the emission side, a second local network the bridged one.
   */
  protected configure(mode: "emission" | "bridged"): void {
    const o = this.options;
    this.mode = o.contracts ?? mode;
    if (this.mode !== "emission" && this.mode !== "bridged")
      throw new Error(
        `morpheus: options.contracts must be "emission" or "bridged" (got ${JSON.stringify(o.contracts)})`,
      );
    this.localEid = o.localEid ?? (this.mode === "emission" ? 30110 : 30184);
    this.remoteEids = o.remoteEids ?? (this.mode === "emission" ? [30101, 30184] : [30101, 30110]);
    if (!Number.isInteger(this.localEid) || this.localEid <= 0)
      throw new Error(`morpheus: options.localEid must be a positive integer (got ${this.localEid})`);
    if (this.remoteEids.length === 0)
      throw new Error("morpheus: options.remoteEids must name at least one chain");
  }

  /** Accrues the emission of every day up to `day` (also days without blocks) to the recipients and the treasury. */
  protected accrue(day: number): void {
    for (let d = this.accruedThrough + 1; d <= day; d++) {
      const ts = this.host.startTime + d * DAY;
      // day 0 also carries every earlier day since the payout start (MOR's supply when the simulation starts)
      const builders = d === 0 ? emittedBefore(ts, dailyBuildersEmission) : dailyBuildersEmission(ts);
      const rest = (d === 0 ? emittedBefore(ts, dailyEmission) : dailyEmission(ts)) - builders;
      this.treasuryAccrued += builders;
      for (const c of this.claimers)
        this.accrued.set(c.account, (this.accrued.get(c.account) ?? 0n) + (rest * c.weight) / this.weightSum);
    }
    this.accruedThrough = Math.max(this.accruedThrough, day);
  }

  protected allPools(): Pool[] {
    return [...this.pools, ...this.book.subnets.map((s) => ({ ...s, admin: s.admin as Address }))];
  }

  protected available(a: string): bigint {
    return this.book.ledger.balanceOf(lc(a)) + (this.pending.get(lc(a)) ?? 0n);
  }

  protected move(from: string | null, to: string | null, amount: bigint): void {
    if (from) this.pending.set(lc(from), (this.pending.get(lc(from)) ?? 0n) - amount);
    if (to) this.pending.set(lc(to), (this.pending.get(lc(to)) ?? 0n) + amount);
  }

  protected send(
    from: Address,
    to: Address,
    abi: typeof MOR_ABI | typeof RECEIVER_ABI | typeof BUILDERS_ABI,
    fn: string,
    args: unknown[],
    label: string,
  ): void {
    this.host.send(from, to, abi, fn, args, label);
  }
}
