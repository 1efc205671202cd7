/** GET /series.csv: one series request as CSV (runs on the main thread or in a worker, like GraphQL). */
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import type { Gateway, RequestContext, SeriesRequest } from "./gateway.js";
import { redactText } from "./redact.js";
import { seriesOut } from "./resolvers.js";
import type { Interval } from "./rollup.js";

export interface CsvResponse {
  status: number;
  type: string;
  body: string;
}

function csvCell(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The series request of a /series.csv query string (BAD_USER_INPUT for an unknown interval). */
export function csvRequest(search: string): SeriesRequest {
  const q = new URLSearchParams(search);
  const interval = (q.get("interval") ?? "DAY").toUpperCase();
  if (!["HOUR", "DAY", "WEEK", "MONTH"].includes(interval)) {
    throw new GraphQLError("interval: must be HOUR, DAY, WEEK or MONTH", {
      extensions: { code: "BAD_USER_INPUT", argument: "interval" },
    });
  }
  const metric = q.get("metric") ?? "";
  return {
    protocols: (q.get("protocol") ?? "").split(",").filter(Boolean),
    metrics: metric ? [metric] : [],
    interval: interval as Interval,
    from: q.get("from") ?? "",
    to: q.get("to") ?? String(Math.floor(Date.now() / 1000)),
  };
}

/** An error as the CSV route answers it: 400 bad input, 429 over budget, 502 upstream, 500 otherwise. */
export function csvError(e: unknown, secrets: readonly string[], logger?: Logger): CsvResponse {
  const g = e instanceof GraphQLError ? e : null;
  const code = String(g?.extensions.code ?? "INTERNAL_SERVER_ERROR");
  const status =
    code === "BAD_USER_INPUT" ? 400 : code === "RATE_LIMITED" ? 429 : code.startsWith("UPSTREAM") ? 502 : 500;
  if (!g) logger?.error({ err: e }, "series.csv failed");
  return {
    status,
    type: "application/json",
    body: JSON.stringify({ error: { code, message: redactText(g?.message ?? "internal error", secrets) } }),
  };
}

/** Computes the CSV answer of a /series.csv query string. */
export async function csvAnswer(
  gateway: Gateway,
  ctx: RequestContext,
  search: string,
  logger?: Logger,
): Promise<CsvResponse> {
  const secrets = gateway.config.upstreams.flatMap((u) => [u.url, u.statusUrl ?? ""]);
  try {
    const results = await gateway.series(ctx, csvRequest(search));
    const lines = ["protocol,metric,unit,timestamp,date,value,raw,partial,block,note,priceSource,priceTime"];
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
            p.note,
            p.priceSource,
            p.priceTime,
          ]
            .map(csvCell)
            .join(","),
        );
      }
    }
    return { status: 200, type: "text/csv; charset=utf-8", body: `${lines.join("\n")}\n` };
  } catch (e) {
    return csvError(e, secrets, logger);
  }
}
