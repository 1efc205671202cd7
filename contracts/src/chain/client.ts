/**
 * One connection to a local anvil for the real Graph contracts: sends transactions from any address (anvil
 * impersonation, so actors need no private key), waits for receipts, deploys bytecode, mines blocks.
 * Every failure names the action, its sender and the revert reason.
 */
import {
  type Abi,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  encodeDeployData,
  getAddress,
  type Hex,
  http,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";

/** A call to send: who sends it, to which contract, the calldata, and a label for errors and logs. */
export interface TxRequest {
  from: Address;
  to: Address;
  data: Hex;
  label: string;
}

const reason = (e: unknown): string => {
  const err = e as { shortMessage?: string; details?: string; message?: string };
  return [err.shortMessage, err.details].filter(Boolean).join(": ") || String(err.message ?? e);
};

/**
 * Gas is estimated against the pending block: estimated against "latest" (viem's default), a function that
 * stores `block.number` (Staking._setDelegationParameters, right after a first stake in the previous block)
 * looks like a no-op write (38,896 gas instead of 41,741) and the transaction then runs out of gas. A quarter
 * more covers what still differs between the estimate and the mined block.
 */
const estimateGas = (client: PublicClient, account: Address, to: Address | undefined, data: Hex) =>
  client
    .estimateGas({ account, ...(to ? { to } : {}), data, blockTag: "pending" })
    .then((gas) => (gas * 5n) / 4n + 20_000n);

export class ChainClient {
  private readonly impersonated = new Set<string>();

  private constructor(
    readonly rpcUrl: string,
    readonly client: PublicClient,
    private readonly wallet: WalletClient,
    private readonly chain: Chain,
  ) {}

  static async connect(rpcUrl: string, network = "local"): Promise<ChainClient> {
    // anvil_mine of thousands of blocks takes seconds to minutes (the cost per block grows with the chain)
    const transport = http(rpcUrl, { timeout: 300_000 });
    const probe = createPublicClient({ transport });
    let id: number;
    try {
      id = await probe.getChainId();
    } catch (e) {
      throw new Error(`cannot reach the chain at ${rpcUrl}: ${reason(e)}`);
    }
    const chain: Chain = {
      id,
      name: network,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    };
    const client = createPublicClient({ chain, transport, pollingInterval: 20 }) as PublicClient;
    const wallet = createWalletClient({ chain, transport });
    return new ChainClient(rpcUrl, client, wallet, chain);
  }

  /** A raw JSON-RPC request (anvil_* methods). */
  async rpc<T>(method: string, params: unknown[] = []): Promise<T> {
    return (await this.client.request({ method: method as never, params: params as never })) as T;
  }

  private async impersonate(address: Address): Promise<void> {
    const key = address.toLowerCase();
    if (this.impersonated.has(key)) return;
    await this.rpc("anvil_impersonateAccount", [address]);
    this.impersonated.add(key);
  }

  /** Gives `address` at least `wei` of ETH for gas (anvil_setBalance). */
  async ensureEth(address: Address, wei = 10n ** 21n): Promise<void> {
    const balance = await this.client.getBalance({ address });
    if (balance < wei) await this.rpc("anvil_setBalance", [address, `0x${wei.toString(16)}`]);
  }

  /** Sends the transaction and returns its hash (mined later if automine is off). */
  async submit(tx: TxRequest): Promise<Hex> {
    await this.impersonate(tx.from);
    try {
      const gas = await estimateGas(this.client, tx.from, tx.to, tx.data);
      return await this.wallet.sendTransaction({
        account: tx.from,
        chain: this.chain,
        to: tx.to,
        data: tx.data,
        gas,
      });
    } catch (e) {
      throw new Error(`${tx.label} from ${tx.from} to ${tx.to} failed: ${reason(e)}`);
    }
  }

  async receipt(hash: Hex, label: string): Promise<TransactionReceipt> {
    const receipt = await this.client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    if (receipt.status !== "success") throw new Error(`${label}: transaction ${hash} reverted`);
    return receipt;
  }

  /** Sends, waits for the receipt (automine), throws on a revert. */
  async send(tx: TxRequest): Promise<TransactionReceipt> {
    return this.receipt(await this.submit(tx), tx.label);
  }

  /** Deploys creation bytecode with constructor arguments; returns the address and the deployment block. */
  async deploy(
    from: Address,
    label: string,
    abi: Abi,
    bytecode: Hex,
    args: readonly unknown[] = [],
  ): Promise<{ address: Address; startBlock: number }> {
    await this.impersonate(from);
    let hash: Hex;
    try {
      const data = encodeDeployData({ abi, bytecode, args });
      const gas = await estimateGas(this.client, from, undefined, data);
      hash = await this.wallet.sendTransaction({ account: from, chain: this.chain, data, gas });
    } catch (e) {
      throw new Error(`deploying ${label} from ${from} failed: ${reason(e)}`);
    }
    const receipt = await this.receipt(hash, `deploying ${label}`);
    if (!receipt.contractAddress)
      throw new Error(`deploying ${label}: receipt ${hash} has no contract address`);
    return { address: getAddress(receipt.contractAddress), startBlock: Number(receipt.blockNumber) };
  }

  async blockNumber(): Promise<bigint> {
    return this.client.getBlockNumber({ cacheTime: 0 });
  }

  /** Mines `blocks` empty blocks (anvil_mine). */
  async mine(blocks: bigint): Promise<void> {
    if (blocks < 0n) throw new Error(`mine: ${blocks} blocks, expected ≥ 0`);
    if (blocks > 0n) await this.rpc("anvil_mine", [`0x${blocks.toString(16)}`]);
  }
}
