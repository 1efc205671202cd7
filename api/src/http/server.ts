/**
 * HTTP server: Apollo Server 5 on node:http (no express), plus GET /health, GET /metrics (Prometheus
 * text) and the data routes for notebooks and dashboards (/series.csv, /series.json, /metrics.csv,
 * /protocols.csv, …: http/routes.ts). Request bodies are bounded; CORS is configurable (open by default). Every
 * computed request is estimated and admitted first (protections/guard.ts: cost limit, per-client budgets), then runs on
 * the event loop or on the worker pool (pool/executor.ts); whole answers are kept by block (responseCache.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { GraphQLError } from "graphql";
import pino, { type Logger } from "pino";
import {
  type GatewayConfig,
  type GatewayConfigInput,
  parseConfig,
  type UpstreamConfig,
} from "../core/config.js";
import { Gateway } from "../core/gateway.js";
import { isDashboardPath, serveDashboard } from "../dashboard/route.js";
import { createApollo } from "../graphql/apollo.js";
import { type Answer, Executor } from "../pool/executor.js";
import { WorkerPool } from "../pool/pool.js";
import { graphqlParams, LoadGuard } from "../protections/guard.js";
import { ResponseCache } from "./responseCache.js";
import { dataRoutes } from "./routes.js";

export interface GatewayHandle {
  /** Base URL, e.g. http://127.0.0.1:4000 (GraphQL is served at / and /graphql; routes /health, /metrics, /series.csv, …). */
  url: string;
  /** Same as url. */
  baseUrl: string;
  /** GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql */
  graphqlUrl: string;
  gateway: Gateway;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  upstreams?: UpstreamConfig[];
  /** Full config (upstreams and limits); `upstreams` overrides config.upstreams. */
  config?: Partial<GatewayConfigInput>;
  logger?: Logger;
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

export async function createGatewayServer(config: GatewayConfig, logger: Logger) {
  const gateway = new Gateway(config, logger);
  const apollo = await createApollo(config, logger);
  if (config.snapshotKeepWarmMs > 0) gateway.snapshots.start(gateway.clients, config.snapshotKeepWarmMs);
  const pool =
    config.workers > 0
      ? new WorkerPool({
          size: config.workers,
          concurrency: config.workerConcurrency,
          nice: config.workerNice,
          config,
          logger,
        })
      : null;
  const executor = new Executor(apollo, gateway, pool, logger);
  const guard = new LoadGuard(config, gateway, pool);

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

  const httpCount = (route: string, status: number) =>
    gateway.registry.inc("gateway_http_requests_total", "HTTP requests by route and status", {
      route,
      status: String(status),
    });

  const cors = (res: ServerResponse) => {
    res.setHeader("access-control-allow-origin", config.corsOrigin);
    res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
    res.setHeader(
      "access-control-allow-headers",
      "content-type, apollo-require-preflight, x-apollo-operation-name, x-api-key, authorization, if-none-match",
    );
    res.setHeader("access-control-expose-headers", "retry-after, etag");
    res.setHeader("access-control-max-age", "600");
    if (config.corsOrigin !== "*") res.setHeader("vary", "Origin");
  };

  const send = (res: ServerResponse, route: string, status: number, type: string, body: string | Buffer) => {
    res.statusCode = status;
    res.setHeader("content-type", type);
    res.end(body);
    httpCount(route, status);
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
    httpCount(route, a.status);
  };

  const routeData = dataRoutes({ config, gateway, guard, executor, logger, count: httpCount });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    cors(res);
    const url = new URL(req.url ?? "/", "http://localhost");
    const method = req.method ?? "GET";
    if (method === "OPTIONS") {
      res.statusCode = 204;
      res.end();
      httpCount("options", 204);
      return;
    }
    if (method === "GET" && url.pathname === "/health") {
      send(
        res,
        "health",
        200,
        "application/json",
        JSON.stringify({ status: "ok", upstreams: gateway.clients.map((c) => c.name) }),
      );
      return;
    }
    if (method === "GET" && url.pathname === "/metrics") {
      send(res, "metrics", 200, "text/plain; version=0.0.4", gateway.registry.render());
      return;
    }
    if ((method === "GET" || method === "HEAD") && isDashboardPath(url.pathname)) {
      httpCount("dashboard", await serveDashboard(url.pathname, res));
      return;
    }
    if (await routeData(req, res, url)) return;
    if (url.pathname !== "/graphql" && url.pathname !== "/") {
      send(res, "not_found", 404, "application/json", JSON.stringify({ error: "not found" }));
      return;
    }
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
            httpCount("graphql", 200);
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
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      logger.error({ err }, "request failed");
      if (!res.headersSent)
        send(res, "error", 500, "application/json", JSON.stringify({ error: "internal error" }));
      else res.end();
    });
  });
  return { server, apollo, gateway, pool };
}

/** Starts the gateway on node:http. Used by main.ts and by the stack supervisor. */
export async function startGateway(opts: StartOptions = {}): Promise<GatewayHandle> {
  const logger = opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? "info", name: "gateway" });
  const config = parseConfig({ ...(opts.config ?? {}), upstreams: opts.upstreams ?? opts.config?.upstreams });
  const { server, apollo, gateway, pool } = await createGatewayServer(config, logger);
  const host = opts.host ?? "127.0.0.1";
  try {
    // Listening once the workers run: the first large request does not wait for them to load.
    await pool?.ready();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 4000, host, () => resolve());
    });
  } catch (e) {
    gateway.snapshots.stop();
    await pool?.stop();
    await apollo.stop();
    throw e;
  }
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  logger.info(
    { url: `${baseUrl}/graphql`, upstreams: gateway.clients.map((c) => ({ name: c.name, url: c.safeUrl })) },
    "gateway listening",
  );
  return {
    url: baseUrl,
    baseUrl,
    graphqlUrl: `${baseUrl}/graphql`,
    gateway,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      gateway.snapshots.stop();
      await pool?.stop();
      await apollo.stop();
    },
  };
}
