/**
 * HTTP server: Apollo Server 5 on node:http (no express), plus GET /health, GET /metrics (Prometheus
 * text) and GET /series.csv. Request bodies are bounded; CORS is configurable (open by default).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import type { GraphQLFormattedError } from "graphql";
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type SelectionSetNode,
} from "graphql";
import { LRUCache } from "lru-cache";
import pino, { type Logger } from "pino";
import { type GatewayConfig, type GatewayConfigInput, parseConfig, type UpstreamConfig } from "./config.js";
import { Gateway } from "./gateway.js";
import { queryLimits } from "./limits.js";
import { redactText } from "./redact.js";
import { type GraphQLContext, resolvers, seriesOut } from "./resolvers.js";
import type { Interval } from "./rollup.js";
import { typeDefs } from "./schema.js";

export interface GatewayHandle {
  /** Base URL, e.g. http://127.0.0.1:4000 (GraphQL is served at / and /graphql; routes /health, /metrics, /series.csv). */
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

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Whether a root selection set selects `name` (directly, or through inline fragments and fragment spreads). */
function selectsRootField(
  set: SelectionSetNode,
  doc: DocumentNode,
  name: string,
  seen = new Set<string>(),
): boolean {
  return set.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === name;
    if (s.kind === Kind.INLINE_FRAGMENT) return selectsRootField(s.selectionSet, doc, name, seen);
    if (seen.has(s.name.value)) return false;
    seen.add(s.name.value);
    const frag = doc.definitions.find(
      (d): d is FragmentDefinitionNode =>
        d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
    );
    return frag ? selectsRootField(frag.selectionSet, doc, name, seen) : false;
  });
}

/**
 * Decides, once per operation, whether its response may be kept by the response cache: a query that
 * succeeded without errors, not selecting `status` (live health, not a function of the block), and not
 * answered stale (resolvers.ts sets false). Responses read while an upstream was down are refused at store
 * time (server.ts). Every other field is a function of the blocks the request read at.
 */
const cacheabilityPlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse(rc) {
        const body = rc.response.body;
        const outcome = rc.contextValue.response;
        if (!outcome) return;
        // Apollo hands each operation a shallow copy of the context: the decision goes into a shared object.
        outcome.cacheable =
          outcome.cacheable !== false &&
          rc.operation?.operation === "query" &&
          rc.document !== undefined &&
          body.kind === "single" &&
          !body.singleResult.errors &&
          !selectsRootField(rc.operation.selectionSet, rc.document, "status");
      },
    };
  },
};

/**
 * Whole-response cache: the exact bytes (and headers) of a cacheable answer, keyed by the request body and
 * the block hash of every upstream (RequestContext.blocksKey). An identical request at the same blocks is
 * answered without running GraphQL at all; a new block changes the key. Only JSON POSTs are served from it:
 * they cannot be simple cross-site requests. Sized in characters; least recently used entries go first.
 */
class ResponseCache {
  /** Bodies kept as UTF-8 bytes: a hit writes them without encoding the text again. */
  private readonly lru: LRUCache<string, { body: Buffer; headers: [string, string][] }>;

  constructor(maxBytes: number) {
    this.lru = new LRUCache({ maxSize: maxBytes, sizeCalculation: (v, k) => v.body.length + k.length });
  }

  static key(body: string, blocksKey: string): string {
    return `${blocksKey}\u0000${body}`;
  }

  get(key: string) {
    return this.lru.get(key);
  }

  set(key: string, body: string, headers: [string, string][]): void {
    const bytes = Buffer.from(body, "utf8");
    if (bytes.length + key.length <= this.lru.maxSize) this.lru.set(key, { body: bytes, headers });
  }
}

