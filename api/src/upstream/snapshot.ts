/**
 * Fixes the block once per user request per upstream: one `_meta` + `protocols` read (same block:
 * graph-node resolves every top-level field of one query at one block), then every data read of that
 * request passes `block: { number }`. A snapshot may be shared by user requests for snapshotTtlMs.
 */
import { REVENUE_RULES, type RevenueRule, SUPPLY_BRIDGES, type SupplyBridge } from "../fields.js";
import type { UpstreamClient } from "./client.js";

export interface BlockRef {
  number: number;
  hash: string | null;
  /** Block timestamp, seconds. */
  timestamp: number;
}

export interface TokenInfo {
  address: string;
  symbol: string;
  name: string;
  decimals: number;
}

export interface ProtocolInfo {
  id: string;
  name: string;
  network: string;
  schemaVersion: string;
  methodologyVersion: string;
  token: TokenInfo;
  totalSupply: bigint;
  staked: bigint;
  operatorCount: number;
  stakerCount: number;
  holderCount: number;
  cumulativeMinted: bigint;
  cumulativeBurned: bigint;
  cumulativeGrossEmission: bigint;
  currentRound: bigint | null;
  horizonActive: boolean | null;
  /** Traits (subgraph/src/<slug>/protocol.json, written onto the Protocol entity; docs/adding-a-protocol.md). */
  revenueRule: RevenueRule | null;
  fields: string[];
  feeAssets: TokenInfo[];
  /** Raw units of the first fee asset one raw unit of each fee asset is worth (1 for the first). */
  feeAssetRates: bigint[];
  canonicalSupply: boolean;
  /** How the token moves between networks (protocol.json token.bridge): decides whether a copy is supply (series/merge.ts). */
  supplyBridge: SupplyBridge | null;
}

export interface Snapshot {
  upstream: string;
  block: BlockRef;
  deployment: string | null;
  hasIndexingErrors: boolean;
  protocols: ProtocolInfo[];
  /** Wall-clock time the snapshot was read (ms). */
  readAt: number;
}

export const SNAPSHOT_QUERY = `query GatewaySnapshot {
  _meta { block { number hash timestamp } hasIndexingErrors deployment }
  protocols(first: 100, orderBy: id, orderDirection: asc) {
    id name network schemaVersion methodologyVersion
    token { id symbol name decimals }
    totalSupply staked operatorCount stakerCount holderCount
    cumulativeMinted cumulativeBurned cumulativeGrossEmission currentRound horizonActive
    revenueRule fields feeAssets { id symbol name decimals } feeAssetRates canonicalSupply supplyBridge
  }
}`;

interface RawSnapshot {
  _meta: {
    block: { number: number; hash: string | null; timestamp: number | string | null };
    hasIndexingErrors: boolean;
    deployment: string | null;
  } | null;
  protocols: {
    id: string;
    name: string;
    network: string;
    schemaVersion: string;
    methodologyVersion: string;
    token: { id: string; symbol: string; name: string; decimals: number };
    totalSupply: string;
    staked: string;
    operatorCount: number;
    stakerCount: number;
    holderCount: number;
    cumulativeMinted: string;
    cumulativeBurned: string;
    cumulativeGrossEmission: string;
    currentRound: string | null;
    horizonActive: boolean | null;
    revenueRule: string | null;
    fields: string[];
    feeAssets: { id: string; symbol: string; name: string; decimals: number }[];
    feeAssetRates: string[];
    canonicalSupply: boolean;
    supplyBridge?: string | null;
  }[];
}

/** A value of a schema enum, or null (absent, or a value this gateway does not know). */
const oneOf = <T extends string>(values: readonly T[], v: string | null | undefined): T | null =>
  (values as readonly (string | null | undefined)[]).includes(v) ? (v as T) : null;

