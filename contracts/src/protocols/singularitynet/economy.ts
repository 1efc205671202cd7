/**
 * SingularityNET on the local chain (docs/protocols/singularitynet.md): the real MultiPartyEscrow twice (the legacy
 * AGIX escrow, 8 decimals, and the FET escrow, 18 decimals), the 2024 AGIX -> FET migration, and the real TokenStake
 * with rewards from an operator-funded pool (stake.ts). Payers (channel senders, each with a private key of its own: the escrow
 * checks their signatures) open channels to service providers and sign for usage off-chain; providers claim in
 * lumps. From the migration day new channels open on the FET escrow, while the legacy escrow still sees claims,
 * sender claims and withdrawals (the dev portal told providers to claim all and users to withdraw).
 *
 * The ledger (FET supply, fees in FET units, channel funding, stake, distributed incentives, migration mints) is
 * kept from the decoded logs in onLog; the planning reads the same decoded state.
 *
 * Files by job: economy.ts (this: deployment, the day's plan, genesis, receipts), state.ts (state, slots,
 * approvals), channels.ts (the escrow actions), stake.ts (TokenStake's windows), contracts.ts (ABIs, bytecode).
 */
import { type Abi, decodeEventLog, type Hex, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEAD, ProtocolLedger, ZERO } from "../../ledger.js";
import type { ChainLog, DeployedContract, Deployer, Economy, EconomyTruth, Push, SimHost } from "../types.js";
import { SnetChannels } from "./channels.js";
import {
  AGIX,
  AGIX_TO_FET,
  FET,
  MIGRATION_ABI,
  MPE_ABI,
  MPE_BYTECODE,
  STAKE_ABI,
  STAKE_BYTECODE,
  TOKEN_ABI,
} from "./contracts.js";
import { TokenStakeSim } from "./stake.js";
import { lc, NAMES, type Name, PAYERS, PROVIDERS, SLUG, STAKERS } from "./state.js";

class SingularityNetEconomy extends SnetChannels implements Economy {
  readonly slug = SLUG;

  async deploy(
    d: Deployer,
  ): Promise<{ contracts: Record<string, DeployedContract>; simulator: Record<string, string> } | null> {
    if (!d.primary) return null; // SingularityNET lives on Ethereum only: no part on a second local network
    const o = d.owner;
    const comp = (n: string) => d.compiled(n);
    const agix = await d.deploy(o, "AgixToken", comp("AgixToken").abi, comp("AgixToken").bytecode);
    const fet = await d.deploy(o, "FetToken", comp("FetToken").abi, comp("FetToken").bytecode);
    const mpeAgix = await d.deploy(o, "MultiPartyEscrow (AGIX)", MPE_ABI, MPE_BYTECODE, [agix.address]);
    const mpeFet = await d.deploy(o, "MultiPartyEscrow (FET)", MPE_ABI, MPE_BYTECODE, [fet.address]);
    // the real TokenStake; maxMigrationBlocks 0: its migration functions (which emit no event) are closed at once
    const stake = await d.deploy(o, "TokenStake", STAKE_ABI, STAKE_BYTECODE, [fet.address, 0n]);
    const migration = await d.deploy(
      o,
      "AsiMigration",
      comp("AsiMigration").abi,
      comp("AsiMigration").bytecode,
      [agix.address, fet.address],
    );
    // FetchToken grants the migration its MINTER_ROLE (no indexed event)
    await d.send(o, fet.address, TOKEN_ABI as Abi, "setMinter", [migration.address, true], "FET.setMinter");
    return {
      contracts: {
        FetToken: fet,
        AgixToken: agix,
        MultiPartyEscrowAGIX: mpeAgix,
        MultiPartyEscrowFET: mpeFet,
        TokenStake: stake,
        AsiMigration: migration,
      },
      // the deployer mints the genesis supply and is TokenStake's operator (tokenOperator = msg.sender)
      simulator: { owner: o },
    };
  }

