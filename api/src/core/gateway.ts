/**
 * The gateway core, independent of GraphQL: protocol discovery, series computation, compare, scorecard
 * and status. One RequestContext per user request fixes one snapshot (block) per upstream.
 */
import type DataLoader from "dataloader";
import type { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { formatUnits } from "../metrics/amount.js";
import {
  METRICS_BY_NAME,
  type MetricDef,
  type MetricValue,
  type ProtocolTraits,
  protocolTraits,
} from "../metrics/catalog.js";
import { buildScorecard, type Scorecard } from "../scorecard/lines.js";
import {
  beforeFirstData,
  firstDataNeeds,
  firstDataStart,
  knownBuckets,
  unknownNote,
} from "../series/firstData.js";
import {
  canonicalIndex,
  mergeDense,
  mergeProtocolInfo,
  mergeTraits,
  supplyCounted,
} from "../series/merge.js";
import {
  type Bucket,
  baseInterval,
  bucketSeconds,
  DAY,
  type DenseBucket,
  FEE_FIELDS,
  type Fees,
  FLOW_FIELDS,
  gapFill,
  HOUR,
  type Interval,
  isoLabel,
  mergeFeeAssets,
  nextPeriod,
  type Period,
  type PriceAt,
  periodStart,
  rollup,
  STOCK_FIELDS,
  type Stocks,
  toPeriod,
} from "../series/rollup.js";
import { AnswerCache, LastGoodCache, ResultCache } from "../upstream/cache.js";
import { UpstreamClient } from "../upstream/client.js";
import { createNeedLoader, type Need, type Row } from "../upstream/loaders.js";
import { type ProtocolInfo, type Snapshot, SnapshotStore } from "../upstream/snapshot.js";
import type { GatewayConfig } from "./config.js";
import { badInput } from "./errors.js";
import { Registry } from "./prom.js";
import { parseTime } from "./time.js";

/** Window limits (days) per interval. */
export const MAX_WINDOW_DAYS: Record<Interval, number> = { HOUR: 92, DAY: 3700, WEEK: 3700, MONTH: 3700 };
export const MAX_PROTOCOLS = 10;
export const MAX_METRICS = 64;
export const MAX_SCORECARD_WINDOW = 365;

export interface ProtocolRef {
  /** The upstream read (for a protocol on several networks: the canonical network's). */
  client: UpstreamClient;
  snapshot: Snapshot;
  protocol: ProtocolInfo;
  traits: ProtocolTraits;
  /** A protocol on several networks: one part per network (merge.ts); absent for a single network. */
  parts?: readonly ProtocolRef[];
}

/** The upstreams and blocks an answer about a protocol read (one per network). */
export const readsOf = (ref: ProtocolRef): ProtocolRef[] => [...(ref.parts ?? [ref])];

export interface Point {
  timestamp: number;
  date: string;
  value: MetricValue;
  partial: boolean;
  /** Why an applicable value is null (MetricDef.note), else null. */
  note: string | null;
  /** The price a price-valued metric used (source and bucket), else null. */
  price: PriceAt | null;
}

export interface SeriesResult {
  /** The protocol id as asked ("morpheus", "local-b/morpheus"): what the answer is named by. */
  id: string;
  ref: ProtocolRef;
  metric: MetricDef;
  interval: Interval;
  points: Point[];
  /** The whole requested window as one period (for compare), from the protocol's first data on. */
  window: Period | null;
  /** Why there is no window although the metric applies: the window is wholly before the first data. */
  windowNote: string | null;
}

interface ProtocolIndex {
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

/** The rows of a need from every network of a protocol, concatenated (payers, operators: exact unions). */
async function loadEach(ctx: RequestContext, ref: ProtocolRef, need: Need): Promise<Row[]> {
  const lists = await Promise.all(readsOf(ref).map((part) => ctx.load(part, need)));
  return lists.flat();
}

/** One upstream's part of a blocks key: number and hash (a hash alone may be null on old graph-nodes). */
const blockKey = (upstream: string | undefined, s: Snapshot | null) =>
  `${upstream}@${s ? `${s.block.number}:${s.block.hash}` : "down"}`;

/** State of one user request. */
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
    if (!this.index) this.index = this.buildIndex();
    return this.index;
  }

  private async buildIndex(): Promise<ProtocolIndex> {
    const settled = await Promise.allSettled(this.gateway.clients.map((c) => this.snapshot(c)));
    const byId = new Map<string, ProtocolRef>();
    const all: ProtocolRef[] = [];
    const errors: ProtocolIndex["errors"] = [];
    const byProtocol = new Map<string, ProtocolRef[]>();
    settled.forEach((s, i) => {
      const client = this.gateway.clients[i];
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
    // one protocol on several networks is one protocol (merge.ts); each network stays "upstream/id"
    for (const [id, parts] of byProtocol) {
      const ref = parts.length === 1 ? (parts[0] as ProtocolRef) : mergedRef(parts);
      byId.set(id, ref);
      all.push(ref);
    }
    return { byId, all, errors };
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

export interface SeriesRequest {
  protocols: readonly string[];
  metrics: readonly string[];
  interval: Interval;
  from: string | number;
  to: string | number;
}

/** Validation that needs no upstream: metric names, intervals, time range. */
export function validateSeriesArgs(
  req: SeriesRequest,
  metricArg = "metrics",
): { metrics: MetricDef[]; from: number; to: number } {
  if (req.protocols.length === 0) throw badInput("protocols", "at least one protocol is required");
  if (req.protocols.length > MAX_PROTOCOLS) throw badInput("protocols", `at most ${MAX_PROTOCOLS} protocols`);
  if (req.metrics.length === 0) throw badInput(metricArg, "at least one metric is required");
  if (req.metrics.length > MAX_METRICS) throw badInput(metricArg, `at most ${MAX_METRICS} metrics`);
  const metrics = req.metrics.map((name) => {
    const m = METRICS_BY_NAME.get(name);
    if (!m) {
      const hint = ["nakamotoCoefficient", "topOperatorShare"].includes(name)
        ? " (a current value: see scorecard)"
        : "";
      throw badInput(metricArg, `unknown metric ${JSON.stringify(name)}${hint}; see the metrics query`);
    }
    if (!m.intervals.includes(req.interval)) {
      throw badInput(
        "interval",
        `metric ${name} has no ${req.interval} series (it has ${m.intervals.join(", ")})`,
      );
    }
    return m;
  });
  const from = parseTime("from", req.from);
  const to = parseTime("to", req.to);
  if (from >= to) throw badInput("from", "from must be before to");
  const maxDays = MAX_WINDOW_DAYS[req.interval];
  if (to - from > maxDays * DAY)
    throw badInput("to", `window too large: at most ${maxDays} days for ${req.interval}`);
  return { metrics, from, to };
}

const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(String(v)));

function pick<K extends string>(r: Row, keys: readonly K[]): Record<K, bigint> {
  const out = {} as Record<K, bigint>;
  for (const k of keys) out[k] = big(r[k]);
  return out;
}

export function parseTokenBucket(r: Row): Bucket {
  return {
    start: bucketSeconds(r.timestamp),
    flows: pick(r, FLOW_FIELDS),
    stocks: pick(r, STOCK_FIELDS) as Stocks,
  };
}

export function parseFeeBucket(r: Row): [number, Fees] {
  return [bucketSeconds(r.timestamp), pick(r, FEE_FIELDS) as Fees];
}

export interface DenseData {
  dense: DenseBucket[];
  step: number;
  /** Period starts in range and the nominal end of the last one. */
  start: number;
  nominalEnd: number;
  activity: Map<number, { payers: bigint; newPayers: bigint; activeStakers: bigint }> | null;
  /** Start of the protocol's first bucket: periods wholly before it are unknown (firstData.ts). */
  first: number | null;
  /** Price buckets (start, close) of the token and the fee asset, oldest first, with the last one before the range. */
  prices?: { token: PriceSeries; feeAsset: PriceSeries };
}

/** One asset's price buckets and what the subgraph says about its source (AssetPrice). */
export interface PriceSeries {
  rows: { start: number; close: bigint }[];
  bucketSeconds: number;
  maxAge: number;
  source: string;
}

/** The price at the end of a period: the last bucket that began before `end`, stale past maxAge. */
export function priceAt(s: PriceSeries | undefined, end: number): PriceAt | null {
  if (!s) return null;
  let lo = 0;
  let hi = s.rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((s.rows[mid] as { start: number }).start < end) lo = mid + 1;
    else hi = mid;
  }
  const row = s.rows[lo - 1];
  if (!row) return null;
  const stale = end - (row.start + s.bucketSeconds) > s.maxAge;
  return { usd: row.close, bucketStart: row.start, bucketSeconds: s.bucketSeconds, stale, source: s.source };
}

export class Gateway {
  readonly clients: UpstreamClient[];
  readonly cache: ResultCache;
  readonly answers: AnswerCache;
  readonly lastGood: LastGoodCache;
  readonly snapshots: SnapshotStore;
  readonly registry: Registry;
  /** Queries answered whole from the response cache (server.ts). */
  responseCacheHits = 0;
  /** Upstream HTTP requests sent by the worker threads on this gateway's behalf (pool/pool.ts). */
  offloadedUpstreamRequests = 0;

  constructor(
    readonly config: GatewayConfig,
    readonly logger?: Logger,
    registry?: Registry,
  ) {
    this.registry = registry ?? new Registry();
    this.clients = config.upstreams.map(
      (u) =>
        new UpstreamClient(u, {
          timeoutMs: config.timeoutMs,
          retries: config.retries,
          backoffMs: config.backoffMs,
          registry: this.registry,
          logger,
        }),
    );
    this.cache = new ResultCache(config.cacheEntries);
    this.answers = new AnswerCache(config.cacheEntries, config.answerCachePoints);
    this.lastGood = new LastGoodCache(config.cacheEntries, config.answerCachePoints);
    this.snapshots = new SnapshotStore(config.snapshotTtlMs);
  }

  newRequest(): RequestContext {
    return new RequestContext(this);
  }

  /** Total upstream HTTP requests sent so far (all upstreams). */
  upstreamRequests(): number {
    return this.clients.reduce((a, c) => a + c.requests, this.offloadedUpstreamRequests);
  }

  /** Loads the dense buckets (and exact period counts) of one protocol over [from, to) for an interval. */
  async loadDense(
    ctx: RequestContext,
    ref: ProtocolRef,
    sources: ReadonlySet<string>,
    interval: Interval,
    from: number,
    to: number,
  ): Promise<DenseData> {
    const base = baseInterval(interval);
    const step = base === "HOUR" ? HOUR : DAY;
    const agg = base === "HOUR" ? "hour" : "day";
    const start = periodStart(from, interval);
    const nominalEnd = nextPeriod(periodStart(to - 1, interval), interval);
    // The bucket containing the snapshot block is still open: graph-node has not written it yet.
    const closedUntil = periodStart(ref.snapshot.block.timestamp, base);
    const dataEnd = Math.min(nominalEnd, closedUntil);
    if (ref.parts) {
      const parts = await Promise.all(
        ref.parts.map((part) => this.loadDense(ctx, part, sources, interval, from, to)),
      );
      return mergeDense(parts, canonicalIndex(ref.parts), supplyCounted(ref.parts));
    }
    if (dataEnd <= start) return { dense: [], step, start, nominalEnd, activity: null, first: null };
    const p = ref.protocol.id;
    const wantToken = sources.has("token");
    const wantFee = sources.has("fee");
    const wantActivity = sources.has("activity") && interval !== "HOUR";
    const wantPrice = sources.has("price");
    // started now, so its reads join the same upstream request as the token and fee buckets (one DataLoader tick)
    const pricesLoad = wantPrice ? this.loadPrices(ctx, ref, agg, step, start, dataEnd) : undefined;
    // awaited below; when the reads below fail first, its own failure must not become an unhandled rejection
    pricesLoad?.catch(() => {});
    const feeAssets = ref.traits.feeAssets.map((a) => a.address);
    const [firstRows, tokenRows, prevRows, feeRowsByAsset, activityRows] = await Promise.all([
      Promise.all(firstDataNeeds(p, agg, feeAssets).map((n) => ctx.load(ref, n))),
      wantToken
        ? ctx.load(ref, { kind: "tokenFlows", protocol: p, interval: agg, from: start, to: dataEnd })
        : [],
      wantToken ? ctx.load(ref, { kind: "tokenPrev", protocol: p, interval: agg, before: start }) : [],
      // one read per fee asset (each asset's FeeFlowStats are apart), merged into the first asset's units
      Promise.all(
        (wantFee ? ref.traits.feeAssets : []).map((a) =>
          ctx.load(ref, {
            kind: "feeFlows",
            protocol: p,
            interval: agg,
            asset: a.address,
            from: start,
            to: dataEnd,
          }),
        ),
      ),
      wantActivity
        ? ctx.load(ref, {
            kind: "activity",
            protocol: p,
            period: interval as "DAY" | "WEEK" | "MONTH",
            from: start,
            to: nominalEnd,
          })
        : [],
    ]);
    const buckets = tokenRows.map(parseTokenBucket);
    const prev = prevRows[0] ? parseTokenBucket(prevRows[0]).stocks : null;
    const fees = mergeFeeAssets(
      feeRowsByAsset.map((rows) => rows.map(parseFeeBucket)),
      ref.traits.feeAssets.map((a) => a.rate),
    );
    const dense = gapFill(buckets, fees, start, dataEnd, step, prev);
    const prices = await pricesLoad;
    const activity = wantActivity
      ? new Map(
          activityRows.map((r) => [
            Number(r.periodStart),
            { payers: big(r.payers), newPayers: big(r.newPayers), activeStakers: big(r.activeStakers) },
          ]),
        )
      : null;
    return { dense, step, start, nominalEnd, activity, first: firstDataStart(firstRows), prices };
  }

  /** The token's and the fee asset's price buckets over [from, to) and the last one before. */
  private async loadPrices(
    ctx: RequestContext,
    ref: ProtocolRef,
    agg: "hour" | "day",
    step: number,
    from: number,
    to: number,
  ): Promise<{ token: PriceSeries; feeAsset: PriceSeries }> {
    const token = ref.protocol.token.address.toLowerCase();
    const fee = ref.traits.feeAsset.address.toLowerCase();
    const assets = [...new Set([token, fee])];
    const [info, ...rows] = await Promise.all([
      ctx.load(ref, { kind: "assetPrices", assets }),
      ...assets.flatMap((asset) => [
        ctx.load(ref, { kind: "pricePrev", asset, interval: agg, before: from }),
        ctx.load(ref, { kind: "prices", asset, interval: agg, from, to }),
      ]),
    ]);
    const series = (asset: string): PriceSeries => {
      const i = assets.indexOf(asset);
      const a = info.find((r) => String(r.id).toLowerCase() === asset);
      return {
        rows: [...(rows[2 * i] ?? []), ...(rows[2 * i + 1] ?? [])].map((r) => ({
          start: bucketSeconds(r.timestamp),
          close: big(r.close),
        })),
        bucketSeconds: step,
        maxAge: a ? Number(a.maxAge) : 0,
        source: a ? String(a.sourceName) : "none",
      };
    };
    return { token: series(token), feeAsset: series(fee) };
  }

  /** Periods of the interval with exact counts attached where the interval has them. */
  static periods(data: DenseData, interval: Interval): Period[] {
    const periods = rollup(data.dense, interval, data.step);
    if (data.prices) for (const p of periods) Gateway.attachPrices(p, data);
    if (data.activity) {
      for (const p of periods) {
        p.activity = data.activity.get(p.start) ?? { payers: 0n, newPayers: 0n, activeStakers: 0n };
      }
    }
    return periods;
  }

  static attachPrices(p: Period, data: DenseData): void {
    if (!data.prices) return;
    p.prices = { token: priceAt(data.prices.token, p.end), feeAsset: priceAt(data.prices.feeAsset, p.end) };
  }

  /** series(): one SeriesResult per protocol × metric, all upstream reads batched. */
  async series(
    ctx: RequestContext,
    req: SeriesRequest,
    opts: { window?: boolean } = {},
  ): Promise<SeriesResult[]> {
    const { metrics, from, to } = validateSeriesArgs(req);
    const refs = await Promise.all(
      req.protocols.map(async (id) => ({ id, ref: await ctx.resolve(id, "protocols") })),
    );
    const sources = new Set(metrics.flatMap((m) => m.sources));
    const perProtocol = await Promise.all(
      refs.map(async ({ id, ref }) => {
        const data = await this.loadDense(ctx, ref, sources, req.interval, from, to);
        let windowPeriod: Period | null = null;
        const known = knownBuckets(data.dense, data.first);
        if (opts.window && known.length > 0) {
          const start = Math.max(data.start, known[0]?.start ?? data.start);
          windowPeriod = toPeriod(known, start, data.nominalEnd, data.step);
          Gateway.attachPrices(windowPeriod, data);
          if (metrics.some((m) => m.name === "payers" || m.name === "feePerPayer")) {
            const rows = await loadEach(ctx, ref, {
              kind: "payers",
              protocol: ref.protocol.id,
              from: windowPeriod.start,
              to: windowPeriod.end,
            });
            windowPeriod.activity = {
              payers: BigInt(new Set(rows.map((r) => String(r.payer))).size),
              newPayers: 0n,
              activeStakers: 0n,
            };
          }
        }
        // a window wholly before the first data is unknown (no window value, a note)
        const windowUnknown = !!opts.window && data.dense.length > 0 && known.length === 0;
        const periods = Gateway.periods(data, req.interval);
        return { id, ref, first: data.first, periods, windowPeriod, windowUnknown };
      }),
    );
    const out: SeriesResult[] = [];
    for (const { id, ref, first, periods, windowPeriod, windowUnknown } of perProtocol) {
      const dates = periods.map((p) => isoLabel(p.start, req.interval));
      const unknown = unknownNote(ref.protocol.name, first, req.interval);
      for (const metric of metrics) {
        const applies = metric.applies(ref.traits);
        out.push({
          id,
          ref,
          metric,
          interval: req.interval,
          points: periods.map((p, i) => {
            const before = beforeFirstData(p.nominalEnd, first);
            const value = applies && !before ? metric.compute(p, ref.traits) : null;
            return {
              timestamp: p.start,
              date: dates[i] ?? "",
              value,
              partial: p.partial,
              note: !applies
                ? null
                : before
                  ? unknown
                  : value === null && metric.note
                    ? metric.note(p, ref.traits)
                    : null,
              price: metric.priceUsed && !before ? metric.priceUsed(p) : null,
            };
          }),
          window:
            windowPeriod && applies && !(metric.kind === "DISTINCT" && metric.name !== "payers")
              ? windowPeriod
              : null,
          windowNote: applies && windowUnknown ? unknown : null,
        });
      }
    }
    return out;
  }

  /** Operators' stakes at the snapshot block. */
  async operatorStakes(ctx: RequestContext, ref: ProtocolRef): Promise<bigint[]> {
    const rows = await loadEach(ctx, ref, { kind: "operators", protocol: ref.protocol.id });
    return rows.map((r) => big(r.totalStake));
  }

  async scorecard(ctx: RequestContext, protocolId: string, windowDays: number): Promise<Scorecard> {
    if (!Number.isInteger(windowDays) || windowDays < 1)
      throw badInput("window", "window must be a positive number of days");
    if (windowDays > MAX_SCORECARD_WINDOW)
      throw badInput("window", `window too large: at most ${MAX_SCORECARD_WINDOW} days`);
    const ref = await ctx.resolve(protocolId, "protocol");
    const end = periodStart(ref.snapshot.block.timestamp, "DAY");
    const span = Math.max(2 * windowDays, 180);
    const fetchFrom = end - span * DAY;
    const winFrom = end - windowDays * DAY;
    const [data, payerRows, stakes] = await Promise.all([
      this.loadDense(ctx, ref, new Set(["token", "fee"]), "DAY", fetchFrom, end),
      loadEach(ctx, ref, { kind: "payers", protocol: ref.protocol.id, from: winFrom, to: end }),
      this.operatorStakes(ctx, ref),
    ]);
    return buildScorecard(ref, data.dense, windowDays, end, payerRows, stakes, protocolId);
  }
}

export { buildScorecard, pct, readable, type Scorecard, type ScoreLine } from "../scorecard/lines.js";
export { formatUnits, type ProtocolInfo };