export function parseSnapshot(upstream: string, raw: RawSnapshot, readAt = Date.now()): Snapshot {
  const meta = raw._meta;
  const block: BlockRef = meta
    ? {
        number: Number(meta.block.number),
        hash: meta.block.hash,
        // Older graph-node versions may not report the timestamp: fall back to the read time.
        timestamp:
          meta.block.timestamp === null || meta.block.timestamp === undefined
            ? Math.floor(readAt / 1000)
            : Number(meta.block.timestamp),
      }
    : { number: 0, hash: null, timestamp: 0 };
  return {
    upstream,
    block,
    deployment: meta?.deployment ?? null,
    hasIndexingErrors: meta?.hasIndexingErrors ?? false,
    readAt,
    protocols: (raw.protocols ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      network: p.network,
      schemaVersion: p.schemaVersion,
      methodologyVersion: p.methodologyVersion,
      token: {
        address: p.token.id,
        symbol: p.token.symbol,
        name: p.token.name,
        decimals: Number(p.token.decimals),
      },
      totalSupply: BigInt(p.totalSupply),
      staked: BigInt(p.staked),
      operatorCount: Number(p.operatorCount),
      stakerCount: Number(p.stakerCount),
      holderCount: Number(p.holderCount),
      cumulativeMinted: BigInt(p.cumulativeMinted),
      cumulativeBurned: BigInt(p.cumulativeBurned),
      cumulativeGrossEmission: BigInt(p.cumulativeGrossEmission),
      currentRound: p.currentRound === null || p.currentRound === undefined ? null : BigInt(p.currentRound),
      horizonActive: p.horizonActive ?? null,
      revenueRule: oneOf(REVENUE_RULES, p.revenueRule),
      fields: p.fields ?? [],
      feeAssets: (p.feeAssets ?? []).map((a) => ({
        address: a.id,
        symbol: a.symbol,
        name: a.name,
        decimals: Number(a.decimals),
      })),
      feeAssetRates: (p.feeAssetRates ?? []).map((r) => BigInt(r)),
      canonicalSupply: p.canonicalSupply ?? true,
      supplyBridge: oneOf(SUPPLY_BRIDGES, p.supplyBridge),
    })),
  };
}

/** Shares snapshot reads across user requests for ttlMs (0 = one read per user request). */
export class SnapshotStore {
  private readonly entries = new Map<
    string,
    { at: number; promise: Promise<Snapshot>; settled: boolean; value?: Snapshot }
  >();
  private readonly refreshing = new Set<string>();
  private lastUsed = 0;
  private timer: NodeJS.Timeout | null = null;

  /**
   * ttlMs: how long one snapshot is shared by user requests. Past it, a request still gets the last good
   * snapshot (for at most 10 × ttlMs) while a fresh `_meta` read runs in the background, so no request
   * waits for it; older than that, the request waits for a fresh read.
   */
  constructor(private readonly ttlMs: number) {}

  get(client: UpstreamClient): Promise<Snapshot> {
    const now = Date.now();
    this.lastUsed = now;
    const hit = this.entries.get(client.name);
    if (hit && now - hit.at < this.ttlMs) return hit.promise;
    if (hit?.settled && now - hit.at < this.maxAgeMs()) {
      this.refresh(client);
      return hit.promise;
    }
    return this.read(client, now);
  }

  /** The oldest a snapshot may be and still be served while a fresh read runs. */
  private maxAgeMs(): number {
    return 10 * this.ttlMs;
  }

  /** The snapshot get() would return without waiting for a read, or null (none yet, or too old). */
  peek(client: UpstreamClient): Snapshot | null {
    const hit = this.entries.get(client.name);
    if (!hit?.value || Date.now() - hit.at >= this.maxAgeMs()) return null;
    return hit.value;
  }

  /**
   * Keeps the snapshots fresh so that no user request waits for `_meta`: reads every upstream now, then
   * every ttlMs for as long as a request came within keepWarmMs (an idle gateway stops polling, which
   * matters for upstreams that bill per query). ttlMs 0 (a read per request) polls nothing.
   */
  start(clients: readonly UpstreamClient[], keepWarmMs: number): void {
    if (this.ttlMs === 0 || this.timer) return;
    this.lastUsed = Date.now();
    const tick = () => {
      if (Date.now() - this.lastUsed > keepWarmMs) return;
      for (const c of clients) this.refresh(c);
    };
    tick();
    this.timer = setInterval(tick, this.ttlMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** A background read, unless one for this upstream is already running. */
  private refresh(client: UpstreamClient): void {
    if (this.refreshing.has(client.name)) return;
    this.refreshing.add(client.name);
    this.read(client, Date.now())
      .catch(() => {})
      .finally(() => this.refreshing.delete(client.name));
  }

  private read(client: UpstreamClient, now: number): Promise<Snapshot> {
    const promise = client.query<RawSnapshot>(SNAPSHOT_QUERY).then((raw) => parseSnapshot(client.name, raw));
    const entry: { at: number; promise: Promise<Snapshot>; settled: boolean; value?: Snapshot } = {
      at: now,
      promise,
      settled: false,
    };
    promise.then(
      (value) => {
        entry.settled = true;
        entry.value = value;
        // Only a successful read replaces the snapshot in use.
        const current = this.entries.get(client.name);
        if (!current || current.at <= entry.at) this.entries.set(client.name, entry);
      },
      () => {
        if (this.entries.get(client.name) === entry) this.entries.delete(client.name);
      },
    );
    if (!this.entries.get(client.name)?.settled) this.entries.set(client.name, entry);
    return promise;
  }
}
