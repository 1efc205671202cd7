/**
 * The gateway: its upstream clients (one per graph-node), the caches shared by every request (block-pinned
 * upstream results, computed answers, last good answers), the snapshot store and the Prometheus registry. A user
 * request gets its own RequestContext (context.ts); the series engine (series/) and the scorecard (scorecard/)
 * compute from it.
 */
import type { Logger } from "pino";
import { ResultCache } from "../upstream/cache.js";
import { UpstreamClient } from "../upstream/client.js";
import { SnapshotStore } from "../upstream/snapshot.js";
import { AnswerCache, LastGoodCache } from "./answerCache.js";
import type { GatewayConfig } from "./config.js";
import { RequestContext } from "./context.js";
import { Registry } from "./prom.js";

export class Gateway {
  readonly clients: UpstreamClient[];
  readonly cache: ResultCache;
  readonly answers: AnswerCache;
  readonly lastGood: LastGoodCache;
  readonly snapshots: SnapshotStore;
  readonly registry: Registry;
  /** Queries answered whole from the response cache (http/server.ts). */
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
}
