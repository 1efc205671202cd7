/**
 * What the simulated economy needs to drive The Graph on the local chain (economy.ts): the real contracts'
 * addresses and package ABIs, the Horizon emitters', a decoder of every The Graph log by emitting address, and
 * the few reads of contract state that choose an action's arguments.
 */
import { type Abi, type AbiEvent, type Address, decodeEventLog, type Hex } from "viem";
import type { CompiledContract } from "../../compile.js";
import type { DeployedContract } from "../types.js";
import { loadArtifact, loadRewardsManagerV5, mergeAbis, proxiedAbi, stakingAbi } from "./artifacts.js";

/** A decoded log of a The Graph contract; integers as bigint, addresses as given by viem. */
export interface GraphEvent {
  contract: string;
  event: string;
  args: Record<string, unknown>;
}

export interface RawLog {
  address: Hex;
  topics: Hex[];
  data: Hex;
}

/** eth_call at the latest block. */
export type ReadContract = <T>(to: Address, abi: Abi, functionName: string, args?: unknown[]) => Promise<T>;

const lower = (a: string) => a.toLowerCase() as Address;

export class GraphContext {
  readonly grt: Address;
  readonly staking: Address;
  readonly rewardsManager: Address;
  readonly curation: Address;
  readonly epochManager: Address;
  readonly proxyAdmin: Address;
  readonly governor: Address;
  readonly gateway: Address;
  readonly slasher: Address;
  readonly horizonStakingImpl: Address;
  readonly rewardsManagerHorizonImpl: Address;
  readonly thawingPeriod: bigint;
  readonly epochLength: bigint;
  /** EpochManager.currentEpoch() at block epochBlock0 (read at start: no length change afterwards). */
  epoch0 = 0n;
  epochBlock0 = 0;
  readonly abi: { grt: Abi; staking: Abi; rewards: Abi; curation: Abi; proxyAdmin: Abi; epochs: Abi };
  private readonly byAddress = new Map<string, { name: string; abi: Abi }>();

  /**
   * `contracts`: the deployment's thegraph section; `extra(name)`: its simulator extras (contract.ts
   * graphExtras: roles, the EpochManager, the Horizon implementations and emitters, the scaled parameters).
   */
  constructor(
    contracts: Record<string, DeployedContract>,
    extra: (name: string) => string,
    compiled: (name: string) => CompiledContract,
    private readonly read: ReadContract,
  ) {
    const need = (name: string) => {
      const c = contracts[name];
      if (!c) throw new Error(`thegraph: the deployment has no ${name}`);
      return lower(c.address);
    };
    this.grt = need("L2GraphToken");
    this.staking = need("GraphStaking");
    this.rewardsManager = need("RewardsManager");
    this.curation = need("L2Curation");
    this.epochManager = lower(extra("EpochManager"));
    this.proxyAdmin = lower(extra("GraphProxyAdmin"));
    this.governor = lower(extra("governor"));
    this.gateway = lower(extra("gateway"));
    this.slasher = lower(extra("slasher"));
    this.horizonStakingImpl = lower(extra("HorizonStakingImplementation"));
    this.rewardsManagerHorizonImpl = lower(extra("RewardsManagerHorizonImplementation"));
    this.thawingPeriod = BigInt(extra("thawingPeriod"));
    this.epochLength = BigInt(extra("epochLength"));
    const rewards = mergeAbis(loadArtifact("RewardsManager").abi, loadRewardsManagerV5().abi);
    this.abi = {
      grt: proxiedAbi(loadArtifact("L2GraphToken").abi),
      staking: proxiedAbi(mergeAbis(stakingAbi(), compiled("GraphHorizonStaking").abi)),
      rewards: proxiedAbi(rewards),
      curation: proxiedAbi(loadArtifact("L2Curation").abi),
      proxyAdmin: loadArtifact("GraphProxyAdmin").abi,
      epochs: loadArtifact("EpochManager").abi,
    };
    const add = (name: string, address: string, abi: Abi) =>
      this.byAddress.set(address.toLowerCase(), { name, abi });
    add("L2GraphToken", this.grt, this.abi.grt);
    add("GraphStaking", this.staking, this.abi.staking);
    add("RewardsManager", this.rewardsManager, this.abi.rewards);
    add("L2Curation", this.curation, this.abi.curation);
    add("GraphPayments", need("GraphPayments"), compiled("GraphPayments").abi);
    add("PaymentsEscrow", extra("PaymentsEscrow"), compiled("PaymentsEscrow").abi);
    add("GraphProxyAdmin", this.proxyAdmin, this.abi.proxyAdmin);
    add("EpochManager", this.epochManager, proxiedAbi(this.abi.epochs));
  }

  /** Reads the epoch clock once (EpochManager: currentEpoch = epoch at the last length update + blocks / length). */
  async init(): Promise<void> {
    const [epoch, block] = await Promise.all([
      this.read<bigint>(this.epochManager, this.abi.epochs, "currentEpoch"),
      this.read<bigint>(this.epochManager, this.abi.epochs, "currentEpochBlock"),
    ]);
    this.epoch0 = epoch;
    this.epochBlock0 = Number(block);
  }

  /** getDelegation(indexer, delegator).shares at the latest block. */
  async readDelegationShares(indexer: string, delegator: string): Promise<bigint> {
    const d = await this.read<{ shares: bigint }>(this.staking, this.abi.staking, "getDelegation", [
      indexer,
      delegator,
    ]);
    return d.shares;
  }

  /** Decodes a log of a The Graph contract; null for any other emitter (Livepeer, GCS clones). */
  decode(log: RawLog): GraphEvent | null {
    const known = this.byAddress.get(log.address.toLowerCase());
    if (!known) return null;
    try {
      const d = decodeEventLog({
        abi: known.abi,
        topics: log.topics as [Hex, ...Hex[]],
        data: log.data,
        strict: true,
      });
      const args = Object.fromEntries(
        Object.entries((d.args ?? {}) as Record<string, unknown>).map(([k, v]) => [
          k,
          typeof v === "number" ? BigInt(v) : typeof v === "string" ? v.toLowerCase() : v,
        ]),
      );
      return { contract: known.name, event: String(d.eventName), args };
    } catch (e) {
      throw new Error(
        `log from ${log.address} (${known.name}) with topic0 ${log.topics[0]} does not decode: ${(e as Error).message.split("\n")[0]}`,
      );
    }
  }

  /** The events of `abi` (for the simulator's checks). */
  static events(abi: Abi): AbiEvent[] {
    return abi.filter((x): x is AbiEvent => x.type === "event");
  }
}
