/**
 * A gateway worker thread: its own Gateway (upstream clients, caches) and Apollo Server, running the large
 * requests the main thread hands it at the blocks the main thread held (no `_meta` read of its own), and
 * answering with the response bytes, transferred. Its metrics and log lines go back with each answer.
 */
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { GraphQLError } from "graphql";
import pino from "pino";
import type { RequestContext } from "../core/context.js";
import { Gateway } from "../core/gateway.js";
import { RecordingRegistry } from "../core/prom.js";
import { createApollo, runGraphQL } from "../graphql/apollo.js";
import { csvAnswer } from "../http/csv.js";
import type { FromWorker, SeededSnapshot, Task, TaskResult, ToWorker, WorkerInit } from "./protocol.js";

const init = workerData as WorkerInit;
const port = parentPort;

/** Lowers this thread's priority (Linux: a thread's niceness is its own; /proc/thread-self names it). */
function renice(increment: number): void {
  if (increment <= 0 || process.platform !== "linux") return;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, increment));
  } catch {
    // not permitted or not Linux: run at the same priority
  }
}

const logs: string[] = [];
const logger = pino(
  { level: init.logLevel, name: "gateway", base: { worker: true } },
  {
    write: (line: string) => {
      logs.push(line);
    },
  },
);
const registry = new RecordingRegistry();
const gateway = new Gateway(
  // No snapshot polling (the main thread holds the snapshots) and no pool of its own.
  { ...init.config, snapshotKeepWarmMs: 0, workers: 0 },
  logger,
  registry,
);
let reported = 0;

function seed(ctx: RequestContext, snapshots: readonly SeededSnapshot[]): void {
  for (const s of snapshots) {
    ctx.seed(
      s.upstream,
      s.snapshot
        ? Promise.resolve(s.snapshot)
        : Promise.reject(
            new GraphQLError(s.error?.message ?? "upstream down", { extensions: s.error?.extensions }),
          ),
    );
  }
}

async function run(apollo: Awaited<ReturnType<typeof createApollo>>, task: Task): Promise<TaskResult> {
  const ctx = gateway.newRequest();
  seed(ctx, task.snapshots);
  let out: { status: number; headers: [string, string][]; body: string; cacheable: boolean; stale?: boolean };
  if (task.kind === "graphql") out = await runGraphQL(apollo, gateway, ctx, task.http);
  else {
    const csv = await csvAnswer(gateway, ctx, task.search, logger);
    out = {
      status: csv.status,
      headers: [["content-type", csv.type]],
      body: csv.body,
      cacheable: false,
      stale: csv.stale ?? false,
    };
  }
  const blocksKey = await ctx.blocksKey();
  const total = gateway.upstreamRequests();
  const result: TaskResult = {
    status: out.status,
    headers: out.headers,
    body: Buffer.from(out.body, "utf8"),
    cacheable: out.cacheable,
    stale: out.stale ?? false,
    blocksKey,
    metrics: registry.drain(),
    logs: logs.splice(0),
    upstreamRequests: total - reported,
  };
  reported = total;
  return result;
}

async function main(): Promise<void> {
  if (!port) throw new Error("pool/worker.ts runs in a worker thread");
  renice(init.nice);
  const apollo = await createApollo(gateway.config, logger);
  port.on("message", (msg: ToWorker) => {
    run(apollo, msg.task).then(
      (result) => {
        const body = result.body;
        // A Buffer may share a pooled ArrayBuffer: transfer only one that holds this body alone.
        const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
        const reply: FromWorker = {
          id: msg.id,
          result: own ? result : { ...result, body: new Uint8Array(body) },
        };
        const transfer = own ? body.buffer : (reply as { result: TaskResult }).result.body.buffer;
        port.postMessage(reply, [transfer as ArrayBuffer]);
      },
      (e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        port.postMessage({
          id: msg.id,
          error: { message: err.message, stack: err.stack },
        } satisfies FromWorker);
      },
    );
  });
  port.postMessage({ ready: true } satisfies FromWorker);
}

void main();
