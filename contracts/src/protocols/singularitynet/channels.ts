/**
 * SingularityNET's payment-channel actions on the real MultiPartyEscrow (docs/protocols/singularitynet.md): payers
 * open, fund, extend and stop using channels and sign for usage off-chain; providers claim in lumps and cash out;
 * payers take back what expired channels hold; AGIX holders migrate to FET; FET changes hands. Each is the acting
 * account's own transaction, at most one per actor and channel in a block.
 */
import { type Abi, encodePacked, getAddress, keccak256, parseSignature, toHex } from "viem";
import { MIGRATION_ABI, MPE_ABI, TOKEN_ABI } from "./contracts.js";
import { type Channel, type Sender, SnetState } from "./state.js";

export abstract class SnetChannels extends SnetState {
  /**
   * A payer with no funded channel on the escrow opens one (depositAndOpenChannel, or deposit + openChannel),
   * or refills an emptied one (deposit + channelExtendAndAddFunds); with a channel running low it adds funds;
   * otherwise it may extend its channel or stop using it.
   */
  protected payerChannel(p: Sender, mpe: string): void {
    const a = p.address;
    if (!this.claimSlot(`a:${a}`)) return;
    const r = this.rng;
    const mine = [...this.channels.values()].filter(
      (ch) => ch.mpe === mpe && ch.sender === a && !ch.abandoned,
    );
    const live = mine.filter((ch) => ch.value > 0n);
    const unit = this.unit(mpe);
    const bal = this.tokenBalance(mpe, a);
    const want = this.amount(100, 2_000, unit);
    let value = want;
    if (bal < value) value = bal;
    const M = MPE_ABI;
    if (live.length === 0) {
      if (value < 10n * unit) return;
      const empty = mine.find((ch) => !this.busy.has(`c:${ch.mpe}:${ch.id}`));
      if (empty && r.next() < 0.5) {
        this.busy.add(`c:${empty.mpe}:${empty.id}`);
        const exp = this.maxBig(empty.expiration, this.expiration());
        this.send(a, mpe, M, "deposit", [value], "MPE.deposit");
        this.send(
          a,
          mpe,
          M,
          "channelExtendAndAddFunds",
          [empty.id, exp, value],
          "MPE.channelExtendAndAddFunds",
        );
        return;
      }
      const recipient = r.pick(this.providers);
      const groupId = keccak256(toHex(`group ${recipient} ${r.int(0, 1_000_000)}`));
      if (r.next() < 0.7)
        this.send(
          a,
          mpe,
          M,
          "depositAndOpenChannel",
          [a, recipient, groupId, value, this.expiration()],
          "MPE.depositAndOpenChannel",
        );
      else {
        this.send(a, mpe, M, "deposit", [value], "MPE.deposit");
        this.send(
          a,
          mpe,
          M,
          "openChannel",
          [a, recipient, groupId, value, this.expiration()],
          "MPE.openChannel",
        );
      }
      return;
    }
    const ch = live[0] as Channel;
    const key = `c:${ch.mpe}:${ch.id}`;
    if (this.busy.has(key)) return;
    if (ch.value - ch.signed < ch.value / 4n && value >= unit) {
      this.busy.add(key);
      this.send(a, mpe, M, "deposit", [value], "MPE.deposit");
      if (r.next() < 0.5) this.send(a, mpe, M, "channelAddFunds", [ch.id, value], "MPE.channelAddFunds");
      else {
        const exp = this.maxBig(ch.expiration, this.expiration());
        this.send(a, mpe, M, "channelExtendAndAddFunds", [ch.id, exp, value], "MPE.channelExtendAndAddFunds");
      }
    } else if (r.next() < 0.2) {
      this.busy.add(key);
      this.send(
        a,
        mpe,
        M,
        "channelExtend",
        [ch.id, this.maxBig(ch.expiration, this.expiration())],
        "MPE.channelExtend",
      );
    } else if (r.next() < 0.08) ch.abandoned = true;
  }

  protected maxBig(a: bigint, b: bigint): bigint {
    return a > b ? a : b;
  }

  /** Off-chain usage: senders sign for more of their channels' value (no transaction). */
  protected accrueUsage(legacy: boolean): void {
    for (const ch of this.channels.values()) {
      if (ch.abandoned || ch.value <= ch.signed || this.busy.has(`c:${ch.mpe}:${ch.id}`)) continue;
      if (legacy && ch.mpe === this.c.MultiPartyEscrowAGIX) continue; // the legacy escrow serves no new calls
      if (this.rng.next() < 0.4) continue;
      const room = ch.value - ch.signed;
      ch.signed += (room * BigInt(this.rng.int(5, 45))) / 100n;
    }
  }

