/**
 * HTTP client for one graph-node upstream: timeout per attempt, retries with exponential backoff
 * for reads, failures mapped to GraphQL errors (extensions.code UPSTREAM_*). URLs never appear in errors.
 */
import type { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { UpstreamConfig } from "../core/config.js";
import { isRetryable, upstreamError } from "../core/errors.js";
import type { Registry } from "../core/prom.js";
import { redactUrl } from "./redact.js";

export interface ClientOptions {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  registry?: Registry;
  logger?: Logger;
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class UpstreamClient {
  /** Number of HTTP requests sent (all attempts), for tests and benches. */
  requests = 0;
  readonly safeUrl: string;

  constructor(
    readonly config: UpstreamConfig,
    private readonly opts: ClientOptions,
  ) {
    this.safeUrl = redactUrl(config.url);
  }

  get name(): string {
    return this.config.name;
  }

  /** Runs a read query against the subgraph endpoint. */
  query<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    return this.post<T>(this.config.url, query, variables, "subgraph");
  }

  /** Runs a query against the index-node status API (statusUrl); throws when none is configured. */
  status<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    if (!this.config.statusUrl)
      throw upstreamError("UPSTREAM_UNAVAILABLE", this.name, "no statusUrl configured");
    return this.post<T>(this.config.statusUrl, query, variables, "status");
  }

  private async post<T>(
    url: string,
    query: string,
    variables: Record<string, unknown>,
    kind: string,
  ): Promise<T> {
    let attempt = 0;
    for (;;) {
      try {
        return await this.once<T>(url, query, variables, kind);
      } catch (err) {
        if (!isRetryable(err) || attempt >= this.opts.retries) throw err;
        const delay = this.opts.backoffMs * 2 ** attempt * (0.5 + Math.random() / 2);
        this.opts.logger?.warn(
          {
            upstream: this.name,
            attempt: attempt + 1,
            delayMs: Math.round(delay),
            err: (err as GraphQLError).message,
          },
          "upstream read failed, retrying",
        );
        attempt += 1;
        await sleep(delay);
      }
    }
  }

  private async once<T>(
    url: string,
    query: string,
    variables: Record<string, unknown>,
    kind: string,
  ): Promise<T> {
    this.requests += 1;
    const started = performance.now();
    let outcome = "ok";
    try {
      let res: Response;
      try {
        res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
      } catch (err) {
        const e = err as Error;
        if (e.name === "TimeoutError" || e.name === "AbortError") {
          outcome = "timeout";
          throw upstreamError("UPSTREAM_TIMEOUT", this.name, `no answer within ${this.opts.timeoutMs} ms`);
        }
        outcome = "unavailable";
        const c = e.cause as { code?: string; message?: string } | undefined;
        const cause = c?.code ?? c?.message ?? e.message;
        throw upstreamError("UPSTREAM_UNAVAILABLE", this.name, `cannot connect (${cause})`);
      }
      const text = await res.text();
      if (res.status >= 500 || res.status === 429) {
        outcome = "unavailable";
        throw upstreamError("UPSTREAM_UNAVAILABLE", this.name, `HTTP ${res.status}`, {
          httpStatus: res.status,
        });
      }
      let body: GraphQLResponse<T>;
      try {
        body = JSON.parse(text) as GraphQLResponse<T>;
      } catch {
        outcome = "bad_response";
        throw upstreamError("UPSTREAM_BAD_RESPONSE", this.name, `HTTP ${res.status}, body is not JSON`, {
          httpStatus: res.status,
        });
      }
      if (body.errors && body.errors.length > 0) {
        outcome = "query_failed";
        const msg = body.errors.map((e) => e.message).join("; ");
        // graph-node reports blocks not yet indexed / pruned and indexing failures as GraphQL errors.
        const code =
          /indexing error|failed/i.test(msg) && /subgraph/i.test(msg)
            ? "UPSTREAM_INDEXING_ERROR"
            : "UPSTREAM_QUERY_FAILED";
        throw upstreamError(code, this.name, msg.slice(0, 500));
      }
      if (!res.ok || body.data === undefined || body.data === null) {
        outcome = "bad_response";
        throw upstreamError("UPSTREAM_BAD_RESPONSE", this.name, `HTTP ${res.status} without data`, {
          httpStatus: res.status,
        });
      }
      return body.data;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      this.opts.registry?.observe(
        "gateway_upstream_request_seconds",
        "Latency of upstream graph-node requests",
        { upstream: this.name, kind, outcome },
        seconds,
      );
      this.opts.registry?.inc("gateway_upstream_requests_total", "Upstream graph-node requests", {
        upstream: this.name,
        kind,
        outcome,
      });
    }
  }
}
