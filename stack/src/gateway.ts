/**
 * The analytics gateway as a child process of the supervisor (api/src/main.ts, the program the gateway's image
 * runs too): a part that can die, be killed and be reported like the others, whose load (a heavy query, its worker
 * pool) never stalls the supervisor's signal handling, and which writes its log to <data>/logs/gateway.log.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { waitFor } from "./ports.js";
import { failsDuringStart, type ManagedProcess, startProcess } from "./proc.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface GatewayUpstream {
  name: string;
  url: string;
  statusUrl?: string;
  network?: string;
}

export interface RunningGateway {
  /** http://host:port, as clients on this machine reach it. */
  url: string;
  proc: ManagedProcess;
  stop(): Promise<void>;
}

export async function startGatewayProcess(opts: {
  port: number;
  /** The address it listens on: 127.0.0.1 unless the user exposes it (--expose). */
  host: string;
  upstreams: GatewayUpstream[];
  logFile: string;
  onSpawn?: (p: ManagedProcess) => void;
}): Promise<RunningGateway> {
  const proc = startProcess(
    "gateway",
    process.execPath,
    [
      "--import",
      "tsx",
      join(ROOT, "api", "src", "main.ts"),
      "--port",
      String(opts.port),
      "--host",
      opts.host,
      "--upstreams",
      JSON.stringify(opts.upstreams),
    ],
    opts.logFile,
    {
      stopSignal: "SIGTERM",
      signature: `main.ts --port ${opts.port}`,
      onSpawn: opts.onSpawn,
      // `--import tsx` is resolved from the checkout, wherever npm was started
      cwd: ROOT,
    },
  );
  const url = `http://127.0.0.1:${opts.port}`;
  await Promise.race([
    waitFor(
      "gateway",
      async () => {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
        return res.ok ? true : undefined;
      },
      120_000,
      200,
    ),
    failsDuringStart(proc, "gateway"),
  ]);
  return { url, proc, stop: () => proc.stop(10_000) };
}
