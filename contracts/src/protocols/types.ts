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
   * true on the stack's main local chain (standing in for Arbitrum One, with the price sources); false
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
  /**
   * Its transaction is one of the host's own (a price source's: the pool driver's liquidity and swaps): no
   * economy drafted it, so an economy whose token it moves books those amounts (the pool's math) from the log.
   */
  hostTx?: boolean;
}

/**
 * The host's own random stream (SimHost.shared), for an economy whose draws interleave with the host's, as they did
 * when it lived in the host, so the history stays the same byte for byte.
 */
export interface SharedHost {
  /** The host's own random stream (not the economy's: SimHost.rng). */
  readonly rng: Rng;
  /** The run's seed, as the host's own tags use it. */
  readonly seedTag: string;
  /** A deterministic account for a tag, not prefixed with the economy's slug. */
  account(tag: string): Address;
  /** The next index of the host's running count of new holder accounts. */
  nextHolder(): number;
  /**
   * The price sources' first values, in the current SimHub transaction: the feeds' first answers, `fund(driver)`
   * (the economy whose token the pool trades sends the pool driver its side), the other side, then the pool's
   * liquidity in a transaction of its own (hostTx). Called once, by that economy, in its genesis.
   */
  startPrices(fund: (driver: Address) => void): void;
}

/** The run's options an economy may follow (SimulateOptions). */
export interface SimOptions {
  /** Operators (orchestrators, indexers) per protocol that sizes its actors by the run. */
  readonly operators: number;
  /** Stakers (delegators) per protocol. */
  readonly stakers: number;
  /** Payers (broadcasters; The Graph's gateways are max(2, ceil(payers / 3))). */
  readonly payers: number;
  /** The day The Graph switches to Horizon (its default: floor(days * 2 / 3)). */
  readonly horizonSwitchDay?: number;
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
  /** The run's options (actor counts, switch days). */
  readonly options: SimOptions;
  /** The host's contracts compiled from contracts/sol/ (and contracts/sol/<slug>/), by contract name. */
  compiled(name: string): CompiledContract;
  /** Number of the block being drafted. */
  block(): number;
  /** eth_call at the latest block (state before the block being drafted). */
  read<T>(to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<T>;
  /**
   * Appends a call of an emitter contract (one that authorized the SimHub) to the current SimHub transaction, which
   * batches several calls into one transaction (logs: the expected count, or null when not counted in advance).
   */
  call(to: Address, abi: Abi, functionName: string, args: unknown[], logs: number | null): void;
  /** Starts an action of batched calls: a new SimHub transaction when the current one has enough actions. */
  beginAction(): void;
  /** Ends the current SimHub transaction: the next call starts a new one. */
  closeTx(): void;
  /** Transactions drafted so far in the block being drafted: the next one's index (ChainLog.txIndex). */
  txCount(): number;
  /** The host's stream: given to an economy with `batched` (on the main chain). */
  readonly shared?: SharedHost;
}

/** Pushes an action into the day's plan: at block index `block` (0 … blocks-1), ordered by prio then push order. */
export type Push = (block: number, prio: number, run: () => void | Promise<void>) => void;

/** The protocol part of the ground truth that an economy contributes. */
export interface EconomyTruth {
  ledger: ProtocolLedger;
  token: { address: string; symbol: string; decimals: number };
  /** The fee asset the ledger's fee fields are in (the protocol's first fee asset; others converted to it). */
  feeAsset: string;
  /** Timestamps of the protocol's one-off events (e.g. The Graph's switch to Horizon), null when none happened. */
  milestones?: Record<string, number | null>;
}

export interface Economy {
  /** The protocol's slug: its folder name in every layer (subgraph/src/<slug>, contracts/src/protocols/<slug>). */
  readonly slug: string;
  /**
   * Its actions append emitter calls to the host's batched SimHub transactions (SimHost.shared) instead of sending
   * their own: it plans before the host's own actions and its actions are not wrapped in transactions of their own.
   */
  readonly batched?: boolean;
  /**
   * Deploys before the host's own contracts (its addresses, and so every later one, stay those of the existing
   * deployments, subgraph/deployments/local.json); the others deploy after them.
   */
  readonly deployFirst?: boolean;
  /** After the host's contracts and the SimHub are deployed: authorizes the SimHub on its emitter contracts. */
  authorize?(d: Deployer, hub: Address): Promise<void>;
  /** Days (0 … days-1) that must have blocks (its forced events): never drawn as a day without blocks. */
  busyDays?(days: number): number[];
  /**
   * Wall-clock mode (npm start --live), after the history: its activity in the block being drafted, the n-th live
   * block (0, 1, …), a block every few seconds at the current time (SimHost.now; SimHost.day keeps counting days
   * from startTime, past the history's). A little in most blocks, its own state carried on from the history; what
   * follows the calendar (rounds, emission, windows) follows the host's clock, not the block count.
   */
  realtime(n: number): void | Promise<void>;
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
  /** Before day 0, after attach: reads of chain state the economy needs (e.g. a clock of its contracts). */
  prepare?(): Promise<void>;
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
