/**
 * Morpheus (MOR) on an L2 (docs/protocols/morpheus.md): an inference network paid almost entirely by emission.
 * Daily emission claims made on Ethereum arrive as LayerZero messages that L2MessageReceiver turns into MOR mints
 * (a few dozen capital/compute/community recipients, and the builders' share to the BuildersTreasury); MOR moves
 * between chains through the OFT (burn on send, mint on receive) a few times a week; users stake MOR in Builders
 * pools, withdraw it, and pool admins claim rewards from the pre-funded treasury; the only fees are Builders'
 * FeePaid (withdraw in V1–V3, claim, subnet creation in V4), paid to the protocol treasury.
 *
 * The emitters (contracts/sol/morpheus/) emit the real functions' events in their order. Options select the
 * contracts of a network: Arbitrum One (MOR + L2MessageReceiver + Builders; emission minted here) or a network
 * whose MOR is only bridged in (Base: MOR + Builders; the treasury is funded by bridge mints).
 */
import { type Address, encodeAbiParameters, encodePacked, type Hex, keccak256, pad, toHex } from "viem";
import { type ProtocolLedger, ZERO } from "../../ledger.js";
import type { Rng } from "../../rng.js";
import {
  type ChainLog,
  type DeployedContract,
  type Deployer,
  type Economy,
  type EconomyTruth,
  firstDayWithBlocks,
  type Push,
  type SimHost,
} from "../types.js";
import { BUILDERS_ABI, MOR_ABI, RECEIVER_ABI, TREASURY_ABI } from "./abi.js";
import { MorpheusBook } from "./book.js";
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
const FEE_PART = 10n ** 23n;
/** V4 subnet creation fee (the value on chain is not published: UNCERTAIN). */
const SUBNET_FEE = 10n * WEI;
const MAX = (1n << 256n) - 1n;
const DAY = 86400;

interface Pool {
  id: Hex;
  admin: Address;
  withdrawLock: number;
  minimalDeposit: bigint;
}

/** Initial builder pools (V1–V3 createBuilderPool at deploy): name, withdraw lock (s). */
const INITIAL_POOLS: [string, number][] = [
  ["Morpheus Lumerin Node", DAY],
  ["MySuperAgent", 3 * DAY],
  ["Venice", 7 * DAY],
  ["Akash compute", DAY],
  ["Morpheus Coincap", 2 * DAY],
  ["Smart Agents", 3 * DAY],
];
const MINIMAL_DEPOSIT = 10n ** 15n; // 0.001 MOR (deploy/builders-protocol: minimalDeposit wei(0.001))

const deterministic = (tag: string) => keccak256(toHex(`morpheus:${tag}`)).slice(0, 42) as Address;
const lc = (a: string) => a.toLowerCase();
/** A random MOR amount around `scale` MOR, in whole micro-MOR (a multiple of the OFT's 1e12 dust unit). */
const mor = (x: number) => BigInt(Math.max(1, Math.floor(x * 1e6))) * 10n ** 12n;

export function createMorpheusEconomy(options: MorpheusOptions = {}): Economy {
  return new MorpheusEconomy(options);
}

class MorpheusEconomy implements Economy {
  readonly slug: string;
  private mode: "emission" | "bridged" = "emission";
  private localEid = 0;
  private remoteEids: number[] = [];
  private host!: SimHost;
  private book!: MorpheusBook;
  private rng!: Rng;
  private a!: {
    mor: Address;
    receiver: Address | null;
    builders: Address;
    treasury: Address;
    feeTreasury: Address;
    owner: Address;
  };
  private pools: Pool[] = [];
  private claimers: { account: Address; weight: bigint }[] = [];
  private weightSum = 0n;
  private accrued = new Map<string, bigint>();
  private treasuryAccrued = 0n;
  private accruedThrough = -1;
  private stakers: Address[] = [];
  private exchange!: Address;
  private approved = new Set<string>();
  /** Per block: balance changes of transactions queued but not mined yet, and (pool:user) pairs already acted on. */
  private pending = new Map<string, bigint>();
  private busy = new Set<string>();
  private lzNonce = 0n;
  private oftNonce = 0n;
  private version = 3;
  private subnetCount = 0;
  private upgradeDay = -1;
  private retryDay = -1;
  private retryDone = false;

  constructor(private readonly options: MorpheusOptions) {
    this.slug = options.slug ?? "morpheus";
    this.configure(options.contracts ?? "emission");
  }

