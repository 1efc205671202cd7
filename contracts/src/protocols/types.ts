/**
 * A protocol's simulated economy as one unit (docs/adding-a-protocol.md): it deploys its contracts on the local
 * chain, plans each simulated day's actions as the acting accounts' own transactions, and keeps its ledger from
 * the decoded receipts of every block. The simulator (contracts/src/simulate.ts) is the host: it owns the chain
 * (block times, mining, receipts, prices) and calls every registered economy (contracts/src/protocols/index.ts).
 */
import type { Abi, Address, Hex } from "viem";
import type { CompiledContract } from "../compile.js";
import type { ProtocolLedger } from "../ledger.js";
import type { Rng } from "../rng.js";

/** A contract of a deployment: address and the block it was deployed in (subgraph startBlock). */
export interface DeployedContract {
  address: Address;
  startBlock: number;
}

/** What an economy's deploy step may use (anvil, automine on, anvil account 0 as `owner`). */
export interface Deployer {
  readonly rpcUrl: string;
  readonly network: string;
  /**
   * true on the stack's main local chain (where Livepeer and The Graph run, standing in for Arbitrum One); false
   * on a second local network (standing in for another chain a protocol also lives on, e.g. Base).
   */
  readonly primary: boolean;
  /** anvil account 0: deploys, and owns what has an owner. */
  readonly owner: Address;
  /** Contracts compiled from contracts/sol/ (and contracts/sol/<slug>/), by contract name. */
  compiled(name: string): CompiledContract;
  /** Deploys bytecode (constructor args encoded with the abi) from `from`; the block it landed in. */
  deploy(from: Address, label: string, abi: Abi, bytecode: Hex, args?: unknown[]): Promise<DeployedContract>;
  /** Sends a call from any account (impersonated, funded); throws with the label on revert. */
  send(
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args: unknown[],
    label: string,
  ): Promise<void>;
  /** eth_call. */
  read<T>(to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<T>;
}

/** One log of a mined receipt, in block order. */
export interface ChainLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  /** Position of its transaction in the block. */
  txIndex: number;
}

/** What the host offers an economy while it simulates. */
export interface SimHost {
  readonly days: number;
  /**
   * false on a second local network (Deployer.primary false: the economy's deploy returned its section there);
   * true, or absent, on the main local chain.
   */
  readonly primary?: boolean;
  /** Unix time of 00:00 UTC of day 0. */
  readonly startTime: number;
  /** Timestamp of the block being drafted (or of the log being applied, in onLog). */
  now(): number;
  /** Simulated day index of now(). */
  day(): number;
  /** A random stream of its own for this economy (seeded by the run's seed and the economy's slug). */
  rng(tag?: string): Rng;
  /** A deterministic account address for a tag (seeded by the run's seed). */
  account(tag: string): Address;
  /**
   * Queues an account's own transaction in the block being drafted, after everything drafted so far (anvil
   * mines a block's transactions first in, first out). The account is impersonated and funded with ETH.
   * The transaction must succeed: the host stops the run on a revert, naming the label.
   */
  send(from: Address, to: Address, abi: Abi, functionName: string, args: unknown[], label: string): void;
  /**
   * The USD value (18 decimals) of `amount` of `asset` with the prices set by the logs before the one being
   * applied (docs/methodology.md, "Prices"), or null when no price younger than maxAgeSeconds exists.
   * Only meaningful inside onLog.
   */
  usd(asset: string, amount: bigint): bigint | null;
}

/** Pushes an action into the day's plan: at block index `block` (0 … blocks-1), ordered by prio then push order. */
export type Push = (block: number, prio: number, run: () => void | Promise<void>) => void;

/** The protocol part of the ground truth that an economy contributes. */
export interface EconomyTruth {
  ledger: ProtocolLedger;
  token: { address: string; symbol: string; decimals: number };
  /** The fee asset the ledger's fee fields are in (the protocol's first fee asset; others converted to it). */
  feeAsset: string;
}

export interface Economy {
  /** The protocol's slug: its folder name in every layer (subgraph/src/<slug>, contracts/src/protocols/<slug>). */
  readonly slug: string;
  /**
   * Deploys the protocol's contracts (the real bytecode where the protocol publishes it on npm). Returns the
   * deployment section the subgraph indexes (contract name → address, startBlock; the names are the data
   * sources of subgraph/src/<slug>/protocol.json) and the extra addresses the simulator needs (not indexed);
   * null when the protocol has no part on this network (a second local network: d.primary false). `bridged`:
   * the protocol's token on this network is a bridged copy of the main network's (deployment `bridgedSupply`).
   */
  deploy(d: Deployer): Promise<{
    contracts: Record<string, DeployedContract>;
    simulator?: Record<string, string>;
    bridged?: boolean;
  } | null>;
  /** Binds the economy to the host and the deployment (contracts, simulator extras), before day 0. */
  attach(
    host: SimHost,
    contracts: Record<string, DeployedContract>,
    simulator: Record<string, string> | undefined,
  ): void;
  /** The actions of day `day` (blocks: the number of blocks that day; none on days without blocks). */
  plan(day: number, blocks: number, push: Push): void;
  /** Every log of every mined block, in block order (the economy keeps those of its own contracts). */
  onLog(log: ChainLog): void;
  /** After a block is mined and all its logs applied (e.g. the ledger's stock snapshot). */
  afterBlock(ts: number): void;
  /** One line of progress (supply, fees), e.g. "FET supply 1,234". */
  progress(): string;
  truth(): EconomyTruth;
}
