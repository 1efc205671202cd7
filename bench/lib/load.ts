/**
 * Closed-loop load: `clients` concurrent clients each POST the same body in a loop for `seconds`.
 * The clients run in a worker thread, so they share neither the event loop nor the heap (garbage
 * collection) of an in-process gateway, as real clients would not.
 */
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
const { url, body, clients, seconds, maxRequests, warmup } = workerData;
(async () => {
  // Not timed: the worker's first fetches load the HTTP client and open the connection.
  for (let i = 0; i < warmup; i++) await (await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body })).text();
  const lat = [];
  let errors = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  async function client() {
    while (performance.now() < end && lat.length < maxRequests) {
      const s = performance.now();
      try {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
        const json = await res.json();
        if (!res.ok || json.errors) errors++;
      } catch {
        errors++;
      }
      lat.push(performance.now() - s);
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
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