  /**
   * Which side of Morpheus runs here: "emission" (Arbitrum One: the L2MessageReceiver mints emission claims) or
   * "bridged" (Base: MOR only arrives over the OFT bridge). Without options.contracts, the network decides: the
   * main local chain is the emission side, a second local network the bridged one.
   */
  private configure(mode: "emission" | "bridged"): void {
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

  // ------------------------------------------------------------------------------------------------
  // Deployment

  async deploy(d: Deployer): Promise<{
    contracts: Record<string, DeployedContract>;
    simulator: Record<string, string>;
    bridged: boolean;
  }> {
    this.configure(d.primary ? "emission" : "bridged");
    const c = (name: string) => d.compiled(name);
    const owner = d.owner;
    let receiver: DeployedContract | null = null;
    if (this.mode === "emission") {
      const r = c("L2MessageReceiver");
      receiver = await d.deploy(owner, "morpheus L2MessageReceiver", r.abi, r.bytecode);
    }
    const m = c("MOROFT");
    const morToken = await d.deploy(owner, "morpheus MOR", m.abi, m.bytecode, [
      LZ_V2_ENDPOINT,
      receiver?.address ?? ZERO,
      this.localEid,
    ]);
    if (receiver)
      await d.send(
        owner,
        receiver.address,
        RECEIVER_ABI,
        "setParams",
        [morToken.address, { gateway: LZ_V1_ENDPOINT, sender: L1_SENDER, senderChainId: L1_CHAIN_ID }],
        "morpheus L2MessageReceiver.setParams",
      );
    const t = c("BuildersTreasury");
    const treasury = await d.deploy(owner, "morpheus BuildersTreasury", t.abi, t.bytecode, [
      morToken.address,
    ]);
    const feeTreasury = deterministic("fee-treasury");
    const b = c("Builders");
    const builders = await d.deploy(owner, "morpheus Builders", b.abi, b.bytecode, [
      morToken.address,
      treasury.address,
      feeTreasury,
    ]);
    await d.send(
      owner,
      treasury.address,
      TREASURY_ABI,
      "setBuilders",
      [builders.address],
      "morpheus BuildersTreasury.setBuilders",
    );
    for (const op of ["withdraw", "claim"])
      await d.send(
        owner,
        builders.address,
        BUILDERS_ABI,
        "setFee",
        [toHex(op, { size: 32 }), FEE_PART],
        `morpheus Builders.setFee ${op}`,
      );
    const pools: Pool[] = [];
    for (const [i, [name, lock]] of INITIAL_POOLS.entries()) {
      const admin = deterministic(`pool-admin:${i}`);
      await d.send(
        owner,
        builders.address,
        BUILDERS_ABI,
        "createBuilderPool",
        [name, admin, BigInt(lock), MINIMAL_DEPOSIT],
        `morpheus Builders.createBuilderPool ${name}`,
      );
      pools.push({ id: keccak256(toHex(name)), admin, withdrawLock: lock, minimalDeposit: MINIMAL_DEPOSIT });
    }
    const contracts: Record<string, DeployedContract> = { MOR: morToken, Builders: builders };
    if (receiver) contracts.L2MessageReceiver = receiver;
    return {
      contracts,
      bridged: this.mode === "bridged",
      simulator: {
        BuildersTreasury: treasury.address,
        feeTreasury,
        owner,
        pools: JSON.stringify(pools.map((p) => ({ ...p, minimalDeposit: p.minimalDeposit.toString() }))),
      },
    };
  }

  attach(
    host: SimHost,
    contracts: Record<string, DeployedContract>,
    simulator: Record<string, string> | undefined,
  ): void {
    this.configure(host.primary === false ? "bridged" : "emission");
    const need = (name: string) => {
      const x = contracts[name];
      if (!x)
        throw new Error(
          `morpheus: the deployment section has no ${name} (start a fresh chain so that it is deployed)`,
        );
      return x.address;
    };
    const extra = (name: string) => {
      const v = simulator?.[name];
      if (!v) throw new Error(`morpheus: the deployment's simulator.protocols.${this.slug} has no ${name}`);
      return v;
    };
    const receiver = this.mode === "emission" ? need("L2MessageReceiver") : null;
    if (this.mode === "bridged" && contracts.L2MessageReceiver)
      throw new Error(
        "morpheus: a bridged-supply network has no L2MessageReceiver, but the deployment lists one",
      );
    this.host = host;
    this.rng = host.rng();
    this.a = {
      mor: need("MOR"),
      receiver,
      builders: need("Builders"),
      treasury: extra("BuildersTreasury") as Address,
      feeTreasury: extra("feeTreasury") as Address,
      owner: extra("owner") as Address,
    };
    let parsed: unknown;
    try {
      parsed = JSON.parse(extra("pools"));
    } catch (e) {
      throw new Error(
        `morpheus: simulator.protocols.${this.slug}.pools is not JSON (${(e as Error).message})`,
      );
    }
    this.pools = (parsed as { id: Hex; admin: Address; withdrawLock: number; minimalDeposit: string }[]).map(
      (p) => ({
        ...p,
        minimalDeposit: BigInt(p.minimalDeposit),
      }),
    );
    this.book = new MorpheusBook(
      { mor: this.a.mor, receiver: this.a.receiver, builders: this.a.builders },
      (asset, amount) => host.usd(asset, amount),
    );
    const r = this.rng;
    for (let i = 0; i < 36; i++) {
      // capital providers' and compute/community recipients' shares: heavy-tailed (a few large depositors)
      const weight = BigInt(Math.floor(r.pareto(1000, 1.2)));
      this.claimers.push({ account: host.account(`claimer:${i}`), weight });
      this.weightSum += weight;
    }
    for (let i = 0; i < 48; i++) this.stakers.push(host.account(`staker:${i}`));
    this.exchange = host.account("exchange");
    // the V4 upgrade on a day with blocks (the host's calendar)
    this.upgradeDay = host.days >= 4 ? firstDayWithBlocks(host, Math.floor(host.days / 2)) : -1;
    this.retryDay = this.mode === "emission" && host.days >= 3 ? 2 : -1;
  }

  // ------------------------------------------------------------------------------------------------
  // Ledger

  onLog(log: ChainLog): void {
    this.book.apply(log, this.host.now());
  }

  afterBlock(ts: number): void {
    this.book.endBlock();
    this.book.ledger.snapshot(ts);
    this.pending.clear();
    this.busy.clear();
  }

  progress(): string {
    const l = this.book.ledger;
    const f = (x: bigint) => (x / WEI).toLocaleString("en-US");
    return `MOR supply ${f(l.supply)}, staked ${f(l.staked)}, fees ${f(l.cumulativeFees)}`;
  }

  truth(): EconomyTruth {
    const mor = lc(this.a.mor);
    return { ledger: this.book.ledger, token: { address: mor, symbol: "MOR", decimals: 18 }, feeAsset: mor };
  }

  /** For tests: the ledger and counts of what happened on chain. */
  get ledger(): ProtocolLedger {
    return this.book.ledger;
  }
  get counts(): MorpheusBook["counts"] {
    return this.book.counts;
  }

  // ------------------------------------------------------------------------------------------------
  // Plan

  plan(day: number, blocks: number, push: Push): void {
    this.accrue(day);
    if (blocks <= 0) return;
    const r = this.rng;
    const anyBlock = (from = 0) => r.int(Math.min(from, blocks - 1), blocks - 1);
    let first = 0;
    if (day === this.upgradeDay) {
      push(0, 0, () => this.upgrade());
      first = 1;
    }
    if (this.retryDay >= 0 && day >= this.retryDay && !this.retryDone && blocks >= 4) {
      this.retryDone = true;
      this.failedClaimAndRetry(push);
      first = 4;
    }
    // emission claims: each recipient claims what accrued to it with probability 0.3 a day
    // (on day 0 everyone claims the backlog since MOR's launch: the supply the chain would have at the start)
    if (this.mode === "emission") {
      for (const c of this.claimers)
        if (day === 0 || r.next() < 0.3) push(anyBlock(first), 1, () => this.claim(c.account));
      if (day === 0 || r.next() < 0.8) push(anyBlock(first), 1, () => this.claimTreasury());
    } else if (r.next() < 0.6) push(anyBlock(first), 1, () => this.fundTreasuryByBridge());
    // bridge in and out a few times a week
    if (r.next() < 0.5) push(anyBlock(first), 2, () => this.bridgeIn());
    if (r.next() < 0.45) push(anyBlock(first), 2, () => this.bridgeOut());
    // holders sell to the exchange
    for (let i = r.int(1, 4); i > 0; i--) push(anyBlock(first), 3, () => this.sell());
    // Builders: deposits, withdrawals, admin claims, subnets (V4)
    for (let i = r.int(1, 5); i > 0; i--) push(anyBlock(first), 4, () => this.deposit());
    for (let i = r.int(0, 2); i > 0; i--) push(anyBlock(first), 5, () => this.withdraw());
    for (const p of this.allPools()) if (r.next() < 0.25) push(anyBlock(first), 6, () => this.adminClaim(p));
    // V4 subnets: the first the day after the upgrade, then with probability 0.2 a day
    if (this.upgradeDay >= 0 && day > this.upgradeDay && (day === this.upgradeDay + 1 || r.next() < 0.2))
      push(anyBlock(first), 7, () => this.createSubnet());
  }

  /**
   * Wall-clock mode: emission accrues by the host's day (claims pay what accrued since a recipient's last claim);
   * on the emission side a recipient's claim now and then and the builders' share, on a bridged side the treasury
   * funded over the bridge; bridging, sales, Builders deposits, withdrawals, admin claims, and V4 subnets, a few
   * per block, in the plan's order.
   */
  realtime(): void {
    this.accrue(this.host.day());
    const r = this.rng;
    if (this.mode === "emission") {
      if (r.next() < 0.2) this.claim(r.pick(this.claimers).account);
      if (r.next() < 0.05) this.claimTreasury();
    } else if (r.next() < 0.05) this.fundTreasuryByBridge();
    if (r.next() < 0.1) this.bridgeIn();
    if (r.next() < 0.1) this.bridgeOut();
    if (r.next() < 0.3) this.sell();
    if (r.next() < 0.4) this.deposit();
    if (r.next() < 0.15) this.withdraw();
    if (r.next() < 0.05) this.adminClaim(r.pick(this.allPools()));
    if (this.version === 4 && r.next() < 0.01) this.createSubnet();
  }

  /** Accrues the emission of every day up to `day` (also days without blocks) to the recipients and the treasury. */
  private accrue(day: number): void {
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

  private allPools(): Pool[] {
    return [...this.pools, ...this.book.subnets.map((s) => ({ ...s, admin: s.admin as Address }))];
  }

  private available(a: string): bigint {
    return this.book.ledger.balanceOf(lc(a)) + (this.pending.get(lc(a)) ?? 0n);
  }

  private move(from: string | null, to: string | null, amount: bigint): void {
    if (from) this.pending.set(lc(from), (this.pending.get(lc(from)) ?? 0n) - amount);
    if (to) this.pending.set(lc(to), (this.pending.get(lc(to)) ?? 0n) + amount);
  }

  private send(
    from: Address,
    to: Address,
    abi: typeof MOR_ABI | typeof RECEIVER_ABI | typeof BUILDERS_ABI,
    fn: string,
    args: unknown[],
    label: string,
  ): void {
    this.host.send(from, to, abi, fn, args, label);
  }

  // ------------------------------------------------------------------------------------------------
  // Actions

  /** An emission claim on Ethereum arriving here: the LayerZero v1 endpoint calls lzReceive (mint + MessageSuccess). */
  private lzMessage(user: Address, amount: bigint): { path: Hex; nonce: bigint; payload: Hex } {
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

  private claim(account: Address): void {
    const amount = this.accrued.get(account) ?? 0n;
    if (amount < WEI) return;
    this.accrued.set(account, 0n);
    this.lzMessage(account, amount);
    this.move(null, account, amount);
  }

  private claimTreasury(): void {
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
  private failedClaimAndRetry(push: Push): void {
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
  private lzReceiveOft(to: Address, amount: bigint): void {
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

  private bridgeIn(): void {
    const r = this.rng;
    const to = r.next() < 0.5 ? this.exchange : r.pick(this.stakers);
    this.lzReceiveOft(to, mor(Math.min(r.pareto(150, 1.2), 50_000)));
  }

  /** Base-like networks: the builders' treasury is funded by MOR bridged in. */
  private fundTreasuryByBridge(): void {
    this.lzReceiveOft(this.a.treasury, mor(200 + this.rng.next() * 800));
  }

  private bridgeOut(): void {
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

  private sell(): void {
    const r = this.rng;
    const from = r.pick(this.claimers).account;
    const amount = (this.available(from) * BigInt(r.int(5, 50))) / 100n;
    if (amount === 0n) return;
    this.send(from, this.a.mor, MOR_ABI, "transfer", [this.exchange, amount], "MOR.transfer");
    this.move(from, this.exchange, amount);
  }

  /** Gets `need` MOR to `account` in this block: bought from the exchange, or bridged in. */
  private fund(account: Address, need: bigint): void {
    const have = this.available(account);
    if (have >= need) return;
    const short = need - have;
    if (this.available(this.exchange) >= short) {
      this.send(this.exchange, this.a.mor, MOR_ABI, "transfer", [account, short], "MOR.transfer (buy)");
      this.move(this.exchange, account, short);
    } else this.lzReceiveOft(account, ((short + 10n ** 12n - 1n) / 10n ** 12n) * 10n ** 12n);
  }

  private approve(account: Address): void {
    if (this.approved.has(account)) return;
    this.approved.add(account);
    this.send(account, this.a.mor, MOR_ABI, "approve", [this.a.builders, MAX], "MOR.approve Builders");
  }

  private deposit(): void {
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

  private withdraw(): void {
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

  private adminClaim(pool: Pool): void {
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
  private upgrade(): void {
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

  private createSubnet(): void {
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

export default (): Economy => createMorpheusEconomy();

/** The emission of the day containing `ts` and of every day before it since the payout start (0 before it). */
function emittedBefore(ts: number, perDay: (t: number) => bigint): bigint {
  if (ts < PAYOUT_START) return perDay(ts); // a local chain before MOR's launch: the launch day's rate
  let total = 0n;
  for (let t = PAYOUT_START; t <= ts; t += DAY) total += perDay(t);
  return total;
}
