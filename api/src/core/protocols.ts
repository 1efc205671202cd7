/**
 * Protocol discovery: the protocols every upstream's snapshot lists, each one a ProtocolRef (the upstream, its
 * snapshot, the Protocol entity and its traits). One protocol on several networks is one ref whose parts are the
 * networks (series/merge.ts); each network stays reachable as "upstream/id".
 */
import type { GraphQLError } from "graphql";
import { type ProtocolTraits, protocolTraits } from "../metrics/traits.js";
import { canonicalIndex, mergeProtocolInfo, mergeTraits, supplyCounted } from "../series/merge.js";
import type { UpstreamClient } from "../upstream/client.js";
import type { ProtocolInfo, Snapshot } from "../upstream/snapshot.js";

export interface ProtocolRef {
  /** The upstream read (for a protocol on several networks: the canonical network's). */
  client: UpstreamClient;
  snapshot: Snapshot;
  protocol: ProtocolInfo;
  traits: ProtocolTraits;
  /** A protocol on several networks: one part per network (series/merge.ts); absent for a single network. */
  parts?: readonly ProtocolRef[];
}

/** The upstreams and blocks an answer about a protocol read (one per network). */
export const readsOf = (ref: ProtocolRef): ProtocolRef[] => [...(ref.parts ?? [ref])];

export interface ProtocolIndex {
  byId: Map<string, ProtocolRef>;
  all: ProtocolRef[];
  errors: { upstream: string; error: GraphQLError }[];
}

/** One protocol on several networks as one ref: the canonical network's upstream, merged stocks and traits. */
function mergedRef(parts: ProtocolRef[]): ProtocolRef {
  const c = canonicalIndex(parts);
  const canonical = parts[c] as ProtocolRef;
  return {
    ...canonical,
    protocol: mergeProtocolInfo(
      parts.map((p) => p.protocol),
      c,
      supplyCounted(parts),
    ),
    traits: mergeTraits(
      parts.map((p) => p.traits),
      c,
    ),
    parts,
  };
}

/** The protocols of every upstream's snapshot (settled in the order of `clients`); a failed one is an error. */
export function indexProtocols(
  clients: readonly UpstreamClient[],
  settled: readonly PromiseSettledResult<Snapshot>[],
): ProtocolIndex {
  const byId = new Map<string, ProtocolRef>();
  const all: ProtocolRef[] = [];
  const errors: ProtocolIndex["errors"] = [];
  const byProtocol = new Map<string, ProtocolRef[]>();
  settled.forEach((s, i) => {
    const client = clients[i];
    if (!client) return;
    if (s.status === "rejected") {
      errors.push({ upstream: client.name, error: s.reason as GraphQLError });
      return;
    }
    for (const protocol of s.value.protocols) {
      const ref: ProtocolRef = { client, snapshot: s.value, protocol, traits: protocolTraits(protocol) };
      byId.set(`${client.name}/${protocol.id}`, ref);
      const same = byProtocol.get(protocol.id) ?? [];
      // a second upstream of the same network (a replica) adds nothing: the first one serves it
      if (!same.some((r) => r.protocol.network === protocol.network)) same.push(ref);
      byProtocol.set(protocol.id, same);
    }
  });
  // one protocol on several networks is one protocol (series/merge.ts); each network stays "upstream/id"
  for (const [id, parts] of byProtocol) {
    const ref = parts.length === 1 ? (parts[0] as ProtocolRef) : mergedRef(parts);
    byId.set(id, ref);
    all.push(ref);
  }
  return { byId, all, errors };
}
