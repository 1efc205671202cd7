/** Messages between the main thread and the gateway's worker threads (pool.ts, worker.ts). */

import type { GatewayConfig } from "../core/config.js";
import type { MetricOp } from "../core/prom.js";
import type { GraphQLHttpRequest } from "../graphql/apollo.js";
import type { Snapshot } from "../upstream/snapshot.js";

/** One upstream's snapshot as the main thread held it for a request, or why it could not be read. */
export interface SeededSnapshot {
  upstream: string;
  snapshot?: Snapshot;
  error?: { message: string; extensions: Record<string, unknown> };
}

export type Task =
  | { kind: "graphql"; http: GraphQLHttpRequest; snapshots: SeededSnapshot[] }
  | { kind: "csv"; search: string; snapshots: SeededSnapshot[] };

export interface TaskResult {
  status: number;
  headers: [string, string][];
  /** UTF-8 response body, transferred (not copied) to the main thread. */
  body: Uint8Array;
  /** Whether the whole-response cache may keep it. */
  cacheable: boolean;
  /** A last good answer (allowStale) of a series route: read at other blocks than blocksKey's. */
  stale?: boolean;
  /** The blocks the request read at (RequestContext.blocksKey). */
  blocksKey: string;
  /** What the worker's metrics registry was told since its last answer. */
  metrics: MetricOp[];
  /** Log lines (pino JSON) written since its last answer. */
  logs: string[];
  /** Upstream HTTP requests sent since its last answer. */
  upstreamRequests: number;
}

export interface WorkerInit {
  config: GatewayConfig;
  logLevel: string;
  nice: number;
}

export type ToWorker = { id: number; task: Task };
export type FromWorker =
  | { ready: true }
  | { id: number; result: TaskResult }
  | { id: number; error: { message: string; stack?: string } };