export async function createGatewayServer(config: GatewayConfig, logger: Logger) {
  const gateway = new Gateway(config, logger);
  const secrets = config.upstreams.flatMap((u) => [u.url, u.statusUrl ?? ""]);
  const apollo = new ApolloServer<GraphQLContext>({
    typeDefs,
    resolvers,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The process that embeds the gateway owns SIGINT/SIGTERM (main.ts, or the stack supervisor, which must
    // stop graph-node and PostgreSQL too); Apollo's own handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    validationRules: [queryLimits(config.maxDepth, config.maxFields)],
    // Apollo's cache-control plugin (on by default) would instrument every resolved field (thousands per
    // series) for nothing: cacheability is decided once per operation (cacheabilityPlugin).
    // The same landing page (Apollo Sandbox, documenting the schema) whatever NODE_ENV is (production.ts).
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageLocalDefault({ footer: false }),
      cacheabilityPlugin,
    ],
    formatError: (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
      const original = (error as { originalError?: unknown })?.originalError;
      const code = formatted.extensions?.code;
      if (code === "INTERNAL_SERVER_ERROR" && !(original instanceof GraphQLError)) {
        logger.error({ err: original ?? error }, "internal error");
      }
      return { ...formatted, message: redactText(formatted.message, secrets) };
    },
  });
  await apollo.start();
  if (config.snapshotKeepWarmMs > 0) gateway.snapshots.start(gateway.clients, config.snapshotKeepWarmMs);

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
      "content-type, apollo-require-preflight, x-apollo-operation-name",
    );
    res.setHeader("access-control-max-age", "600");
    if (config.corsOrigin !== "*") res.setHeader("vary", "Origin");
  };

  const send = (res: ServerResponse, route: string, status: number, type: string, body: string) => {
    res.statusCode = status;
    res.setHeader("content-type", type);
    res.end(body);
    httpCount(route, status);
  };

  async function handleCsv(url: URL, res: ServerResponse) {
    const q = url.searchParams;
    const ctx = gateway.newRequest();
    try {
      const interval = (q.get("interval") ?? "DAY").toUpperCase();
      if (!["HOUR", "DAY", "WEEK", "MONTH"].includes(interval)) {
        throw new GraphQLError("interval: must be HOUR, DAY, WEEK or MONTH", {
          extensions: { code: "BAD_USER_INPUT", argument: "interval" },
        });
      }
      const metric = q.get("metric") ?? "";
      const results = await gateway.series(ctx, {
        protocols: (q.get("protocol") ?? "").split(",").filter(Boolean),
        metrics: metric ? [metric] : [],
        interval: interval as Interval,
        from: q.get("from") ?? "",
        to: q.get("to") ?? String(Math.floor(Date.now() / 1000)),
      });
      const lines = ["protocol,metric,unit,timestamp,date,value,raw,partial,block"];
      for (const s of results.map(seriesOut)) {
        for (const p of s.points) {
          lines.push(
            [
              s.protocol,
              s.metric,
              s.unit.symbol ?? s.unit.kind,
              p.timestamp,
              p.date,
              p.value,
              p.raw,
              String(p.partial),
              s.block.number,
            ]
              .map(csvCell)
              .join(","),
          );
        }
      }
      send(res, "series.csv", 200, "text/csv; charset=utf-8", `${lines.join("\n")}\n`);
    } catch (e) {
      const g = e instanceof GraphQLError ? e : null;
      const code = String(g?.extensions.code ?? "INTERNAL_SERVER_ERROR");
      const status = code === "BAD_USER_INPUT" ? 400 : code.startsWith("UPSTREAM") ? 502 : 500;
      if (!g) logger.error({ err: e }, "series.csv failed");
      send(
        res,
        "series.csv",
        status,
        "application/json",
        JSON.stringify({ error: { code, message: redactText(g?.message ?? "internal error", secrets) } }),
      );
    }
  }

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
    if (method === "GET" && url.pathname === "/series.csv") {
      await handleCsv(url, res);
      return;
    }
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
        // up before parsing: only bodies that parsed and succeeded were ever stored.
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
    const headers = new HeaderMap();
    for (const [k, v] of Object.entries(req.headers)) {
      if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(", ") : v);
    }
    const started = performance.now();
    const context: GraphQLContext = { gateway, req: reqCtx, response: { cacheable: null } };
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: method.toUpperCase(), headers, search: url.search, body },
      context: async () => context,
    });
    for (const [k, v] of result.headers) res.setHeader(k, v);
    res.statusCode = result.status ?? 200;
    if (result.body.kind === "complete") {
      res.end(result.body.string);
      if (responses && cacheText !== null && context.response?.cacheable && res.statusCode === 200) {
        // Stored under the blocks this request read at (settled by now, or read after the response for a
        // query that needed no upstream); never while an upstream was down.
        const stored = { text: cacheText, body: result.body.string, headers: [...result.headers] };
        reqCtx
          .blocksKey()
          .then((k) => {
            if (!k.includes("@down"))
              responses.set(ResponseCache.key(stored.text, k), stored.body, stored.headers);
          })
          .catch(() => {});
      }
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
    httpCount("graphql", res.statusCode);
    const seconds = recordLatency(started);
    logger.info(
      { method, path: url.pathname, status: res.statusCode, ms: Math.round(seconds * 1000) },
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
  return { server, apollo, gateway };
}

/** Starts the gateway on node:http. Used by main.ts and by the stack supervisor. */
export async function startGateway(opts: StartOptions = {}): Promise<GatewayHandle> {
  const logger = opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? "info", name: "gateway" });
  const config = parseConfig({ ...(opts.config ?? {}), upstreams: opts.upstreams ?? opts.config?.upstreams });
  const { server, apollo, gateway } = await createGatewayServer(config, logger);
  const host = opts.host ?? "127.0.0.1";
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 4000, host, () => resolve());
    });
  } catch (e) {
    gateway.snapshots.stop();
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
      await apollo.stop();
    },
  };
}
