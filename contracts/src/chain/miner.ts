/**
 * Sends a block's drafted transactions and mines them at a chosen timestamp on anvil (automine off), then checks
 * every receipt: mined in this block at its drafted position (anvil orders a block's transactions first in, first
 * out: stack/src/anvil.ts `--order fifo`), successful, with the expected number of logs where known. Protocol-free:
 * the main simulator (contracts/src/simulate.ts) and the second-network host (contracts/src/network.ts) both mine
 * with it.
 */
import { type Hex, numberToHex } from "viem";
import type { Rpc } from "../rpc.js";

/** Gas limit of every simulated transaction (the block gas limit is raised during the run). */
export const TX_GAS = 8_000_000;

/** A transaction drafted for the block being built. */
export interface DraftTx {
  /** Sender, lowercase (impersonated and funded with ETH the first time). */
  from: string;
  to: Hex;
  data: Hex;
  /** What errors call it, e.g. "MOR.transfer from 0x…". */
  what: string;
  /** Logs the drafter expects (null: not counted in advance). */
  logs: number | null;
}

/** A log of a mined receipt. */
export interface RawLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
}

export class BlockMiner {
  /** Number of the block the next mine() produces. */
  nextBlock = 0;
  /** Timestamp of the latest block. */
  lastTs = 0;
  /** Blocks and logs mined through this miner. */
  blocks = 0;
  events = 0;
  private readonly nonces = new Map<string, number>();
  private readonly impersonated = new Set<string>();
  private savedGasLimit: Hex = "0x1c9c380";
  private savedAutomine = true;

  /** `from`: the account that sends the host's own transactions (anvil account 0), impersonated. */
  constructor(
    readonly rpc: Rpc,
    readonly from: Hex,
  ) {}

  /**
   * Reads the head, raises the block gas limit and turns automine off (restore() undoes both); again before
   * wall-clock blocks (chain/realtime.ts) after a history's restore.
   */
  async prepare(): Promise<void> {
    const [head, nonce, automine] = await this.rpc.batch<unknown>([
      { method: "eth_getBlockByNumber", params: ["latest", false] },
      { method: "eth_getTransactionCount", params: [this.from, "pending"] },
      { method: "anvil_getAutomine", params: [] },
    ]);
    const h = head as { number: Hex; timestamp: Hex; gasLimit: Hex };
    this.nextBlock = Number(h.number) + 1;
    this.lastTs = Number(h.timestamp);
    this.nonces.set(this.from.toLowerCase(), Number(nonce as Hex));
    this.savedGasLimit = h.gasLimit;
    this.savedAutomine = automine as boolean;
    await this.rpc.batch([
      { method: "anvil_impersonateAccount", params: [this.from] },
      { method: "evm_setBlockGasLimit", params: [numberToHex(1_000_000_000)] },
      { method: "evm_setAutomine", params: [false] },
    ]);
  }

  async restore(): Promise<void> {
    await this.rpc.batch([
      { method: "evm_setBlockGasLimit", params: [this.savedGasLimit] },
      { method: "evm_setAutomine", params: [this.savedAutomine] },
    ]);
  }

  /**
   * Sends `txs` in order (one request each: anvil answers a JSON-RPC batch concurrently, so a batch's
   * transactions can reach its first-in-first-out pool out of order), mines one block at `ts`, checks every
   * receipt and hands each transaction's logs to `onReceipt` in block order; `onMined` runs after the last
   * receipt, while nextBlock is still the block just mined.
   */
  async mine(
    ts: number,
    txs: DraftTx[],
    onReceipt: (txIndex: number, logs: RawLog[]) => void,
    onMined?: () => void,
  ): Promise<void> {
    if (ts <= this.lastTs)
      throw new Error(`block timestamp ${ts} not after the previous block (${this.lastTs})`);
    const setup: { method: string; params: unknown[] }[] = [];
    const reqs: { method: string; params: unknown[] }[] = [];
    const nextNonce = async (from: string): Promise<number> => {
      let n = this.nonces.get(from);
      if (n === undefined) {
        n = Number(await this.rpc.call<Hex>("eth_getTransactionCount", [from, "pending"]));
      }
      this.nonces.set(from, n + 1);
      return n;
    };
    for (const t of txs) {
      if (!this.impersonated.has(t.from)) {
        this.impersonated.add(t.from);
        setup.push({ method: "anvil_impersonateAccount", params: [t.from] });
        setup.push({ method: "anvil_setBalance", params: [t.from, numberToHex(10n ** 24n)] });
      }
      reqs.push({
        method: "eth_sendTransaction",
        params: [
          {
            from: t.from,
            to: t.to,
            data: t.data,
            gas: numberToHex(TX_GAS),
            nonce: numberToHex(await nextNonce(t.from)),
          },
        ],
      });
    }
    if (setup.length > 0) await this.rpc.batch(setup);
    const hashes: Hex[] = [];
    for (const r of reqs) hashes.push(await this.rpc.call<Hex>(r.method, r.params));
    await this.rpc.batch([
      { method: "evm_setNextBlockTimestamp", params: [ts] },
      { method: "evm_mine", params: [] },
    ]);
    const receipts =
      hashes.length > 0
        ? await this.rpc.batch<{
            status: Hex;
            blockNumber: Hex;
            transactionIndex: Hex;
            logs: RawLog[];
          } | null>(hashes.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })))
        : [];
    receipts.forEach((r, i) => {
      const t = txs[i] as DraftTx;
      if (!r) throw new Error(`${t.what}: transaction ${hashes[i]} was not mined`);
      if (Number(r.blockNumber) !== this.nextBlock || Number(r.transactionIndex) !== i)
        throw new Error(
          `${t.what}: mined in block ${Number(r.blockNumber)} at ${Number(r.transactionIndex)}, expected block ${this.nextBlock} at ${i}`,
        );
      if (r.status !== "0x1")
        throw new Error(`${t.what}: transaction ${hashes[i]} reverted (block ${this.nextBlock})`);
      if (t.logs !== null && r.logs.length !== t.logs)
        throw new Error(`${t.what}: ${r.logs.length} logs, the ledger expected ${t.logs}`);
      this.events += r.logs.length;
      onReceipt(i, r.logs);
    });
    onMined?.();
    this.nextBlock++;
    this.blocks++;
    this.lastTs = ts;
  }
}
