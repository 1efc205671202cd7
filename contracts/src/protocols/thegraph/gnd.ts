/**
 * Turns the real contracts' logs into a `gnd test` scenario (the JSON format of tests/subgraph/): each chain
 * block with logs becomes one scenario block, each log one event with the full signature (indexed markers and
 * parameter names from the package's ABIs) and its decoded parameters, in receipt order, with its real
 * transaction hash (the mappings read a log's receipt neighbours). Only logs from the given addresses are kept
 * (the contracts the subgraph indexes); a GCS clone's or the EpochManager's logs have no handler.
 */
import {
  type Abi,
  type AbiEvent,
  type Address,
  decodeEventLog,
  type Hex,
  type Log,
  toEventSelector,
} from "viem";

export interface GndEvent {
  address: string;
  event: string;
  params: Record<string, unknown>;
  txHash: string;
}
export interface GndBlock {
  number: number;
  timestamp: number;
  events: GndEvent[];
}
export interface GndScenario {
  name: string;
  blocks: GndBlock[];
  assertions: { query: string; expected: unknown }[];
}

/** `Name(type indexed name, …)`, the form gnd scenarios use. */
export function eventSignature(e: AbiEvent): string {
  const inputs = e.inputs.map((i) => `${i.type}${i.indexed ? " indexed" : ""} ${i.name ?? ""}`.trim());
  return `${e.name}(${inputs.join(", ")})`;
}

const param = (v: unknown): unknown => {
  if (typeof v === "bigint" || typeof v === "number") return v.toString();
  if (typeof v === "string") return v.toLowerCase();
  return v;
};

export class GndEncoder {
  /** address (lowercase) → topic0 → event */
  private readonly events = new Map<string, Map<Hex, AbiEvent>>();

  constructor(contracts: { address: Address; abi: Abi }[]) {
    for (const c of contracts) {
      const byTopic = new Map<Hex, AbiEvent>();
      for (const item of c.abi)
        if (item.type === "event" && !item.anonymous) byTopic.set(toEventSelector(item), item);
      this.events.set(c.address.toLowerCase(), byTopic);
    }
  }

  /** The log as a gnd event, or null when its address is not one of the indexed contracts. */
  encode(log: Pick<Log, "address" | "topics" | "data" | "transactionHash">): GndEvent | null {
    const byTopic = this.events.get(log.address.toLowerCase());
    if (!byTopic) return null;
    const topic0 = log.topics[0] as Hex;
    const item = byTopic.get(topic0);
    if (!item) throw new Error(`log from ${log.address} with topic0 ${topic0}: no event in its ABI`);
    const d = decodeEventLog({
      abi: [item],
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    });
    const args = (d.args ?? {}) as Record<string, unknown>;
    return {
      address: log.address.toLowerCase(),
      event: eventSignature(item),
      params: Object.fromEntries(item.inputs.map((i) => [i.name ?? "", param(args[i.name ?? ""])])),
      txHash: String(log.transactionHash),
    };
  }
}
