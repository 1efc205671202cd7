/**
 * The worker pool: `size` worker threads (worker.ts), each running up to `concurrency` requests, fed from
 * one fair queue (fairQueue.ts: per client, weighted by estimated cost). A worker that dies fails its
 * requests and is replaced; a pool whose workers cannot start reports itself unavailable (the main thread
 * then runs requests itself).
 */
import { createHash } from "node:crypto";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { GatewayConfig } from "../core/config.js";
import { FairQueue } from "./fairQueue.js";
import type { FromWorker, Task, TaskResult, ToWorker, WorkerInit } from "./protocol.js";

export class PoolUnavailable extends Error {}

interface Pending {
  id: number;
  task: Task;
  cost: number;
  /** performance.now() when a worker got it. */
  started: number;
  resolve(r: TaskResult): void;
  reject(e: Error): void;
}

/** Cost computed per millisecond by one busy worker, until the pool has measured its own. */
const INITIAL_COST_PER_MS = 100;

interface Slot {
  index: number;
  worker: Worker;
  ready: boolean;
  running: Map<number, Pending>;
}

export interface PoolOptions {
  size: number;
  concurrency: number;
  nice: number;
  config: GatewayConfig;
  logger: Logger;
}

/**
 * Starts the worker module next to this one. Compiled (api/dist): as it is. From TypeScript sources (tsx,
 * vitest), a worker thread does not get the main thread's loader hooks: a small script registers tsx's
 * hooks in the thread, then imports the module.
 */
function startWorker(workerData: WorkerInit): Worker {
  const ts = import.meta.url.endsWith(".ts");
  const url = new URL(`./worker.${ts ? "ts" : "js"}`, import.meta.url);
  if (!ts) return new Worker(url, { workerData });
  const api = import.meta.resolve("tsx/esm/api");
  const boot =
    `import(${JSON.stringify(api)})` +
    ".then((m) => (m.register ?? m.default.register)())" +
    `.then(() => import(${JSON.stringify(url.href)}));`;
  return new Worker(boot, { eval: true, workerData });
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue = new FairQueue<Pending>();
  private nextId = 1;
  /** The worker that got the last job. */
  private last = -1;
  /** Measured cost per millisecond of one worker slot (moving average of finished jobs). */
  private costPerMs = INITIAL_COST_PER_MS;
  private stopping = false;
  private broken: Error | null = null;
  private readonly waiting: (() => void)[] = [];
  /** Upstream requests, metrics and logs reported by the workers with each answer. */
  onResult: ((r: TaskResult) => void) | null = null;

  constructor(private readonly opts: PoolOptions) {
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn(i));
  }

  /** Resolves when every worker has started (or the pool found it cannot start: see run()). */
  ready(): Promise<void> {
    if (this.settled()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private settled(): boolean {
    return this.broken !== null || this.stopping || this.slots.every((s) => s.ready);
  }

  private wake(): void {
    if (this.settled()) for (const w of this.waiting.splice(0)) w();
  }

  /**
   * How long a new job of `client` would wait for a worker (ms): the cost queued ahead of it in fair order and
   * the rest of the running jobs, at the measured speed. 0 when a worker has room now.
   */
  estimatedWaitMs(client: string): number {
    const slots = this.slots.length * this.opts.concurrency;
    if (this.running < slots && this.queue.size === 0) return 0;
    const now = performance.now();
    let ahead = this.queue.costAhead(client);
    for (const s of this.slots)
      for (const p of s.running.values()) ahead += Math.max(0, p.cost - (now - p.started) * this.costPerMs);
    return ahead / (this.costPerMs * slots);
  }

  /** Requests waiting for a worker, and running. */
  get queued(): number {
    return this.queue.size;
  }

  get running(): number {
    return this.slots.reduce((a, s) => a + s.running.size, 0);
  }

  /**
   * Runs a task. `pinKey`: tasks with the same key always run on the same worker (allowStale needs the
   * worker that kept the last good answer).
   */
  run(task: Task, job: { client: string; cost: number; pinKey?: string | null }): Promise<TaskResult> {
    if (this.broken) return Promise.reject(new PoolUnavailable(this.broken.message));
    if (this.stopping) return Promise.reject(new PoolUnavailable("the gateway is stopping"));
    const pin = job.pinKey
      ? createHash("sha256").update(job.pinKey).digest().readUInt32BE(0) % this.slots.length
      : null;
    return new Promise<TaskResult>((resolve, reject) => {
      const pending: Pending = { id: this.nextId++, task, cost: job.cost, started: 0, resolve, reject };
      this.queue.push({ client: job.client, cost: job.cost, pin, value: pending });
      this.dispatch();
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    for (const j of this.queue.removeWhere(() => true)) j.value.reject(new PoolUnavailable("stopped"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(index: number): Slot {
    const worker = startWorker({
      config: this.opts.config,
      logLevel: this.opts.logger.level,
      nice: this.opts.nice,
    });
    const slot: Slot = { index, worker, ready: false, running: new Map() };
    worker.on("message", (msg: FromWorker) => this.onMessage(slot, msg));
    worker.on("error", (err) => this.opts.logger.error({ err, worker: index }, "gateway worker failed"));
    worker.on("exit", (code) => this.onExit(slot, code));
    return slot;
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if ("ready" in msg) {
      slot.ready = true;
      this.wake();
      this.dispatch();
      return;
    }
    const pending = slot.running.get(msg.id);
    slot.running.delete(msg.id);
    if (pending && pending.cost > 0) {
      const ms = Math.max(1, performance.now() - pending.started);
      this.costPerMs = 0.8 * this.costPerMs + 0.2 * (pending.cost / ms);
    }
    if ("result" in msg) {
      this.onResult?.(msg.result);
      pending?.resolve(msg.result);
    } else pending?.reject(Object.assign(new Error(msg.error.message), { stack: msg.error.stack }));
    this.dispatch();
  }

  private onExit(slot: Slot, code: number): void {
    for (const p of slot.running.values()) p.reject(new Error(`gateway worker exited (code ${code})`));
    slot.running.clear();
    if (this.stopping) return;
    if (!slot.ready) {
      // It never started: starting it again would fail the same way. The main thread runs requests itself.
      this.broken = new Error(`gateway worker ${slot.index} could not start (exit code ${code})`);
      this.opts.logger.error({ worker: slot.index, code }, "gateway worker could not start: no worker pool");
      for (const j of this.queue.removeWhere(() => true))
        j.value.reject(new PoolUnavailable(this.broken.message));
      this.wake();
      return;
    }
    this.opts.logger.warn({ worker: slot.index, code }, "gateway worker exited: starting another");
    this.slots[slot.index] = this.spawn(slot.index);
  }

  /** Hands queued jobs to workers with room: the least busy first, in turn among equals. */
  private dispatch(): void {
    const n = this.slots.length;
    for (;;) {
      const free = this.slots
        .filter((s) => s.ready && s.running.size < this.opts.concurrency)
        .sort(
          (a, b) =>
            a.running.size - b.running.size ||
            ((a.index - this.last - 1 + n) % n) - ((b.index - this.last - 1 + n) % n),
        );
      let sent = false;
      for (const slot of free) {
        const job = this.queue.shift(slot.index);
        if (!job) continue;
        job.value.started = performance.now();
        slot.running.set(job.value.id, job.value);
        slot.worker.postMessage({ id: job.value.id, task: job.value.task } satisfies ToWorker);
        this.last = slot.index;
        sent = true;
        break;
      }
      if (!sent) return;
    }
  }
}
