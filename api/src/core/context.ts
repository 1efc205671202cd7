/**
 * The state of one user request: one snapshot (block) per upstream, fixed at its first use, the DataLoaders
 * that batch its reads at those blocks, and the protocol index built from those snapshots.
 */
import type DataLoader from "dataloader";
import type { UpstreamClient } from "../upstream/client.js";
import { createNeedLoader, type Need, type Row } from "../upstream/loaders.js";
import type { Snapshot } from "../upstream/snapshot.js";
import { badInput } from "./errors.js";
import type { Gateway } from "./gateway.js";
import { indexProtocols, type ProtocolIndex, type ProtocolRef, readsOf } from "./protocols.js";

/** One upstream's part of a blocks key: number and hash (a hash alone may be null on old graph-nodes). */
const blockKey = (upstream: string | undefined, s: Snapshot | null) =>
  `${upstream}@${s ? `${s.block.number}:${s.block.hash}` : "down"}`;

export class RequestContext {
  private readonly snapshots = new Map<string, Promise<Snapshot>>();
  private readonly loaders = new Map<string, DataLoader<Need, Row[], string>>();
  private index: Promise<ProtocolIndex> | null = null;

  constructor(readonly gateway: Gateway) {}

  /**
   * Fixes an upstream's snapshot for this request (a worker thread running a request with the snapshots the
   * main thread held: the same blocks, no `_meta` read).
   */
  seed(upstream: string, snapshot: Promise<Snapshot>): void {
    snapshot.catch(() => {}); // an upstream that is down is reported where the snapshot is used
    this.snapshots.set(upstream, snapshot);
  }

  snapshot(client: UpstreamClient): Promise<Snapshot> {
    let s = this.snapshots.get(client.name);
    if (!s) {
      s = this.gateway.snapshots.get(client);
      this.snapshots.set(client.name, s);
    }
    return s;
  }

  load(ref: ProtocolRef, need: Need): Promise<Row[]> {
    const key = `${ref.client.name}@${ref.snapshot.block.number}`;
    let l = this.loaders.get(key);
    if (!l) {
      l = createNeedLoader(ref.client, ref.snapshot.block.number, this.gateway.cache);
      this.loaders.set(key, l);
    }
    return l.load(need);
  }

  /** The rows of a need from every network of a protocol, concatenated (payers, operators: exact unions). */
  async loadEach(ref: ProtocolRef, need: Need): Promise<Row[]> {
    const lists = await Promise.all(readsOf(ref).map((part) => this.load(part, need)));
    return lists.flat();
  }

  /** The blocks this request reads at, one per upstream ("down" where an upstream did not answer). */
  async blocksKey(): Promise<string> {
    const settled = await Promise.allSettled(this.gateway.clients.map((c) => this.snapshot(c)));
    return settled
      .map((s, i) => blockKey(this.gateway.clients[i]?.name, s.status === "fulfilled" ? s.value : null))
      .join(",");
  }

  /**
   * The blocks key of the snapshots the gateway holds now, without reading any upstream; null when one
   * would have to be read first (the whole-response cache then does not look up: it must not make a
   * request that needs no upstream wait for one).
   */
  peekBlocksKey(): string | null {
    const parts: string[] = [];
    for (const c of this.gateway.clients) {
      const s = this.gateway.snapshots.peek(c);
      if (!s) return null;
      parts.push(blockKey(c.name, s));
    }
    return parts.join(",");
  }

  protocolIndex(): Promise<ProtocolIndex> {
    if (!this.index) {
      const clients = this.gateway.clients;
      this.index = Promise.allSettled(clients.map((c) => this.snapshot(c))).then((settled) =>
        indexProtocols(clients, settled),
      );
    }
    return this.index;
  }

  /** Resolves a protocol id ("livepeer" or "upstream/livepeer"); unknown → BAD_USER_INPUT, upstream down → its error. */
  async resolve(id: string, argument: string): Promise<ProtocolRef> {
    const index = await this.protocolIndex();
    const ref = index.byId.get(id);
    if (ref) return ref;
    const first = index.errors[0];
    if (first) throw first.error;
    const known = [...index.byId.keys()].filter((k) => !k.includes("/"));
    throw badInput(
      argument,
      `unknown protocol ${JSON.stringify(id)}; known: ${known.join(", ") || "(none)"}`,
    );
  }
}
