/**
 * Livepeer's simulated economy, its state and the primitives its actions share: the actors, the round's state, the
 * emitter calls (in the economy's SimHub transactions) and the LPT moves (booked at draft time, the amounts being
 * the simulator's). The protocol's actions are in actions.ts; economy.ts is the unit the host registers.
 */
import type { Abi, Address } from "viem";
import { drawTransfers } from "../../chain/transfers.js";
import { type ProtocolLedger, ZERO } from "../../ledger.js";
import type { Rng } from "../../rng.js";
import type { SimHost } from "../types.js";
import { BONDING_MANAGER_ABI, LPT_ABI, MINTER_ABI, ROUNDS_MANAGER_ABI, TICKET_BROKER_ABI } from "./abi.js";
import type { LivepeerContract } from "./params.js";
import type { PoolSim } from "./pool.js";

export const E18 = 10n ** 18n;
export const DEAD = "0x000000000000000000000000000000000000dead";
export const lc = (v: unknown): string => String(v).toLowerCase();

export type Addr = string;

export interface LpDelegator {
  addr: Addr;
  delegate: Addr | null;
  bonded: bigint;
  pending: bigint;
  lastClaimRound: number;
  locks: Map<number, { amount: bigint; withdrawRound: number }>;
  nextLockId: number;
  joinDay: number;
}

export const ABIS: Record<LivepeerContract, Abi> = {
  LivepeerToken: LPT_ABI,
  BondingManager: BONDING_MANAGER_ABI,
  Minter: MINTER_ABI,
  RoundsManager: ROUNDS_MANAGER_ABI,
  TicketBroker: TICKET_BROKER_ABI,
};

export abstract class LivepeerState {
  protected host!: SimHost;
  protected rng!: Rng;
  /** Its price source: the LPT/WETH pool and its path. */
  protected pool!: PoolSim;
  /** New holder accounts so far. */
  protected newHolders = 0;
  protected addr!: Record<LivepeerContract, Address>;
  /** Emitter ABIs by address (lowercase), for the receipts. */
  protected readonly logAbis = new Map<string, Abi>();
  protected lp!: ProtocolLedger;
  protected days = 0;

  // actors
  protected lpOrchs: Addr[] = [];
  protected readonly lpDels = new Map<Addr, LpDelegator>();
  protected lpDelegators: LpDelegator[] = [];
  protected broadcasters: { addr: Addr; weight: number; joinDay: number; nonce: number }[] = [];
  protected lpHolders: Addr[] = [];
  protected lpExchange: Addr = ZERO;
  protected treasury: Addr = ZERO;
  protected lpFinder: Addr = ZERO;

  // protocol state
  protected round = 3000;
  // Minter inflation per round (of 1e9). The real ≈0.061% a round over ≈417 rounds a year is ≈25.6% a year; one
  // simulated round a day needs ≈0.074% for the same yearly figure (docs/simulator.md, "Calibration").
  protected inflation = 740_000n;
  protected mintable = 0n;
  protected roundStake = new Map<Addr, bigint>();
  protected roundTotal = 0n;
  protected rewardedThisRound = new Set<Addr>();
  /** The day (SimHost.day) of the latest round. */
  protected roundDay = 0;
  protected readonly rewardCut = new Map<Addr, bigint>();

  // schedule
  protected treasuryStartDay = 0;
  protected lpSlashDay = 0;

  protected newLpDel(addr: Addr, joinDay: number): LpDelegator {
    return {
      addr,
      delegate: null,
      bonded: 0n,
      pending: 0n,
      lastClaimRound: 0,
      locks: new Map(),
      nextLockId: 0,
      joinDay,
    };
  }

  protected a(name: LivepeerContract): Addr {
    return this.addr[name].toLowerCase();
  }

  protected call(name: LivepeerContract, functionName: string, args: unknown[], logs: number | null): void {
    this.host.call(this.addr[name], ABIS[name], functionName, args, logs);
  }

  // -------------------------------------------------------------------------------------------------
  // Token helpers (ledger + log count)

  /** Funds an account from the exchange (a plain transfer) when its balance is short. */
  protected topUp(account: Addr, need: bigint, chunk: bigint): void {
    const l = this.lp;
    if (l.balanceOf(account) >= need) return;
    const amount = need - l.balanceOf(account) + chunk;
    // the exchange buys from the treasury wallet
    if (l.balanceOf(this.lpExchange) < amount) this.mintTo(this.lpExchange, amount * 2n);
    this.tokenTransfers([[this.lpExchange, account, amount]]);
  }

  protected tokenTransfers(list: [Addr, Addr, bigint][]): void {
    if (list.length === 0) return;
    for (const [f, t, v] of list) this.lp.transfer(f, t, v);
    if (list.length === 1) {
      const [f, t, v] = list[0] as [Addr, Addr, bigint];
      this.call("LivepeerToken", "forceTransfer", [f, t, v], 1);
    } else {
      this.call(
        "LivepeerToken",
        "batchTransfer",
        [list.map((x) => x[0]), list.map((x) => x[1]), list.map((x) => x[2])],
        list.length,
      );
    }
  }

  protected mintTo(to: Addr, amount: bigint): void {
    this.lp.transfer(ZERO, to, amount);
    this.call("LivepeerToken", "mint", [to, amount], 2); // Transfer + Mint
  }

  protected randomTransfers(n: number): void {
    const r = this.rng;
    const l = this.lp;
    const exchange = this.lpExchange;
    const holders = this.lpHolders;
    const others = [...this.lpDelegators.map((x) => x.addr), ...this.lpOrchs];
    const list = drawTransfers(r, n, {
      exchange,
      holders,
      others,
      balanceOf: (a) => l.balanceOf(a),
      newHolder: () => this.host.account(`lp-new-holder-${this.newHolders++}`).toLowerCase(),
    });
    if (list.length === 0) this.zeroTransfer();
    else this.tokenTransfers(list);
  }

  protected zeroTransfer(): void {
    this.tokenTransfers([[this.lpExchange, this.lpHolders[0] as Addr, 0n]]);
  }
}
