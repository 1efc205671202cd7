/** Upstream status: `_meta` from the subgraph plus, when configured, the index-node status API. Never throws. */
import type { GraphQLError } from "graphql";
import type { RequestContext } from "../core/context.js";
import type { UpstreamClient } from "./client.js";
import type { BlockRef } from "./snapshot.js";

export interface UpstreamStatusResult {
  name: string;
  url: string;
  network: string;
  ok: boolean;
  deployment: string | null;
  block: BlockRef | null;
  lagSeconds: number | null;
  lagBlocks: number | null;
  synced: boolean | null;
  health: string | null;
  fatalError: string | null;
  hasIndexingErrors: boolean | null;
  protocols: string[];
  errors: { code: string; message: string }[];
}

export const INDEXING_STATUS_QUERY = `query GatewayStatus($ids: [String!]) {
  indexingStatuses(subgraphs: $ids) {
    subgraph synced health fatalError { message }
    chains { network chainHeadBlock { number } latestBlock { number } }
  }
}`;

interface RawIndexingStatus {
  indexingStatuses: {
    subgraph: string;
    synced: boolean;
    health: string;
    fatalError: { message: string } | null;
    chains: {
      network: string;
      chainHeadBlock: { number: string } | null;
      latestBlock: { number: string } | null;
    }[];
  }[];
}

const errInfo = (e: unknown) => {
  const g = e as GraphQLError;
  return { code: String(g.extensions?.code ?? "INTERNAL_SERVER_ERROR"), message: g.message ?? String(e) };
};

export async function upstreamStatus(
  ctx: RequestContext,
  client: UpstreamClient,
  now = Date.now(),
): Promise<UpstreamStatusResult> {
  const out: UpstreamStatusResult = {
    name: client.name,
    url: client.safeUrl,
    network: client.config.network,
    ok: false,
    deployment: null,
    block: null,
    lagSeconds: null,
    lagBlocks: null,
    synced: null,
    health: null,
    fatalError: null,
    hasIndexingErrors: null,
    protocols: [],
    errors: [],
  };
  try {
    const snap = await ctx.snapshot(client);
    out.ok = true;
    out.deployment = snap.deployment;
    out.block = snap.block;
    out.hasIndexingErrors = snap.hasIndexingErrors;
    out.protocols = snap.protocols.map((p) => p.id);
    if (snap.block.timestamp > 0) out.lagSeconds = Math.max(0, Math.floor(now / 1000) - snap.block.timestamp);
  } catch (e) {
    out.errors.push(errInfo(e));
  }
  if (client.config.statusUrl) {
    try {
      const raw = await client.status<RawIndexingStatus>(INDEXING_STATUS_QUERY, {
        ids: out.deployment ? [out.deployment] : null,
      });
      const st =
        raw.indexingStatuses.find((s) => !out.deployment || s.subgraph === out.deployment) ??
        raw.indexingStatuses[0];
      if (st) {
        out.synced = st.synced;
        out.health = st.health;
        out.fatalError = st.fatalError?.message ?? null;
        const chain = st.chains[0];
        if (chain?.chainHeadBlock && chain.latestBlock) {
          out.lagBlocks = Math.max(0, Number(chain.chainHeadBlock.number) - Number(chain.latestBlock.number));
        }
        if (!out.deployment) out.deployment = st.subgraph;
      }
    } catch (e) {
      out.errors.push(errInfo(e));
    }
  }
  return out;
}
