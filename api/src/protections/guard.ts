/**
 * The front door of every computed request: its estimated cost (cost.ts) against the per-request limit, then
 * its client's budgets (budgets.ts). Runs on the main thread before any work, from the query text alone.
 */
import type { IncomingMessage } from "node:http";
import { type DocumentNode, type GraphQLError, parse } from "graphql";
import { LRUCache } from "lru-cache";
import type { GatewayConfig } from "../core/config.js";
import type { Gateway } from "../core/gateway.js";
import type { WorkerPool } from "../pool/pool.js";
import { type Admission, ClientBudgets, ClientIdentity, rateLimited } from "./budgets.js";
import { BASE_COST, type OperationCost, operationCost, overBudget } from "./cost.js";

export interface GraphQLParams {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown> | null;
}

/** The GraphQL parameters of a request: the parsed JSON body of a POST, the query string of a GET. */
export function graphqlParams(method: string, body: unknown, search: string): GraphQLParams | null {
  if (method === "GET") {
    const q = new URLSearchParams(search);
    const query = q.get("query");
    if (!query) return null;
    let variables: Record<string, unknown> | null = null;
    try {
      variables = q.get("variables")
        ? (JSON.parse(q.get("variables") ?? "") as Record<string, unknown>)
        : null;
    } catch {
      return null;
    }
    return { query, operationName: q.get("operationName"), variables };
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const b = body as { query?: unknown; operationName?: unknown; variables?: unknown };
  if (typeof b.query !== "string") return null;
  return {
    query: b.query,
    operationName: typeof b.operationName === "string" ? b.operationName : null,
    variables:
      b.variables && typeof b.variables === "object" && !Array.isArray(b.variables)
        ? (b.variables as Record<string, unknown>)
        : null,
  };
}

export type GuardVerdict =
  | { ok: true; client: string; cost: number; release(): void }
  | { ok: false; status: 400 | 429; error: GraphQLError; retryAfterSeconds: number | null };

export class LoadGuard {
  private readonly identity: ClientIdentity;
  private readonly budgets: ClientBudgets;
  /** Parsed documents by query text (a dashboard repeats its queries); null: does not parse. */
  private readonly docs = new LRUCache<string, { doc: DocumentNode | null }>({
    max: 500,
    maxSize: 5_000_000,
    sizeCalculation: (_v, k) => k.length + 1,
  });

  constructor(
    private readonly config: GatewayConfig,
    private readonly gateway: Gateway,
    private readonly pool: WorkerPool | null,
  ) {
    this.identity = new ClientIdentity(config.apiKeys);
    this.budgets = new ClientBudgets(config);
  }

  /** No bucket starts at or after the newest block the gateway holds (now, before the first snapshot). */
  horizon(): number {
    let newest = 0;
    for (const c of this.gateway.clients)
      newest = Math.max(newest, this.gateway.snapshots.peek(c)?.block.timestamp ?? 0);
    return newest > 0 ? newest : Math.floor(Date.now() / 1000);
  }

  /** The estimated cost of a GraphQL request; null when it cannot be told (execution refuses it cheaply). */
  estimate(params: GraphQLParams | null): OperationCost | null {
    if (!params) return null;
    let entry = this.docs.get(params.query);
    if (!entry) {
      let doc: DocumentNode | null = null;
      try {
        doc = parse(params.query);
      } catch {
        doc = null;
      }
      entry = { doc };
      this.docs.set(params.query, entry);
    }
    return entry.doc
      ? operationCost(entry.doc, params.operationName, params.variables, this.horizon())
      : null;
  }

  /** Checks the per-request limit, then admits the request against its client's budgets. */
  async check(req: IncomingMessage, estimate: OperationCost | null): Promise<GuardVerdict> {
    const cost = estimate?.total ?? BASE_COST;
    if (estimate && this.config.maxRequestCost > 0 && cost > this.config.maxRequestCost) {
      this.refused("cost");
      return {
        ok: false,
        status: 400,
        error: overBudget(estimate, this.config.maxRequestCost),
        retryAfterSeconds: null,
      };
    }
    const client = this.identity.of(req);
    const busy = this.busy(client, cost);
    const a: Admission = busy ?? (await this.budgets.admit(client, cost));
    if (!a.ok) {
      this.refused(a.reason);
      this.gateway.logger?.info(
        { client, cost, reason: a.reason, retryAfter: a.retryAfterSeconds },
        "request refused",
      );
      return { ok: false, status: 429, error: rateLimited(a), retryAfterSeconds: a.retryAfterSeconds };
    }
    return { ok: true, client, cost, release: a.release };
  }

  /**
   * A request for the worker pool that would wait longer than maxWorkerWaitMs: refused now rather than
   * answered late. The pool's fair order puts a client's request behind the backlog it made itself, so the
   * clients sending the most are the ones told to come back.
   */
  private busy(client: string, cost: number): Admission | null {
    const limit = this.config.maxWorkerWaitMs;
    if (!this.pool || limit <= 0 || cost < this.config.offloadMinCost) return null;
    const wait = this.pool.estimatedWaitMs(client);
    if (wait <= limit) return null;
    const retryAfterSeconds = Math.min(60, Math.max(1, Math.ceil(wait / 1000)));
    return {
      ok: false,
      reason: "busy",
      retryAfterSeconds,
      message:
        `the gateway's workers are busy: this request (cost ${cost.toLocaleString("en-US")}) would wait about ` +
        `${Math.ceil(wait / 1000)} s for one, over the limit of ${limit / 1000} s; retry after ${retryAfterSeconds} s`,
    };
  }

  private refused(reason: string): void {
    this.gateway.registry.inc("gateway_refused_total", "Requests refused before any work, by reason", {
      reason,
    });
  }
}
