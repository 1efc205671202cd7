/**
 * A minimal local IPFS endpoint for graph-node. graph-node blocks at start until `POST /api/v0/version`
 * answers; with `gnd dev` the subgraph is deployed by file path, so nothing else is asked. Anything
 * else gets a 501 naming the path, so a missing feature is visible in the logs, not silent.
 * Point graph-node at a real IPFS (kubo) instead with --ipfs-url.
 */
import http from "node:http";
import type { StackLog } from "./log.js";

export async function startIpfsStub(
  port: number,
  log: StackLog,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0];
    log.json.debug({ ipfs: `${req.method} ${path}` });
    if (path === "/api/v0/version") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ Version: "0.0.0-ai-tokenomics-stub", System: "local" }));
      return;
    }
    res.statusCode = 501;
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({ Message: `not served by the local IPFS stub: ${path}`, Code: 0, Type: "error" }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `127.0.0.1:${port}`,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
