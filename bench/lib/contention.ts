/**
 * Contention load: heavy clients and one light client against one gateway at the same time, each side in
 * its own worker thread (own event loop and heap, as real clients would be), over node:http keep-alive.
 *
 * Heavy clients (closed loop, one request at a time each, each with its own API key): every request is the
 * same large query with its window moved one more day back (`__FROM__`/`__TO__` in the body), so no cache
 * can answer it; a 429 is honoured (the client sleeps for Retry-After, capped by the time left). Bodies of
 * answers are counted, not parsed. The light client sends its query, waits `pauseMs`, and again.
 */
import { Worker } from "node:worker_threads";

export interface HeavySpec {
  clients: number;
  /** Body with __FROM__ and __TO__ (YYYY-MM-DD) placeholders. */
  template: string;
  /** Window of the first request (seconds, 00:00 UTC); request k of client i is moved back (k × clients + i) × stride days. */
  from: number;
  to: number;
  stride: number;
  apiKeys: string[];
}

export interface LightSpec {
  body: string;
  pauseMs: number;
  apiKey: string | null;
}

export interface HeavyResult {
  sent: number;
  ok: number;
  refused: number;
  failed: number;
  /** Latency of the answered (200) requests. */
  okMs: number[];
  bytes: number;
  elapsed: number;
  /** Retry-After of every 429 (s). */
  retryAfter: number[];
  /** The first few failures, as "HTTP status: message" or the client's error. */
  errors: string[];
}

export interface LightResult {
  ms: number[];
  failed: number;
  refused: number;
  /** The first few failures, as "HTTP status: message" or the client's error. */
  errors: string[];
}

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const http = require("node:http");
const { url, seconds, heavy, light } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const day = 86400;
const iso = (s) => new Date(s * 1000).toISOString().slice(0, 10);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function post(body, key, parse) {
  return new Promise((resolve, reject) => {
    const headers = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (key) headers["x-api-key"] = key;
    const req = http.request(url, { method: "POST", agent, headers }, (res) => {
      let bytes = 0;
      const chunks = [];
      res.on("data", (c) => { bytes += c.length; if (parse || res.statusCode !== 200) chunks.push(c); });
      res.on("end", () => resolve({ status: res.statusCode, bytes, retryAfter: Number(res.headers["retry-after"] ?? 0),
        text: chunks.length ? Buffer.concat(chunks).toString("utf8") : "" }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
(async () => {
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  if (heavy) {
    const r = { sent: 0, ok: 0, refused: 0, failed: 0, okMs: [], bytes: 0, retryAfter: [], errors: [] };
    async function client(i) {
      for (let k = 0; performance.now() < end; k++) {
        const shift = (k * heavy.clients + i) * heavy.stride * day;
        const body = heavy.template.replaceAll("__FROM__", iso(heavy.from - shift)).replaceAll("__TO__", iso(heavy.to - shift));
        const s = performance.now();
        r.sent++;
        try {
          const res = await post(body, heavy.apiKeys[i], false);
          if (res.status === 200) { r.ok++; r.okMs.push(performance.now() - s); r.bytes += res.bytes; }
          else if (res.status === 429) {
            r.refused++;
            r.retryAfter.push(res.retryAfter);
            await sleep(Math.min(Math.max(1, res.retryAfter) * 1000, Math.max(0, end - performance.now())));
          } else { r.failed++; if (r.errors.length < 3) r.errors.push(res.status + ": " + res.text.slice(0, 200)); }
        } catch (e) { r.failed++; if (r.errors.length < 3) r.errors.push(String(e && e.message)); }
      }
    }
    await Promise.all(Array.from({ length: heavy.clients }, (_, i) => client(i)));
    agent.destroy();
    parentPort.postMessage({ ...r, elapsed: (performance.now() - t0) / 1000 });
    return;
  }
  const r = { ms: [], failed: 0, refused: 0, errors: [] };
  // Not timed: the first requests open the connection and fill the gateway's caches.
  for (let i = 0; i < 3; i++) await post(light.body, light.apiKey, true);
  while (performance.now() < end) {
    const s = performance.now();
    try {
      const res = await post(light.body, light.apiKey, true);
      const json = JSON.parse(res.text);
      if (res.status === 429) r.refused++;
      else if (res.status !== 200 || json.errors) {
        r.failed++;
        if (r.errors.length < 3) r.errors.push(res.status + ": " + res.text.slice(0, 200));
      }
    } catch (e) { r.failed++; if (r.errors.length < 3) r.errors.push(String(e && e.message)); }
    r.ms.push(performance.now() - s);
    await sleep(light.pauseMs);
  }
  agent.destroy();
  parentPort.postMessage(r);
})();
`;

function inWorker<T>(data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new Worker(WORKER, { eval: true, workerData: data });
    w.once("message", (m: T) => {
      resolve(m);
      void w.terminate();
    });
    w.once("error", reject);
  });
}

/** Runs the heavy clients and the light client together for `seconds`; waits for their last answers. */
export async function contention(
  url: string,
  seconds: number,
  heavy: HeavySpec,
  light: LightSpec,
): Promise<{ heavy: HeavyResult; light: LightResult }> {
  const [h, l] = await Promise.all([
    inWorker<HeavyResult>({ url, seconds, heavy, light: null }),
    inWorker<LightResult>({ url, seconds, heavy: null, light }),
  ]);
  return { heavy: h, light: l };
}
