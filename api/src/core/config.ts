/**
 * Gateway configuration: upstreams as data (JSON file or the GATEWAY_UPSTREAMS environment variable); every
 * scalar key can also be set by an environment variable GATEWAY_<KEY> (e.g. GATEWAY_MAX_REQUEST_COST).
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { z } from "zod";

export const UpstreamSchema = z.object({
  /** Short name used in logs, metrics and the `status` query. */
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, "name: letters, digits, _ . - only"),
  /** graph-node subgraph GraphQL URL (may contain an API key: never logged). */
  url: z.string().url(),
  /** graph-node index-node status URL (port 8030 `/graphql`), optional. */
  statusUrl: z.string().url().optional(),
  /** Network of the deployment, e.g. "arbitrum-one". */
  network: z.string().min(1),
});
export type UpstreamConfig = z.infer<typeof UpstreamSchema>;

export const GatewayConfigSchema = z.object({
  upstreams: z
    .array(UpstreamSchema)
    .min(1)
    .refine((us) => new Set(us.map((u) => u.name)).size === us.length, "upstream names must be unique"),
  /** Per-attempt upstream timeout. */
  timeoutMs: z.number().int().positive().default(10_000),
  /** Retries of a failed read (network error, timeout, 5xx). */
  retries: z.number().int().min(0).max(10).default(2),
  /** First backoff delay; doubles per retry, with jitter. */
  backoffMs: z.number().int().min(0).default(200),
  /** Cache entries (block-pinned upstream results). */
  cacheEntries: z.number().int().min(0).default(500),
  /** Series points the answer caches (computed answers, last good answers) may hold, per thread; 0: none. */
  answerCachePoints: z.number().int().min(0).default(1_000_000),
  /** Size of the whole-response cache in bytes (response bodies plus keys); 0 disables. */
  responseCacheBytes: z
    .number()
    .int()
    .min(0)
    .default(32 * 1024 * 1024),
  /** How long a `_meta` snapshot (indexed block + protocols) may be reused across user requests. */
  snapshotTtlMs: z.number().int().min(0).default(1000),
  /** How long after the last request the gateway keeps polling `_meta` every snapshotTtlMs (0: never polls). */
  snapshotKeepWarmMs: z.number().int().min(0).default(60_000),
  /** Maximum request body size. */
  maxBodyBytes: z.number().int().positive().default(100_000),
  /** Maximum query depth and number of selected fields. */
  maxDepth: z.number().int().positive().default(10),
  maxFields: z.number().int().positive().default(300),
  /** CORS allowed origin ("*" = open). */
  corsOrigin: z.string().default("*"),
  // --- load protections (docs/api.md "Cost and fairness") ---
  /** Largest estimated cost of one request (points + upstream rows, protections/cost.ts); 0: no limit. */
  maxRequestCost: z.number().int().min(0).default(250_000),
  /** Requests estimated to cost at least this run on the worker pool, not on the event loop. */
  offloadMinCost: z.number().int().min(0).default(5_000),
  /** Worker threads for large computations (0: everything runs on the event loop). */
  workers: z.number().int().min(0).max(64).default(availableParallelism()),
  /** Requests one worker runs at once. */
  workerConcurrency: z.number().int().min(1).max(16).default(1),
  /** A request that would wait longer than this for a worker is refused at once (429); 0: no bound. */
  maxWorkerWaitMs: z.number().int().min(0).default(5_000),
  /** Niceness added to the worker threads (Linux): the event loop, graph-node and PostgreSQL come first. */
  workerNice: z.number().int().min(0).max(19).default(10),
  /** Per client: estimated cost of its requests in flight at once (one request is always admitted); 0: none. */
  clientConcurrentCost: z.number().int().min(0).default(500_000),
  /** Per client: estimated cost it may spend per clientCostWindowSeconds; 0: no limit. */
  clientCostPerWindow: z.number().int().min(0).default(1_500_000),
  clientCostWindowSeconds: z.number().int().min(1).max(3600).default(60),
  /**
   * API keys: a request carrying a listed key (header `x-api-key` or `authorization: Bearer <key>`) is
   * budgeted per key; every other request per client IP. Keys are never logged.
   */
  apiKeys: z.array(z.string().min(16, "api keys: at least 16 characters")).default([]),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;

/** Accepts either a full config object or a bare array of upstreams. */
export function parseConfig(input: unknown): GatewayConfig {
  const obj = Array.isArray(input) ? { upstreams: input } : input;
  const res = GatewayConfigSchema.safeParse(obj);
  if (!res.success) {
    const msg = res.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`invalid gateway config: ${msg}`);
  }
  return res.data;
}

/** The environment variable of a config key: maxRequestCost → GATEWAY_MAX_REQUEST_COST. */
export const envName = (key: string) => `GATEWAY_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;

/**
 * Config keys set by environment variables GATEWAY_<KEY>: numbers and strings as such, `apiKeys`
 * comma-separated. They override the file.
 */
export function envOverrides(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(GatewayConfigSchema.shape)) {
    const raw = env[envName(key)];
    if (raw === undefined || raw === "" || key === "upstreams") continue;
    const inner: unknown = schema instanceof z.ZodDefault ? schema.unwrap() : schema;
    if (inner instanceof z.ZodNumber) out[key] = Number(raw);
    else if (inner instanceof z.ZodArray)
      out[key] = raw
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    else out[key] = raw;
  }
  return out;
}

/**
 * Loads the config from (in order) an explicit file path, env GATEWAY_CONFIG (file path),
 * or env GATEWAY_UPSTREAMS (inline JSON, or a path to a JSON file); then GATEWAY_<KEY> variables.
 */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): GatewayConfig {
  const env = opts.env ?? process.env;
  const file = opts.file ?? env.GATEWAY_CONFIG;
  let base: unknown;
  if (file) base = JSON.parse(readFileSync(file, "utf8"));
  else {
    const inline = env.GATEWAY_UPSTREAMS ?? env.UPSTREAMS;
    if (!inline) throw new Error("no upstreams: set GATEWAY_UPSTREAMS (JSON) or GATEWAY_CONFIG (file)");
    const text =
      inline.trim().startsWith("[") || inline.trim().startsWith("{") ? inline : readFileSync(inline, "utf8");
    base = JSON.parse(text);
  }
  const obj = Array.isArray(base) ? { upstreams: base } : (base as Record<string, unknown>);
  return parseConfig({ ...obj, ...envOverrides(env) });
}