  attach(
    host: SimHost,
    contracts: Record<string, DeployedContract>,
    simulator: Record<string, string> | undefined,
  ): void {
    this.host = host;
    this.rng = host.rng();
    const c = {} as Record<Name, string>;
    for (const n of NAMES) {
      const x = contracts[n];
      if (!x)
        throw new Error(`singularitynet: the deployment has no ${n} (start a fresh chain so it is deployed)`);
      c[n] = lc(x.address);
    }
    this.c = c;
    this.ledger = new ProtocolLedger(c.FetToken);
    for (const m of [c.MultiPartyEscrowAGIX, c.MultiPartyEscrowFET]) this.mpeBalances.set(m, new Map());
    if (!simulator?.owner) throw new Error("singularitynet: the deployment's simulator section has no owner");
    this.owner = lc(simulator.owner);
    this.payers = Array.from({ length: PAYERS }, (_, i) => {
      // a private key per sender: the escrow checks the sender's signature over each claim
      const key = privateKeyToAccount(
        keccak256(toHex(`singularitynet sender key ${host.account(`payer:${i}`)}`)),
      );
      return { key, address: lc(key.address) };
    });
    this.providers = Array.from({ length: PROVIDERS }, (_, i) => lc(host.account(`provider:${i}`)));
    this.stakers = Array.from({ length: STAKERS }, (_, i) => lc(host.account(`staker:${i}`)));
    this.migrationDay = Math.max(1, Math.floor((host.days * 2) / 3));
    this.staking = new TokenStakeSim({
      host,
      rng: this.rng,
      ledger: this.ledger,
      token: c.FetToken,
      stake: c.TokenStake,
      owner: this.owner,
      stakers: this.stakers,
      claimSlot: (...keys) => this.claimSlot(...keys),
      send: (from, to, abi, fn, args, label) => this.send(from, to, abi, fn, args, label),
      amount: (min, max, unit) => this.amount(min, max, unit),
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Plan

  plan(day: number, blocks: number, push: Push): void {
    if (blocks <= 0) return;
    const r = this.rng;
    const any = () => r.int(0, blocks - 1);
    if (!this.genesisDone) {
      // the first day: the genesis mints in its first block, each account's approvals in a block of its own
      // choosing (a block of well over a hundred transactions is not mined in the drafted order by anvil)
      this.genesisDone = true;
      push(0, 0, () => this.genesis());
      for (const a of [...this.payers.map((p) => p.address), ...this.providers, ...this.stakers])
        push(any(), 0, () => this.approve(a));
    }
    this.staking.plan(day, any, push);

    // channels: the legacy AGIX escrow before the migration day, the FET escrow from it on
    const legacy = day >= this.migrationDay;
    const current = legacy ? this.c.MultiPartyEscrowFET : this.c.MultiPartyEscrowAGIX;
    for (const p of this.payers) if (r.next() < 0.35) push(any(), 4, () => this.payerChannel(p, current));
    push(any(), 5, () => this.accrueUsage(legacy));
    if (r.next() < 0.5) push(any(), 5, () => this.accrueUsage(legacy));
    for (const v of this.providers)
      if (r.next() < (legacy ? 0.6 : 0.3)) push(any(), 6, () => this.providerClaims(v, legacy));
    for (const p of this.payers)
      if (r.next() < (legacy ? 0.4 : 0.15)) push(any(), 7, () => this.payerSettle(p, legacy));
    for (const v of this.providers)
      if (r.next() < (legacy ? 0.5 : 0.2)) push(any(), 7, () => this.providerCashOut(v));
    if (legacy)
      for (const a of [...this.payers.map((p) => p.address), ...this.providers])
        if (r.next() < 0.35) push(any(), 8, () => this.migrate(a));
    const transfers = r.int(0, 2);
    for (let i = 0; i < transfers; i++) push(any(), 8, () => this.fetTransfer());
  }

  /**
   * Wall-clock mode: the day's kinds of action, a few per block, in the plan's order: staking windows by the
   * host's day (stake.ts), channels opened, used, claimed and settled on the escrow of the day, migrations after
   * the migration day, FET transfers.
   */
  async realtime(): Promise<void> {
    const r = this.rng;
    const day = this.host.day();
    this.staking.realtime(day);
    const legacy = day >= this.migrationDay;
    const current = legacy ? this.c.MultiPartyEscrowFET : this.c.MultiPartyEscrowAGIX;
    if (r.next() < 0.3) this.payerChannel(r.pick(this.payers), current);
    if (r.next() < 0.5) this.accrueUsage(legacy);
    if (r.next() < 0.3) await this.providerClaims(r.pick(this.providers), legacy);
    if (r.next() < 0.1) this.payerSettle(r.pick(this.payers), legacy);
    if (r.next() < 0.1) this.providerCashOut(r.pick(this.providers));
    if (legacy && r.next() < 0.1)
      this.migrate(r.pick([...this.payers.map((p) => p.address), ...this.providers]));
    if (r.next() < 0.3) this.fetTransfer();
  }
  /** Genesis supply (the owner mints; it funds TokenStake's reward pool with plain transfers). */
  private genesis(): void {
    const { c, owner } = this;
    const T = TOKEN_ABI as Abi;
    // the owner's transactions first and together (one mintBatch per token): anvil keeps a sender's transactions
    // in their drafted place only when they are not interleaved with many others
    const payers = this.payers.map((p) => p.address);
    const agix = payers.map(() => this.amount(20_000, 100_000, AGIX));
    const fetTo = [...payers, ...this.stakers, owner];
    const fet = [
      ...payers.map(() => this.amount(1_000, 5_000, FET)),
      ...this.stakers.map(() => this.amount(5_000, 50_000, FET)),
      2_000_000n * FET,
    ];
    this.send(owner, c.AgixToken, T, "mintBatch", [payers, agix], "AGIX.mintBatch");
    this.send(owner, c.FetToken, T, "mintBatch", [fetTo, fet], "FET.mintBatch");
  }

  // ---------------------------------------------------------------------------------------------------------
  // Logs -> decoded state and ledger

  onLog(log: ChainLog): void {
    const addr = lc(log.address);
    const c = this.c;
    const l = this.ledger;
    l.now = this.host.now();
    if (addr === c.FetToken || addr === c.AgixToken) {
      const e = decode(TOKEN_ABI as Abi, log);
      if (e?.eventName !== "Transfer") return;
      const from = lc(e.args.from as string);
      const to = lc(e.args.to as string);
      const value = e.args.value as bigint;
      if (addr === c.AgixToken) {
        if (from !== ZERO) this.agix.set(from, (this.agix.get(from) ?? 0n) - value);
        if (to !== ZERO) this.agix.set(to, (this.agix.get(to) ?? 0n) + value);
        return;
      }
      l.transfer(from, to, value);
      if (to === ZERO || to === DEAD) {
        // burned FET valued at the event (core/supply.ts recordTransfer)
        const usd = this.host.usd(c.FetToken, value);
        if (usd === null) l.f.burnedUnpriced += value;
        else l.f.burnedUsd += usd;
      }
      return;
    }
    if (addr === c.MultiPartyEscrowAGIX || addr === c.MultiPartyEscrowFET) {
      this.onEscrowLog(addr, log);
      return;
    }
    if (addr === c.TokenStake) {
      this.onStakeLog(log);
      return;
    }
    if (addr === c.AsiMigration) {
      const e = decode(MIGRATION_ABI as Abi, log);
      if (e?.eventName === "Migrated") l.f.mintedMigration += e.args.fetAmount as bigint;
    }
  }

  private onEscrowLog(mpe: string, log: ChainLog): void {
    const e = decode(MPE_ABI, log);
    if (!e) return;
    const a = e.args as Record<string, unknown>;
    const l = this.ledger;
    const asset = this.tokenOf(mpe);
    // fees and funding in FET units: the AGIX escrow's amounts at the migration's fixed rate
    const inFet = (x: bigint) => (mpe === this.c.MultiPartyEscrowAGIX ? x * AGIX_TO_FET : x);
    const balances = this.mpeBalances.get(mpe) as Map<string, bigint>;
    const move = (who: string, d: bigint) => {
      const v = (balances.get(who) ?? 0n) + d;
      if (v < 0n) throw new Error(`singularitynet: negative escrow balance for ${who} at ${mpe}`);
      balances.set(who, v);
    };
    const key = (id: unknown) => `${mpe}:${id as bigint}`;
    switch (e.eventName) {
      case "DepositFunds":
        move(lc(a.sender as string), a.amount as bigint);
        return;
      case "WithdrawFunds":
        move(lc(a.sender as string), -(a.amount as bigint));
        return;
      case "TransferFunds":
        move(lc(a.sender as string), -(a.amount as bigint));
        move(lc(a.receiver as string), a.amount as bigint);
        return;
      case "ChannelOpen": {
        const sender = lc(a.sender as string);
        const amount = a.amount as bigint;
        move(sender, -amount); // the simulated senders open their own channels (msg.sender = sender)
        this.channels.set(key(a.channelId), {
          mpe,
          id: a.channelId as bigint,
          sender,
          recipient: lc(a.recipient as string),
          value: amount,
          nonce: a.nonce as bigint,
          expiration: a.expiration as bigint,
          signed: 0n,
          abandoned: false,
        });
        l.f.depositsFunded += inFet(amount);
        return;
      }
      case "ChannelAddFunds": {
        const ch = this.channels.get(key(a.channelId));
        if (!ch) throw new Error(`singularitynet: ChannelAddFunds for unknown channel ${a.channelId}`);
        const amount = a.additionalFunds as bigint;
        move(ch.sender, -amount); // the simulated senders fund their own channels
        ch.value += amount;
        l.f.depositsFunded += inFet(amount);
        return;
      }
      case "ChannelExtend": {
        const ch = this.channels.get(key(a.channelId));
        if (ch) ch.expiration = a.newExpiration as bigint;
        return;
      }
      case "ChannelClaim": {
        const ch = this.channels.get(key(a.channelId));
        if (!ch) throw new Error(`singularitynet: ChannelClaim for unknown channel ${a.channelId}`);
        const claim = a.claimAmount as bigint;
        const keep = a.keepAmount as bigint;
        const refund = ch.value - claim - keep; // send-back: the rest returns to the sender's escrow balance
        move(lc(a.recipient as string), claim);
        if (refund > 0n) move(ch.sender, refund);
        ch.value = keep;
        ch.nonce = a.nonce as bigint;
        // a fee paid by the channel's sender, valued at the event in the escrow's token (core/fees.ts)
        const fet = inFet(claim);
        l.fee(ch.sender, fet, 0n, 0n);
        this.fees += fet;
        const usd = this.host.usd(asset, claim);
        const taxUsd = this.host.usd(asset, 0n);
        if (usd === null || taxUsd === null) l.f.feesUnpriced += fet;
        else l.f.feesUsd += usd;
        return;
      }
      case "ChannelSenderClaim": {
        // a refund to the sender, not a fee (the event's claimAmount is read after the channel was emptied)
        const ch = this.channels.get(key(a.channelId));
        if (!ch) throw new Error(`singularitynet: ChannelSenderClaim for unknown channel ${a.channelId}`);
        move(ch.sender, ch.value);
        ch.value = 0n;
        ch.nonce = a.nonce as bigint;
        ch.expiration = 0n;
        ch.signed = 0n;
        return;
      }
    }
  }

  private onStakeLog(log: ChainLog): void {
    const e = decode(STAKE_ABI, log);
    if (e) this.staking.onLog(e);
  }

  afterBlock(ts: number): void {
    this.busy.clear();
    for (const a of this.approving) this.ready.add(a);
    this.approving = [];
    this.ledger.snapshot(ts);
  }

  progress(): string {
    const fmt = (x: bigint) => (x / FET).toLocaleString("en-US");
    return `FET supply ${fmt(this.ledger.supply)}, SNET fees ${fmt(this.fees)} FET, staked ${fmt(this.ledger.staked)}`;
  }

  truth(): EconomyTruth {
    return {
      ledger: this.ledger,
      token: { address: this.c.FetToken, symbol: "FET", decimals: 18 },
      feeAsset: this.c.FetToken,
    };
  }
}

function decode(abi: Abi, log: ChainLog): { eventName: string; args: Record<string, unknown> } | null {
  try {
    const e = decodeEventLog({ abi, data: log.data, topics: log.topics as [Hex, ...Hex[]] });
    return { eventName: String(e.eventName), args: (e.args ?? {}) as Record<string, unknown> };
  } catch {
    return null; // an event this economy does not read (Approval, the escrow's own ABI has no others)
  }
}

export default function createEconomy(): Economy {
  return new SingularityNetEconomy();
}
