/**
 * A protocol's simulated economy as one unit (docs/adding-a-protocol.md): it deploys its contracts on the local
 * chain, plans each simulated day's actions as the acting accounts' own transactions, and keeps its ledger from
 * the decoded receipts of every block. The simulator (contracts/src/simulate.ts) is the host: it owns the chain
 * (the calendar of block times, mining, receipts, the price book) and calls every registered economy
 * (contracts/src/protocols/index.ts).
 *
 * Each economy is independent of the others: its own random streams (SimHost.rng, seeded by the run's seed and its
 * slug), its own accounts and deployer, its own batched transactions, its own clock in time (SimHost.now, day); the
 * host's calendar (which days have blocks, and when) is drawn from the run's seed alone. So its history is the same
 * with or without any other protocol registered (contracts/test/independence.test.ts).
 */
import type { Abi, Address, Hex } from "viem";
import type { PriceSource } from "../../../subgraph/scripts/manifest.js";
import type { CompiledContract } from "../compile.js";
import type { ProtocolLedger } from "../ledger.js";
import type { Rng } from "../rng.js";

/** A contract of a deployment: address and the block it was deployed in (subgraph startBlock). */
export interface DeployedContract {
  address: Address;
  startBlock: number;
}

/** What an economy's deploy step may use (anvil, automine on, an account of its own as `owner`). */
export interface Deployer {
  readonly rpcUrl: string;
  readonly network: string;
  /**
   * true on the stack's main local chain (standing in for Arbitrum One, with the price sources); false
   * on a second local network (standing in for another chain a protocol also lives on, e.g. Base).
   */
  readonly primary: boolean;
  /**
   * The economy's own deployer account (the same on every network, funded with ETH, impersonated): it deploys, and
   * owns what has an owner, so the economy's addresses do not depend on what other protocols deploy.
   */
  readonly owner: Address;
  /** The host's SimHub on this chain (its emitters authorize it for SimHost.call), or null where there is none. */
  readonly hub: Address | null;
  /** Contracts compiled from contracts/sol/ (and contracts/sol/<slug>/), by contract name. */
  compiled(name: string): CompiledContract;
  /** Deploys bytecode (constructor args encoded with the abi) from `from`; the block it landed in. */
  deploy(from: Address, label: string, abi: Abi, bytecode: Hex, args?: unknown[]): Promise<DeployedContract>;
  /** Sends a call from any account (impersonated; d.owner is funded); the block it landed in. Throws on revert. */
  send(
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args: unknown[],
    label: string,
  ): Promise<number>;
  /** eth_call. */
  read<T>(to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<T>;
}

/** What an economy's deploy step returns: its deployment section and what goes with it. */
export interface EconomyDeployment {
  /**
   * Contract name → address, startBlock: the deployment section the subgraph indexes (the names are the data
   * sources of subgraph/src/<slug>/protocol.json).
   */
  contracts: Record<string, DeployedContract>;
  /** Addresses and values the simulator needs that the subgraph does not index (simulator.protocols.<slug>). */
  simulator?: Record<string, string>;
  /** The protocol's token on this network is a bridged copy of the main network's (deployment `bridgedSupply`). */
  bridged?: boolean;
  /** Price sources of its token that it drives (the deployment's prices.sources, docs/methodology.md "Prices"). */
  prices?: PriceSource[];
}

/** One log of a mined receipt, in block order. */
export interface ChainLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
  /** Position of its transaction in the block. */
  txIndex: number;
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
  /** The run's options (actor counts, switch days). */
  readonly options: SimOptions;
  /** Timestamp of the block being drafted (or of the log being applied, in onLog). */
  now(): number;
  /** Simulated day index of now(). */
  day(): number;
  /**
   * The host's calendar: whether day d (0 … days-1) has blocks. Drawn from the run's seed alone (the same whatever
   * economies run): an economy puts its forced events on days with blocks (firstDayWithBlocks).
   */
  hasBlocks(day: number): boolean;
  /** Number of the block being drafted. */
  block(): number;
  /** A random stream of its own for this economy (seeded by the run's seed and the economy's slug). */
  rng(tag?: string): Rng;
  /** A deterministic account address for a tag (seeded by the run's seed and the economy's slug). */
  account(tag: string): Address;
  /** Contracts compiled from contracts/sol/ (and contracts/sol/<slug>/), by contract name. */
  compiled(name: string): CompiledContract;
  /** eth_call at the latest block (state before the block being drafted). */
  read<T>(to: Address, abi: Abi, functionName: string, args?: unknown[]): Promise<T>;
  /**
   * Queues an account's own transaction in the block being drafted, after everything drafted so far (anvil
   * mines a block's transactions first in, first out). The account is impersonated and funded with ETH.
   * The transaction must succeed: the host stops the run on a revert, naming the label.
   */
  send(from: Address, to: Address, abi: Abi, functionName: string, args: unknown[], label: string): void;
  /**
   * Appends a call of an emitter contract (one that authorized the SimHub, Deployer.hub) to the economy's current
   * SimHub transaction, which batches the calls of a few of its actions into one transaction (a new one when
   * anything else was drafted since); logs: the expected count, or null when not counted in advance.
   */
  call(to: Address, abi: Abi, functionName: string, args: unknown[], logs: number | null): void;
  /**
   * Starts an action of batched calls: a new SimHub transaction when the current one has enough actions (the host
   * calls it before each planned action; an economy's live activity calls it itself).
   */
  beginAction(): void;
  /** Ends the economy's current SimHub transaction: its next call starts a new one. */
  closeTx(): void;
  /** Transactions drafted so far in the block being drafted: the next one's index (ChainLog.txIndex). */
  txCount(): number;
  /**
   * The USD value (18 decimals) of `amount` of `asset` with the prices set by the logs before the one being
   * applied (docs/methodology.md, "Prices"), or null when no price younger than maxAgeSeconds exists.
   * Only meaningful inside onLog.
   */
  usd(asset: string, amount: bigint): bigint | null;
  /**
   * Wall-clock mode: in the n-th live block, the number of updates a day a price path's step is sized for when the
   * price sources answer in this block (the first live block and every few after it), else null.
   */
  priceTick(n: number): number | null;
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
   * Wall-clock mode (npm start --live), after the history: its activity in the block being drafted, the n-th live
   * block (0, 1, …), a block every few seconds at the current time (SimHost.now; SimHost.day keeps counting days
   * from startTime, past the history's). A little in most blocks, its own state carried on from the history; what
   * follows the calendar (rounds, emission, windows) follows the host's clock, not the block count; its price
   * sources answer when SimHost.priceTick(n) says so.
   */
  realtime(n: number): void | Promise<void>;
  /**
   * Deploys the protocol's contracts (the real bytecode where the protocol publishes it on npm) from d.owner, and
   * its price sources on the main chain. Returns its deployment section, extras and price sources; null when the
   * protocol has no part on this network (a second local network: d.primary false).
   */
  deploy(d: Deployer): Promise<EconomyDeployment | null>;
  /** Binds the economy to the host and the deployment (contracts, simulator extras), before day 0. */
  attach(
    host: SimHost,
    contracts: Record<string, DeployedContract>,
    simulator: Record<string, string> | undefined,
  ): void;
  /** Before day 0, after attach: reads of chain state the economy needs (e.g. a clock of its contracts). */
  prepare?(): Promise<void>;
  /** The actions of day `day` (blocks: the number of blocks that day; days without blocks have no plan). */
  plan(day: number, blocks: number, push: Push): void;
  /** Every log of every mined block, in block order (the economy keeps those of its own contracts). */
  onLog(log: ChainLog): void;
  /** After a block is mined and all its logs applied (e.g. the ledger's stock snapshot). */
  afterBlock(ts: number): void;
  /** One line of progress (supply, fees), e.g. "FET supply 1,234". */
  progress(): string;
  truth(): EconomyTruth;
}

/**
 * The first day at or after `day` that has blocks in the host's calendar (the last day with blocks before it when
 * none after it has): where an economy puts a forced event that was due on `day`.
 */
export function firstDayWithBlocks(host: Pick<SimHost, "days" | "hasBlocks">, day: number): number {
  const d0 = Math.max(0, Math.min(host.days - 1, day));
  for (let d = d0; d < host.days; d++) if (host.hasBlocks(d)) return d;
  for (let d = d0 - 1; d >= 0; d--) if (host.hasBlocks(d)) return d;
  return 0;
}
