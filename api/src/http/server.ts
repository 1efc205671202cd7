/**
 * The HTTP server on node:http (no express): CORS (configurable, open by default), GET /health, GET /metrics
 * (Prometheus text), the dashboard (dashboard/route.ts), the data routes for notebooks and dashboards
 * (/series.csv, /series.json, /metrics.csv, /protocols.csv, …: routes.ts) and GraphQL at / and /graphql
 * (graphqlRoute.ts: Apollo Server 5, admitted by protections/guard.ts, run by pool/executor.ts). startGateway()
 * is what main.ts and the stack supervisor call.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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
import { Executor } from "../pool/executor.js";
import { WorkerPool } from "../pool/pool.js";
import { LoadGuard } from "../protections/guard.js";
import { graphqlRoute } from "./graphqlRoute.js";
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

  const routeData = dataRoutes({ config, gateway, guard, executor, logger, count: httpCount });
  const routeGraphQL = graphqlRoute({ config, gateway, guard, executor, logger, count: httpCount });

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
    await routeGraphQL(req, res, url, method);
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
