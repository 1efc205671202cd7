/** Gateway configuration: upstreams as data (JSON file or the GATEWAY_UPSTREAMS environment variable). */
import { readFileSync } from "node:fs";
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

/**
 * Loads the config from (in order) an explicit file path, env GATEWAY_CONFIG (file path),
 * or env GATEWAY_UPSTREAMS (inline JSON, or a path to a JSON file).
 */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv } = {}): GatewayConfig {
  const env = opts.env ?? process.env;
  const file = opts.file ?? env.GATEWAY_CONFIG;
  if (file) return parseConfig(JSON.parse(readFileSync(file, "utf8")));
  const inline = env.GATEWAY_UPSTREAMS ?? env.UPSTREAMS;
  if (!inline) throw new Error("no upstreams: set GATEWAY_UPSTREAMS (JSON) or GATEWAY_CONFIG (file)");
  const text =
    inline.trim().startsWith("[") || inline.trim().startsWith("{") ? inline : readFileSync(inline, "utf8");
  return parseConfig(JSON.parse(text));
}
