/**
 * The data routes for notebooks and dashboards: GET /series.csv, /series.json, /metrics.csv, /metrics.json,
 * /protocols.csv, /protocols.json. Each is admitted by the same guard as GraphQL (cost limit, per-client
 * budgets; protections/guard.ts) and a series runs where GraphQL would (event loop or worker, pool/executor.ts). Answers carry
 * a weak ETag from the normalised request and the blocks they were read at, and `Cache-Control: no-cache`;
 * an `If-None-Match` with the current tag is answered 304 before any budget is spent or anything computed.
 * Bodies are gzip-compressed when the request's Accept-Encoding allows it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { GatewayConfig } from "../core/config.js";
import type { RequestContext } from "../core/context.js";
import type { Gateway } from "../core/gateway.js";
import { METRICS } from "../metrics/catalog.js";
import type { Answer, Executor } from "../pool/executor.js";
import { BASE_COST, type FieldCost, seriesCost } from "../protections/cost.js";
import type { LoadGuard } from "../protections/guard.js";
import { encodeBody } from "./compress.js";
import { csvError } from "./csv.js";
import { etagOf, noneMatchHits } from "./etag.js";
import { onlyParams } from "./params.js";
import {
  canonicalSearch,
  type Format,
  parseSeriesQuery,
  type SeriesQuery,
  seriesKey,
  seriesPinKey,
} from "./seriesQuery.js";
import { type Cell, csvText, jsonText } from "./tables.js";

export interface RouteDeps {
  config: GatewayConfig;
  gateway: Gateway;
  guard: LoadGuard;
  executor: Executor;
  logger: Logger;
  /** Counts a response (gateway_http_requests_total). */
  count(route: string, status: number): void;
}

/** Paths served here (GET only). */
export const DATA_PATHS = [
  "/series.csv",
  "/series.json",
  "/metrics.csv",
  "/metrics.json",
  "/protocols.csv",
  "/protocols.json",
] as const;

export const METRIC_COLUMNS = ["name", "unit", "kind", "group", "intervals", "description"] as const;

export const PROTOCOL_COLUMNS = [
  "id",
  "name",
  "network",
  "upstream",
  "token",
  "tokenDecimals",
  "feeAsset",
  "feeAssetDecimals",
  "block",
  "blockTimestamp",
  "blockTime",
] as const;

type ProtocolRow = Record<(typeof PROTOCOL_COLUMNS)[number], Cell>;

/** The metric catalog as rows; `intervals` space-separated in CSV, a list in JSON. */
function metricsBody(format: Format): string {
  if (format === "json")
    return jsonText(
      METRICS.map((m) => ({
        name: m.name,
        unit: m.unit,
        kind: m.kind,
        group: m.group,
        intervals: [...m.intervals],
        description: m.description,
      })),
    );
  return csvText(
    METRIC_COLUMNS,
    METRICS.map((m) => ({
      name: m.name,
      unit: m.unit,
      kind: m.kind,
      group: m.group,
      intervals: m.intervals.join(" "),
      description: m.description,
    })),
  );
}

const TYPES: Record<Format, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

