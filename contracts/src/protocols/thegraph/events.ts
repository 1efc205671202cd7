/**
 * Decodes a receipt's logs with the package's own ABIs, by emitting address: the proxies answer with their
 * implementation's events (plus GraphProxy's), L2Staking with StakingExtension's too; a log from any other
 * address whose topic is a GraphCurationToken event is a curation-share (GCS) clone's, created by L2Curation
 * on a subgraph's first signal without an event of its own.
 */
import { type Abi, type AbiEvent, type Address, decodeEventLog, type Hex, type Log } from "viem";
import { loadArtifact, loadRewardsManagerV5, mergeAbis, proxiedAbi, stakingAbi } from "./artifacts.js";
import type { GraphLegacyDeployment } from "./deploy.js";

/** Integer arguments are bigints whatever their width (viem gives uint32 as number); addresses checksummed. */
export interface DecodedEvent {
  /** The contract's name in the deployment, or "GraphCurationToken" for a GCS clone. */
  contract: string;
  address: Address;
  event: string;
  args: Record<string, unknown>;
  logIndex: number;
}

export class EventDecoder {
  private readonly byAddress = new Map<string, { name: string; abi: Abi }>();
  private readonly gcsAbi: Abi;

  constructor(d: GraphLegacyDeployment) {
    const c = d.contracts;
    const add = (name: string, address: Address, abi: Abi) =>
      this.byAddress.set(address.toLowerCase(), { name, abi });
    add("L2GraphToken", c.L2GraphToken.address, proxiedAbi(loadArtifact("L2GraphToken").abi));
    add("EpochManager", c.EpochManager.address, proxiedAbi(loadArtifact("EpochManager").abi));
    // a 5.3.3 RewardsManager (deploy option) emits the 4-argument RewardsAssigned, absent from 7.2.1's ABI
    const rewards = d.rewardsManagerPackage
      ? mergeAbis(loadArtifact("RewardsManager").abi, loadRewardsManagerV5().abi)
      : loadArtifact("RewardsManager").abi;
    add("RewardsManager", c.RewardsManager.address, proxiedAbi(rewards));
    add("L2Curation", c.L2Curation.address, proxiedAbi(loadArtifact("L2Curation").abi));
    add("L2Staking", c.L2Staking.address, proxiedAbi(stakingAbi()));
    add("Controller", c.Controller.address, loadArtifact("Controller").abi);
    add("GraphProxyAdmin", c.GraphProxyAdmin.address, loadArtifact("GraphProxyAdmin").abi);
    this.gcsAbi = loadArtifact("GraphCurationToken").abi.filter((x): x is AbiEvent => x.type === "event");
  }

  decode(log: Pick<Log, "address" | "topics" | "data" | "logIndex">): DecodedEvent {
    const known = this.byAddress.get(log.address.toLowerCase());
    const { name, abi } = known ?? { name: "GraphCurationToken", abi: this.gcsAbi };
    try {
      const d = decodeEventLog({ abi, topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: true });
      return {
        contract: name,
        address: log.address,
        event: String(d.eventName),
        args: Object.fromEntries(
          Object.entries((d.args ?? {}) as Record<string, unknown>).map(([k, v]) => [
            k,
            typeof v === "number" ? BigInt(v) : v,
          ]),
        ),
        logIndex: Number(log.logIndex),
      };
    } catch (e) {
      throw new Error(
        `log ${log.logIndex} from ${log.address} (${known ? name : "unknown address"}) with topic0 ${log.topics[0]} does not decode with the ${name} ABI: ${(e as Error).message.split("\n")[0]}`,
      );
    }
  }

  decodeAll(logs: readonly Pick<Log, "address" | "topics" | "data" | "logIndex">[]): DecodedEvent[] {
    return logs.map((l) => this.decode(l));
  }
}

const show = (v: unknown): string => (typeof v === "bigint" ? v.toString() : String(v));

/** One line per event, `Contract.Event(name=value, …)`: for error messages and docs. */
export function formatEvents(events: readonly DecodedEvent[]): string {
  return events
    .map((e) => {
      const args = Object.entries(e.args).map(([k, v]) => `${k}=${show(v)}`);
      return `${e.contract}.${e.event}(${args.join(", ")})`;
    })
    .join("\n");
}