  /**
   * A provider claims what was signed on its channels (channelClaim, the sender's signature over the escrow,
   * the channel id, its nonce and the planned amount), some with send-back; after the migration it claims all of
   * its legacy channels with send-back (the dev portal's "claim all").
   */
  protected async providerClaims(v: string, legacy: boolean): Promise<void> {
    if (!this.claimSlot(`a:${v}`)) return;
    for (const ch of this.channels.values()) {
      if (ch.recipient !== v || ch.signed === 0n) continue;
      const key = `c:${ch.mpe}:${ch.id}`;
      if (this.busy.has(key)) continue;
      const sender = this.payers.find((p) => p.address === ch.sender);
      if (!sender) throw new Error(`singularitynet: channel ${ch.id} has an unknown sender ${ch.sender}`);
      this.busy.add(key);
      const planned = ch.signed;
      const message = keccak256(
        encodePacked(
          ["string", "address", "uint256", "uint256", "uint256"],
          ["__MPE_claim_message", getAddress(ch.mpe), ch.id, ch.nonce, planned],
        ),
      );
      const sig = parseSignature(await sender.key.signMessage({ message: { raw: message } }));
      const sendBack =
        ch.abandoned || (legacy && ch.mpe === this.c.MultiPartyEscrowAGIX) || this.rng.next() < 0.2;
      this.send(
        v,
        ch.mpe,
        MPE_ABI,
        "channelClaim",
        [ch.id, planned, planned, Number(sig.v), sig.r, sig.s, sendBack],
        "MPE.channelClaim",
      );
      ch.signed = 0n;
    }
  }

  /**
   * A payer takes back what it no longer uses: the value of an abandoned (or, after the migration, legacy)
   * channel once expired (channelClaimTimeout), or its escrow balance (withdraw).
   */
  protected payerSettle(p: Sender, legacy: boolean): void {
    const a = p.address;
    if (!this.claimSlot(`a:${a}`)) return;
    if (legacy)
      for (const ch of this.channels.values())
        if (ch.sender === a && ch.mpe === this.c.MultiPartyEscrowAGIX) ch.abandoned = true;
    for (const ch of this.channels.values()) {
      if (ch.sender !== a || !ch.abandoned || ch.value === 0n) continue;
      if (this.lowBlock() + 1n < ch.expiration) continue;
      const key = `c:${ch.mpe}:${ch.id}`;
      if (this.busy.has(key)) continue;
      this.busy.add(key);
      this.send(a, ch.mpe, MPE_ABI, "channelClaimTimeout", [ch.id], "MPE.channelClaimTimeout");
      return;
    }
    for (const mpe of [this.c.MultiPartyEscrowAGIX, this.c.MultiPartyEscrowFET]) {
      const b = this.mpeBalance(mpe, a);
      if (b > 0n) {
        this.send(a, mpe, MPE_ABI, "withdraw", [b], "MPE.withdraw");
        return;
      }
    }
  }

  /** A provider withdraws its claimed escrow balance, or now and then moves part of it to another provider. */
  protected providerCashOut(v: string): void {
    if (!this.claimSlot(`a:${v}`)) return;
    for (const mpe of [this.c.MultiPartyEscrowAGIX, this.c.MultiPartyEscrowFET]) {
      const b = this.mpeBalance(mpe, v);
      if (b === 0n) continue;
      if (this.rng.next() < 0.1) {
        const to = this.rng.pick(this.providers.filter((x) => x !== v));
        this.send(v, mpe, MPE_ABI, "transfer", [to, b / 2n], "MPE.transfer");
      } else this.send(v, mpe, MPE_ABI, "withdraw", [b], "MPE.withdraw");
      return;
    }
  }

  /** An AGIX holder migrates all or half of its AGIX to FET. */
  protected migrate(a: string): void {
    const bal = this.agix.get(a) ?? 0n;
    if (bal === 0n || !this.claimSlot(`a:${a}`)) return;
    const amt = this.rng.next() < 0.7 ? bal : bal / 2n;
    if (amt === 0n) return;
    this.send(a, this.c.AsiMigration, MIGRATION_ABI as Abi, "migrate", [amt], "AsiMigration.migrate");
  }

  /** A FET transfer between two holders (payers and stakers). */
  protected fetTransfer(): void {
    const all = [...this.payers.map((p) => p.address), ...this.stakers];
    const from = this.rng.pick(all);
    const to = this.rng.pick(all.filter((x) => x !== from));
    const bal = this.ledger.balanceOf(from);
    if (bal === 0n || !this.claimSlot(`a:${from}`)) return;
    const amt = (bal * BigInt(this.rng.int(1, 20))) / 100n;
    if (amt === 0n) return;
    this.send(from, this.c.FetToken, TOKEN_ABI as Abi, "transfer", [to, amt], "FET.transfer");
  }
}