/** A routing function for the data paths: true when it answered the request. */
export function dataRoutes(deps: RouteDeps) {
  const { config, gateway, guard, executor, logger, count } = deps;
  const secrets = config.upstreams.flatMap((u) => [u.url, u.statusUrl ?? ""]);
  const catalog = new Map<Format, { body: string; tag: string }>();
  const catalogOf = (format: Format) => {
    let c = catalog.get(format);
    if (!c) {
      const body = metricsBody(format);
      c = { body, tag: etagOf(`metrics.${format}`, body) };
      catalog.set(format, c);
    }
    return c;
  };

  const vary = (res: ServerResponse) => {
    const prev = res.getHeader("vary");
    res.setHeader("vary", prev ? `${String(prev)}, Accept-Encoding` : "Accept-Encoding");
  };

  async function reply(
    req: IncomingMessage,
    res: ServerResponse,
    route: string,
    status: number,
    type: string,
    body: string | Buffer,
    tag: string | null,
  ): Promise<void> {
    vary(res);
    if (status === 200) res.setHeader("cache-control", "no-cache");
    if (tag) res.setHeader("etag", tag);
    const out = await encodeBody(body, req.headers["accept-encoding"]);
    res.statusCode = status;
    res.setHeader("content-type", type);
    if (out.encoding) res.setHeader("content-encoding", out.encoding);
    res.setHeader("content-length", String(out.body.length));
    res.end(out.body);
    count(route, status);
  }

  const notModified = (res: ServerResponse, route: string, tag: string) => {
    vary(res);
    res.setHeader("cache-control", "no-cache");
    res.setHeader("etag", tag);
    res.statusCode = 304;
    res.end();
    count(route, 304);
  };

  const fail = (req: IncomingMessage, res: ServerResponse, route: string, e: unknown) => {
    const out = csvError(e, secrets, logger);
    return reply(req, res, route, out.status, out.type, out.body, null);
  };

  /** The guard's verdict for an estimated cost; refused requests are answered here (400 or 429). */
  async function admit(req: IncomingMessage, res: ServerResponse, route: string, field: FieldCost) {
    const verdict = await guard.check(req, { total: field.cost, fields: [field] });
    if (!verdict.ok) {
      if (verdict.retryAfterSeconds !== null) res.setHeader("retry-after", String(verdict.retryAfterSeconds));
      await fail(req, res, route, verdict.error as GraphQLError);
      return null;
    }
    return verdict;
  }

  const base = (field: string): FieldCost => ({ field, points: 0, rows: 0, cost: BASE_COST, detail: null });

  /** The blocks key of a request when every upstream answered (an ETag is only given for such answers). */
  const blocksOf = async (ctx: RequestContext, known: string | null = null) => {
    const k = known ?? (await ctx.blocksKey());
    return k.includes("@down") ? null : k;
  };

  async function series(req: IncomingMessage, res: ServerResponse, url: URL, format: Format) {
    const route = `series.${format}`;
    const ctx = gateway.newRequest();
    let q: SeriesQuery;
    try {
      q = parseSeriesQuery(url.search, format);
    } catch (e) {
      await fail(req, res, route, e);
      return;
    }
    const key = seriesKey(q);
    const inm = req.headers["if-none-match"];
    if (inm !== undefined) {
      // The blocks this request will read at (the snapshots the gateway holds, or one _meta read): the tag
      // is known before computing, so an unchanged answer costs nothing.
      const blocks = await blocksOf(ctx);
      const tag = blocks === null ? null : etagOf(route, key, blocks);
      if (tag && noneMatchHits(inm, tag)) {
        notModified(res, route, tag);
        return;
      }
    }
    const verdict = await admit(req, res, route, seriesCost(route, q.req, guard.horizon()));
    if (!verdict) return;
    let a: Answer;
    try {
      a = await executor.csv(ctx, canonicalSearch(q), {
        client: verdict.client,
        cost: verdict.cost,
        pinKey: seriesPinKey(q),
      });
    } finally {
      verdict.release();
    }
    const type = a.headers.find(([k]) => k.toLowerCase() === "content-type")?.[1] ?? TYPES[format];
    let tag: string | null = null;
    if (a.status === 200) {
      const blocks = await blocksOf(ctx, a.blocksKey);
      // A last good answer (allowStale) was read at other blocks than these: no tag for it.
      if (blocks !== null && !a.stale) tag = etagOf(route, key, blocks);
    }
    await reply(req, res, route, a.status, type, a.body, tag);
  }

  async function metrics(req: IncomingMessage, res: ServerResponse, url: URL, format: Format) {
    const route = `metrics.${format}`;
    try {
      onlyParams(new URLSearchParams(url.search), []);
    } catch (e) {
      await fail(req, res, route, e);
      return;
    }
    const c = catalogOf(format);
    if (noneMatchHits(req.headers["if-none-match"], c.tag)) {
      notModified(res, route, c.tag);
      return;
    }
    const verdict = await admit(req, res, route, base(route));
    if (!verdict) return;
    verdict.release();
    await reply(req, res, route, 200, TYPES[format], c.body, c.tag);
  }

  async function protocols(req: IncomingMessage, res: ServerResponse, url: URL, format: Format) {
    const route = `protocols.${format}`;
    try {
      onlyParams(new URLSearchParams(url.search), []);
    } catch (e) {
      await fail(req, res, route, e);
      return;
    }
    const ctx = gateway.newRequest();
    const blocks = await blocksOf(ctx);
    const tag = blocks === null ? null : etagOf(route, blocks);
    if (tag && noneMatchHits(req.headers["if-none-match"], tag)) {
      notModified(res, route, tag);
      return;
    }
    const verdict = await admit(req, res, route, base(route));
    if (!verdict) return;
    try {
      const index = await ctx.protocolIndex();
      if (index.all.length === 0 && index.errors[0]) throw index.errors[0].error;
      const rows: ProtocolRow[] = index.all.map((ref) => ({
        id: ref.protocol.id,
        name: ref.protocol.name,
        network: ref.protocol.network,
        upstream: ref.client.name,
        token: ref.protocol.token.symbol,
        tokenDecimals: ref.protocol.token.decimals,
        feeAsset: ref.traits.feeAsset.symbol,
        feeAssetDecimals: ref.traits.feeAsset.decimals,
        block: ref.snapshot.block.number,
        blockTimestamp: ref.snapshot.block.timestamp,
        blockTime: new Date(ref.snapshot.block.timestamp * 1000).toISOString(),
      }));
      const body = format === "json" ? jsonText(rows) : csvText(PROTOCOL_COLUMNS, rows);
      await reply(req, res, route, 200, TYPES[format], body, tag);
    } catch (e) {
      await fail(req, res, route, e);
    } finally {
      verdict.release();
    }
  }

  return async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (req.method !== "GET" || !(DATA_PATHS as readonly string[]).includes(url.pathname)) return false;
    const [name, ext] = url.pathname.slice(1).split(".") as [string, Format];
    if (name === "series") await series(req, res, url, ext);
    else if (name === "metrics") await metrics(req, res, url, ext);
    else await protocols(req, res, url, ext);
    return true;
  };
}
