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
 *
 * Files by job: economy.ts (this: deployment, the day's plan, receipts), state.ts (state, accrual, drafted
 * balances), actions.ts (claims, bridge, Builders, the upgrade), book.ts (the ledger from the receipts),
 * schedule.ts (the emission schedule).
 */
import { type Address, type Hex, keccak256, toHex } from "viem";
import { type ProtocolLedger, ZERO } from "../../ledger.js";
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
import { BUILDERS_ABI, RECEIVER_ABI, TREASURY_ABI } from "./abi.js";
import { MorpheusActions } from "./actions.js";
import { MorpheusBook } from "./book.js";
import { WEI } from "./schedule.js";
import {
  deterministic,
  FEE_PART,
  INITIAL_POOLS,
  L1_CHAIN_ID,
  L1_SENDER,
  LZ_V1_ENDPOINT,
  LZ_V2_ENDPOINT,
  lc,
  MINIMAL_DEPOSIT,
  type MorpheusOptions,
  type Pool,
} from "./state.js";

export { L1_CHAIN_ID, L1_SENDER, LZ_V1_ENDPOINT, LZ_V2_ENDPOINT, type MorpheusOptions } from "./state.js";

export function createMorpheusEconomy(options: MorpheusOptions = {}): Economy {
  return new MorpheusEconomy(options);
}

class MorpheusEconomy extends MorpheusActions implements Economy {
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
}

export default (): Economy => createMorpheusEconomy();
