/**
 * Closed-loop load: `clients` concurrent clients each POST the same body in a loop for `seconds`.
 * The clients run in a worker thread, so they share neither the event loop nor the heap (garbage
 * collection) of an in-process gateway, as real clients would not.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Worker } from "node:worker_threads";

export interface LoadResult {
  clients: number;
  seconds: number;
  requests: number;
  errors: number;
  reqPerSec: number;
  latenciesMs: number[];
}

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { url, body, clients, seconds, maxRequests, warmup } = workerData;
// node:http with keep-alive, one socket per client: undici's fetch (WHATWG streams) adds a tail of its own
// (p99 about 5.5 ms for a static 63 KB answer from a bare node:http server on the bench machine, against
// about 2 ms for this client), which would be measured as the server's.
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
function post() {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
(async () => {
  // Not timed: the first requests open the connections and warm the JIT.
  for (let i = 0; i < warmup; i++) await post();
  const lat = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  async function client() {
    while (performance.now() < end && lat.length < maxRequests) {
      const s = performance.now();
      try {
        const res = await post();
        const json = JSON.parse(res.text);
        if (res.status !== 200 || json.errors) errors++;
      } catch {
        errors++;
      }
      lat.push(performance.now() - s);
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  parentPort.postMessage({ latenciesMs: lat, errors, elapsed: (performance.now() - t0) / 1000 });
})();
`;

/**
 * `maxRequests` stops the clients early (sequential latency samples: one client, n requests); `warmup`
 * requests are sent first and not timed.
 */
export function loadTest(
  url: string,
  body: string,
  clients: number,
  seconds: number,
  maxRequests = Number.POSITIVE_INFINITY,
  warmup = 5,
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, {
      eval: true,
      workerData: { url, body, clients, seconds, maxRequests, warmup },
    });
    w.once("message", (m: { latenciesMs: number[]; errors: number; elapsed: number }) => {
      resolve({
        clients,
        seconds: m.elapsed,
        requests: m.latenciesMs.length,
        errors: m.errors,
        reqPerSec: m.latenciesMs.length / m.elapsed,
        latenciesMs: m.latenciesMs,
      });
      void w.terminate();
    });
    w.once("error", reject);
  });
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The floor of a cached answer on this machine: a bare node:http server that answers every request (after
 * reading its body) with the same bytes and headers, nothing else. Measured by the same client as the
 * gateway, it shows what the machine and the client cost for an answer of that size.
 */
export async function staticServer(body: Buffer, headers: Record<string, string>): Promise<StaticServer> {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
