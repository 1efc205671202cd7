/**
 * GET /series.csv and /series.json: one series request as rows (runs on the main thread or in a worker, like
 * GraphQL; the query string it gets is the canonical one the main thread built, seriesQuery.ts).
 */
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { RequestContext } from "../core/context.js";
import type { Gateway } from "../core/gateway.js";
import type { SeriesRequest } from "../series/request.js";
import { redactText } from "../upstream/redact.js";
import { parseSeriesQuery } from "./seriesQuery.js";
import { seriesBody } from "./seriesRoute.js";

export interface CsvResponse {
  status: number;
  type: string;
  body: string;
  /** The answer is a last good one (allowStale), read at other blocks than the request's. */
  stale?: boolean;
}

/** The series request of a /series.csv query string (BAD_USER_INPUT naming the parameter at fault). */
export function csvRequest(search: string): SeriesRequest {
  return parseSeriesQuery(search).req;
}

/**
 * An error as the CSV and JSON routes answer it: 400 bad input, 429 over budget, 502 upstream, 500 otherwise;
 * body `{"error":{"code","message","argument"?}}` (the parameter at fault, for bad input).
 */
export function csvError(e: unknown, secrets: readonly string[], logger?: Logger): CsvResponse {
  const g = e instanceof GraphQLError ? e : null;
  const code = String(g?.extensions.code ?? "INTERNAL_SERVER_ERROR");
  const status =
    code === "BAD_USER_INPUT" ? 400 : code === "RATE_LIMITED" ? 429 : code.startsWith("UPSTREAM") ? 502 : 500;
  if (!g) logger?.error({ err: e }, "series route failed");
  const argument = typeof g?.extensions.argument === "string" ? g.extensions.argument : undefined;
  return {
    status,
    type: "application/json",
    body: JSON.stringify({
      error: {
        code,
        message: redactText(g?.message ?? "internal error", secrets),
        ...(argument ? { argument } : {}),
      },
    }),
  };
}

/** Computes the answer of a /series.csv or /series.json query string (`format=json` for JSON rows). */
export async function csvAnswer(
  gateway: Gateway,
  ctx: RequestContext,
  search: string,
  logger?: Logger,
): Promise<CsvResponse> {
  const secrets = gateway.config.upstreams.flatMap((u) => [u.url, u.statusUrl ?? ""]);
  try {
    const out = await seriesBody(gateway, ctx, parseSeriesQuery(search));
    return { status: 200, ...out };
  } catch (e) {
    return csvError(e, secrets, logger);
  }
}
