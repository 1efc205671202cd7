/**
 * What the simulator needs to drive The Graph on the local chain (contracts/src/simulate.ts): the real
 * contracts' addresses and package ABIs, the Horizon emitters', a decoder of every The Graph log by emitting
 * address, and the few reads of contract state that choose an action's arguments.
 */
import {
  type Abi,
  type AbiEvent,
  type Address,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
} from "viem";
import type { CompiledContracts } from "../compile.js";
import type { Deployment, GraphSimDeployment } from "../deploy.js";
import type { Rpc } from "../rpc.js";
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

  constructor(
    deployment: Deployment,
    g: GraphSimDeployment,
    compiled: CompiledContracts,
    private readonly rpc: Rpc,
  ) {
    const t = deployment.protocols.thegraph;
    this.grt = lower(t.L2GraphToken.address);
    this.staking = lower(t.GraphStaking.address);
    this.rewardsManager = lower(t.RewardsManager.address);
    this.curation = lower(t.L2Curation.address);
    this.epochManager = lower(g.EpochManager);
    this.proxyAdmin = lower(g.GraphProxyAdmin);
    this.governor = lower(g.governor);
    this.gateway = lower(g.gateway);
    this.slasher = lower(g.slasher);
    this.horizonStakingImpl = lower(g.HorizonStakingImplementation);
    this.rewardsManagerHorizonImpl = lower(g.RewardsManagerHorizonImplementation);
    this.thawingPeriod = BigInt(g.params.thawingPeriod ?? "0");
    this.epochLength = BigInt(g.epochLength);
    const rewards = mergeAbis(loadArtifact("RewardsManager").abi, loadRewardsManagerV5().abi);
    this.abi = {
      grt: proxiedAbi(loadArtifact("L2GraphToken").abi),
      staking: proxiedAbi(mergeAbis(stakingAbi(), compiled.GraphHorizonStaking.abi)),
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
    add("GraphPayments", t.GraphPayments.address, compiled.GraphPayments.abi);
    const sim = deployment.simulator;
    if (sim?.PaymentsEscrow) add("PaymentsEscrow", sim.PaymentsEscrow.address, compiled.PaymentsEscrow.abi);
    add("GraphProxyAdmin", this.proxyAdmin, this.abi.proxyAdmin);
    add("EpochManager", this.epochManager, proxiedAbi(this.abi.epochs));
  }

  /** Reads the epoch clock once (EpochManager: currentEpoch = epoch at the last length update + blocks / length). */
  async init(): Promise<void> {
    const [epoch, block] = await this.rpc.batch<Hex>([
      {
        method: "eth_call",
        params: [{ to: this.epochManager, data: this.encode(this.abi.epochs, "currentEpoch") }, "latest"],
      },
      {
        method: "eth_call",
        params: [
          { to: this.epochManager, data: this.encode(this.abi.epochs, "currentEpochBlock") },
          "latest",
        ],
      },
    ]);
    this.epoch0 = BigInt(epoch as Hex);
    this.epochBlock0 = Number(BigInt(block as Hex));
  }

  private encode(abi: Abi, functionName: string, args: unknown[] = []): Hex {
    return encodeFunctionData({ abi, functionName, args });
  }

  /** getDelegation(indexer, delegator).shares at the latest block. */
  async readDelegationShares(indexer: string, delegator: string): Promise<bigint> {
    const data = this.encode(this.abi.staking, "getDelegation", [indexer, delegator]);
    const out = await this.rpc.call<Hex>("eth_call", [{ to: this.staking, data }, "latest"]);
    const d = decodeFunctionResult({ abi: this.abi.staking, functionName: "getDelegation", data: out }) as {
      shares: bigint;
    };
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
