/**
 * Entry point: `tsx api/src/main.ts [--port N] [--config file.json] [--upstreams '<json>']`.
 * Env: PORT, HOST, GATEWAY_UPSTREAMS (JSON or file), GATEWAY_CONFIG (file), LOG_LEVEL.
 */
import "./production.js";
import { parseArgs } from "node:util";
import pino from "pino";
import { loadConfig } from "./core/config.js";
import { startGateway } from "./http/server.js";

const logger = pino({ level: process.env.LOG_LEVEL ?? "info", name: "gateway" });

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      config: { type: "string" },
      upstreams: { type: "string" },
    },
  });
  const env = { ...process.env };
  if (values.upstreams) env.GATEWAY_UPSTREAMS = values.upstreams;
  const config = loadConfig({ file: values.config, env });
  const port = Number(values.port ?? process.env.PORT ?? 4000);
  const handle = await startGateway({
    port,
    host: values.host ?? process.env.HOST ?? "0.0.0.0",
    config,
    logger,
  });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "stopping");
    await handle.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, "gateway failed to start");
  process.exit(1);
});
