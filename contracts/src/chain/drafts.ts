/**
 * The transactions of the block being drafted, in order: accounts' own transactions (impersonated on anvil) and
 * SimHub transactions, each batching the emitter calls of a few actions of one lane (an economy, or the host: the
 * SimHub executes many calls in one transaction, as a real protocol's transaction emits many events). A call joins
 * its lane's open SimHub transaction only while that is the block's last transaction, so the logs come in the
 * order the actions were drafted whatever other lanes draft. How many actions share a SimHub transaction is drawn
 * from the lane's own stream, so batching never changes any economy's draws. Protocol-free.
 */
import { type Abi, encodeFunctionData, type Hex } from "viem";
import { type Rng, rngFromSeed } from "../rng.js";
import type { DraftTx } from "./miner.js";

interface TxDraft {
  targets: Hex[];
  datas: Hex[];
  /** Logs expected from the calls (null: not counted in advance, e.g. real-token calls). */
  logs: number | null;
  actions: number;
  cap: number;
  /** Set for an account's own transaction (sent from it, impersonated). */
  direct?: { from: string; to: Hex; data: Hex; label: string };
}

/** One lane of batched calls: its open SimHub transaction and its batch sizes' stream. */
interface Lane {
  tx: TxDraft | null;
  readonly batchRng: Rng;
}

export class BlockDrafts {
  private planned: TxDraft[] = [];
  private readonly lanes = new Map<string, Lane>();

  /**
   * `hub`: the SimHub (null where none is deployed: a batched call is then an error), `from`: the account that
   * sends the SimHub transactions (its owner), `batchSeed(lane)`: the seed of a lane's batch sizes.
   */
  constructor(
    private readonly hub: { address: Hex; abi: Abi } | null,
    private readonly from: string,
    private readonly batchSeed: (lane: string) => string,
  ) {}

  private lane(name: string): Lane {
    let l = this.lanes.get(name);
    if (!l) {
      l = { tx: null, batchRng: rngFromSeed(this.batchSeed(name)) };
      this.lanes.set(name, l);
    }
    return l;
  }

  private open(l: Lane): TxDraft {
    if (!this.hub) throw new Error("no SimHub on this chain: an economy's batched calls cannot be sent here");
    const tx: TxDraft = { targets: [], datas: [], logs: 0, actions: 1, cap: l.batchRng.int(1, 5) };
    l.tx = tx;
    this.planned.push(tx);
    return tx;
  }

  /** The lane's open SimHub transaction while nothing was drafted after it. */
  private current(l: Lane): TxDraft | null {
    return l.tx && this.planned[this.planned.length - 1] === l.tx ? l.tx : null;
  }

  /** Appends a call to the lane's current SimHub transaction (logs: expected count, or null). */
  call(lane: string, to: Hex, abi: Abi, functionName: string, args: unknown[], logs: number | null): void {
    const l = this.lane(lane);
    const tx = this.current(l) ?? this.open(l);
    tx.targets.push(to);
    tx.datas.push(encodeFunctionData({ abi, functionName, args }));
    tx.logs = tx.logs === null || logs === null ? null : tx.logs + logs;
  }

  /** Starts an action of the lane: its calls go to a new SimHub transaction when the current one is full. */
  beginAction(lane: string): void {
    const l = this.lane(lane);
    const tx = this.current(l);
    if (tx && tx.actions < tx.cap) tx.actions++;
    else l.tx = null;
  }

  /** Ends the lane's current SimHub transaction: its next call starts a new one. */
  close(lane: string): void {
    this.lane(lane).tx = null;
  }

  /** An account's own transaction, after everything drafted so far in the block. */
  direct(from: string, to: Hex, abi: Abi, functionName: string, args: unknown[], label: string): void {
    const data = encodeFunctionData({ abi, functionName, args });
    this.planned.push({
      targets: [],
      datas: [],
      logs: null,
      actions: 1,
      cap: 1,
      direct: { from: from.toLowerCase(), to, data, label },
    });
  }

  /** Transactions drafted so far: the next one's index in the block. */
  get count(): number {
    return this.planned.length;
  }

  /** The block's transactions for the miner. */
  txs(): DraftTx[] {
    return this.planned.map((t) => {
      if (t.direct)
        return {
          from: t.direct.from,
          to: t.direct.to,
          data: t.direct.data,
          what: `${t.direct.label} from ${t.direct.from}`,
          logs: t.logs,
        };
      const hub = this.hub as { address: Hex; abi: Abi };
      return {
        from: this.from.toLowerCase(),
        to: hub.address,
        data: encodeFunctionData({ abi: hub.abi, functionName: "exec", args: [t.targets, t.datas] }),
        what: "SimHub.exec",
        logs: t.logs,
      };
    });
  }

  /** After the block is mined: a new block starts with no transaction and no open batch. */
  reset(): void {
    this.planned = [];
    for (const l of this.lanes.values()) l.tx = null;
  }
}
