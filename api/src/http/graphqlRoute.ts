/**
 * GraphQL over HTTP at / and /graphql: the request body is bounded, a JSON POST is answered from the
 * whole-response cache when every upstream is at the same blocks (responseCache.ts), else the request is
 * estimated and admitted (protections/guard.ts: cost limit, per-client budgets) and runs on the event loop or the
 * worker pool (pool/executor.ts); a cacheable answer is kept under the blocks it read.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { GatewayConfig } from "../core/config.js";
import type { Gateway } from "../core/gateway.js";
import type { Answer, Executor } from "../pool/executor.js";
import { graphqlParams, type LoadGuard } from "../protections/guard.js";
import { ResponseCache } from "./responseCache.js";

export interface GraphQLRouteDeps {
  config: GatewayConfig;
  gateway: Gateway;
  guard: LoadGuard;
  executor: Executor;
  logger: Logger;
  /** Counts an HTTP answer by route and status (gateway_http_requests_total). */
  count(route: string, status: number): void;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The GraphQL route's handler (the server has checked the path). */
export function graphqlRoute({ config, gateway, guard, executor, logger, count }: GraphQLRouteDeps) {
  const responses =
    config.cacheEntries > 0 && config.responseCacheBytes > 0
      ? new ResponseCache(config.responseCacheBytes)
      : null;
  const cacheOutcome = (outcome: "hit" | "miss") =>
    gateway.registry.inc(
      "gateway_response_cache_total",
      "JSON POST queries by whole-response cache outcome",
      {
        outcome,
      },
    );

  /** Observes a GraphQL request's latency since `started` (performance.now()); returns it in seconds. */
  const recordLatency = (started: number) => {
    const seconds = (performance.now() - started) / 1000;
    gateway.registry.observe("gateway_graphql_request_seconds", "GraphQL request latency", {}, seconds);
    return seconds;
  };

  const send = (res: ServerResponse, route: string, status: number, type: string, body: string | Buffer) => {
    res.statusCode = status;
    res.setHeader("content-type", type);
    res.end(body);
    count(route, status);
  };

  /** A request refused before any work: 400 over the cost limit, 429 over its client's budget. */
  const refuse = (
    res: ServerResponse,
    route: string,
    v: { status: number; error: GraphQLError; retryAfterSeconds: number | null },
  ) => {
    if (v.retryAfterSeconds !== null) res.setHeader("retry-after", String(v.retryAfterSeconds));
    send(res, route, v.status, "application/json", JSON.stringify({ errors: [v.error.toJSON()] }));
  };

  const write = (res: ServerResponse, route: string, a: Answer) => {
    for (const [k, v] of a.headers) res.setHeader(k, v);
    res.statusCode = a.status;
    res.end(a.body);
    count(route, a.status);
  };

  return async function handleGraphQL(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
  ): Promise<void> {
    let body: unknown;
    const reqCtx = gateway.newRequest();
    let cacheText: string | null = null;
    if (method === "POST") {
      let text: string;
      try {
        text = await readBody(req, config.maxBodyBytes);
      } catch (e) {
        if (e instanceof BodyTooLarge) {
          res.setHeader("connection", "close");
          send(
            res,
            "graphql",
            413,
            "application/json",
            JSON.stringify({
              errors: [
                {
                  message: `request body larger than ${config.maxBodyBytes} bytes`,
                  extensions: { code: "PAYLOAD_TOO_LARGE" },
                },
              ],
            }),
          );
          return;
        }
        throw e;
      }
      const ctype = req.headers["content-type"] ?? "";
      if (ctype.includes("application/json")) {
        // Only a body whose media type is exactly JSON: such a POST cannot be a simple cross-site request,
        // which Apollo (not reached on a hit) would refuse. The accept header picks the content type. Looked
        // up before parsing: only bodies that parsed and succeeded were ever stored. A hit is answered before
        // any budget is checked: it costs nothing.
        if (responses && ctype.split(";")[0]?.trim().toLowerCase() === "application/json") {
          cacheText = `${req.headers.accept ?? ""}\u0000${text}`;
          // The blocks held now; with snapshotTtlMs 0 every request reads them anyway, so wait for that read.
          const now =
            reqCtx.peekBlocksKey() ?? (config.snapshotTtlMs === 0 ? await reqCtx.blocksKey() : null);
          const hit = now === null ? undefined : responses.get(ResponseCache.key(cacheText, now));
          cacheOutcome(hit ? "hit" : "miss");
          if (hit) {
            const started = performance.now();
            for (const [k, v] of hit.headers) res.setHeader(k, v);
            res.statusCode = 200;
            res.end(hit.body);
            count("graphql", 200);
            gateway.responseCacheHits += 1;
            recordLatency(started);
            return;
          }
        }
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          send(
            res,
            "graphql",
            400,
            "application/json",
            JSON.stringify({
              errors: [{ message: "body is not valid JSON", extensions: { code: "BAD_REQUEST" } }],
            }),
          );
          return;
        }
      } else {
        body = text;
      }
    }
    const started = performance.now();
    // Cost before work: refused here (400 over the limit, 429 over the client's budget), nothing has run.
    const params = graphqlParams(method.toUpperCase(), body, url.search);
    const verdict = await guard.check(req, guard.estimate(params));
    if (!verdict.ok) {
      refuse(res, "graphql", verdict);
      recordLatency(started);
      return;
    }
    let answer: Answer;
    try {
      const pinKey = params?.query.includes("allowStale")
        ? `${params.query}\u0000${JSON.stringify(params.variables)}`
        : null;
      answer = await executor.graphql(
        reqCtx,
        { method, headers: req.headers, search: url.search, body },
        { client: verdict.client, cost: verdict.cost, pinKey },
      );
      write(res, "graphql", answer);
    } finally {
      verdict.release();
    }
    if (responses && cacheText !== null && answer.cacheable) {
      // Stored under the blocks this request read at (settled by now, or read after the response for a
      // query that needed no upstream); never while an upstream was down.
      const stored = { text: cacheText, body: answer.body, headers: answer.headers };
      (answer.blocksKey !== null ? Promise.resolve(answer.blocksKey) : reqCtx.blocksKey())
        .then((k) => {
          if (!k.includes("@down"))
            responses.set(ResponseCache.key(stored.text, k), stored.body, stored.headers);
        })
        .catch(() => {});
    }
    const seconds = recordLatency(started);
    logger.info(
      {
        method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
        client: verdict.client,
        cost: verdict.cost,
      },
      "graphql request",
    );
  };
}
