/**
 * Where a computed request runs: on the event loop when it is small (estimated cost below offloadMinCost),
 * else on the worker pool, at the snapshots the main thread holds. The pool's answer is bytes, written
 * as they are; the event loop only reads requests and writes answers while workers compute.
 */
import type { ApolloServer } from "@apollo/server";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { RequestContext } from "../core/context.js";
import type { Gateway } from "../core/gateway.js";
import { applyOps } from "../core/prom.js";
import { type GraphQLHttpRequest, runGraphQL } from "../graphql/apollo.js";
import type { GraphQLContext } from "../graphql/resolvers.js";
import { csvAnswer } from "../http/csv.js";
import { PoolUnavailable, type WorkerPool } from "./pool.js";
import type { SeededSnapshot, Task, TaskResult } from "./protocol.js";

export interface Answer {
  status: number;
  headers: [string, string][];
  body: string | Buffer;
  cacheable: boolean;
  /** The blocks it was computed at, when known now (worker answers); else read from the request context. */
  blocksKey: string | null;
  /** A last good answer served because an upstream is down (allowStale): not at blocksKey's blocks. */
  stale?: boolean;
}

export interface Job {
  client: string;
  cost: number;
  /** Requests with the same key run on the same worker (allowStale: the worker that kept the answer). */
  pinKey: string | null;
}

export class Executor {
  constructor(
    private readonly apollo: ApolloServer<GraphQLContext>,
    private readonly gateway: Gateway,
    private readonly pool: WorkerPool | null,
    private readonly logger: Logger,
  ) {
    if (pool) pool.onResult = (r) => this.absorb(r);
  }

  private offload(cost: number): boolean {
    return this.pool !== null && cost >= this.gateway.config.offloadMinCost;
  }

  async graphql(ctx: RequestContext, http: GraphQLHttpRequest, job: Job): Promise<Answer> {
    if (this.offload(job.cost)) {
      const r = await this.inPool(ctx, job, (snapshots) => ({ kind: "graphql", http, snapshots }));
      if (r) return r;
    }
    this.counted("event_loop");
    return { ...(await runGraphQL(this.apollo, this.gateway, ctx, http)), blocksKey: null };
  }

  async csv(ctx: RequestContext, search: string, job: Job): Promise<Answer> {
    if (this.offload(job.cost)) {
      const r = await this.inPool(ctx, job, (snapshots) => ({ kind: "csv", search, snapshots }));
      if (r) return r;
    }
    this.counted("event_loop");
    const csv = await csvAnswer(this.gateway, ctx, search, this.logger);
    return {
      status: csv.status,
      headers: [["content-type", csv.type]],
      body: csv.body,
      cacheable: false,
      blocksKey: null,
      stale: csv.stale ?? false,
    };
  }

  /** Runs a task on the pool; null when the pool cannot (the caller runs it on the event loop). */
  private async inPool(
    ctx: RequestContext,
    job: Job,
    task: (snapshots: SeededSnapshot[]) => Task,
  ): Promise<Answer | null> {
    const pool = this.pool;
    if (!pool) return null;
    const snapshots = await this.snapshots(ctx);
    try {
      const r = await pool.run(task(snapshots), job);
      this.counted("worker");
      const body = Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength);
      return {
        status: r.status,
        headers: r.headers,
        body,
        cacheable: r.cacheable,
        blocksKey: r.blocksKey,
        stale: r.stale ?? false,
      };
    } catch (e) {
      if (e instanceof PoolUnavailable) return null;
      throw e;
    }
  }

  /** The snapshots this request reads at (the ones the gateway holds, or read now), for a worker. */
  private async snapshots(ctx: RequestContext): Promise<SeededSnapshot[]> {
    const clients = this.gateway.clients;
    const settled = await Promise.allSettled(clients.map((c) => ctx.snapshot(c)));
    return settled.map((s, i) => {
      const upstream = clients[i]?.name ?? "";
      if (s.status === "fulfilled") return { upstream, snapshot: s.value };
      const e = s.reason;
      return e instanceof GraphQLError
        ? { upstream, error: { message: e.message, extensions: { ...e.extensions } } }
        : { upstream, error: { message: String(e), extensions: { code: "UPSTREAM_UNAVAILABLE" } } };
    });
  }

  /** A worker's metrics, log lines and upstream requests, added to the gateway's own. */
  private absorb(r: TaskResult): void {
    applyOps(this.gateway.registry, r.metrics);
    this.gateway.offloadedUpstreamRequests += r.upstreamRequests;
    for (const line of r.logs) {
      try {
        const { level, msg, time: _t, pid: _p, hostname: _h, name: _n, ...rest } = JSON.parse(line);
        const label = this.logger.levels.labels[Number(level)] ?? "info";
        (this.logger[label as "info"] ?? this.logger.info).call(this.logger, rest, msg);
      } catch {
        // not JSON: dropped
      }
    }
  }

  private counted(where: "event_loop" | "worker"): void {
    this.gateway.registry.inc("gateway_computed_total", "Computed requests by where they ran", { where });
  }
}
