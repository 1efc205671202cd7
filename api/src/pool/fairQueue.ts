/**
 * Start-time fair queueing by client, weighted by estimated cost: a job's start tag is the later of the
 * queue's virtual time and the finish tag of the same client's previous job; the job with the smallest start
 * tag goes next. A client that just sent ten heavy jobs has its later ones tagged far ahead, so another
 * client's job (heavy or not) goes before them: no client waits behind another's backlog.
 */

export interface Job<T> {
  client: string;
  cost: number;
  /** Only this worker may run the job (null: any). */
  pin: number | null;
  value: T;
}

interface Tagged<T> extends Job<T> {
  start: number;
  seq: number;
}

export class FairQueue<T> {
  private readonly jobs: Tagged<T>[] = [];
  private readonly finish = new Map<string, number>();
  private virtualTime = 0;
  private seq = 0;

  get size(): number {
    return this.jobs.length;
  }

  push(job: Job<T>): void {
    const start = Math.max(this.virtualTime, this.finish.get(job.client) ?? 0);
    this.finish.set(job.client, start + Math.max(1, job.cost));
    this.jobs.push({ ...job, start, seq: this.seq++ });
  }

  /**
   * Estimated cost queued ahead of a new job of `client`: the jobs whose start tag is not later than the one
   * it would get.
   */
  costAhead(client: string): number {
    const start = Math.max(this.virtualTime, this.finish.get(client) ?? 0);
    let ahead = 0;
    for (const j of this.jobs) if (j.start <= start) ahead += j.cost;
    return ahead;
  }

  /** The next job `worker` may run (smallest start tag, then arrival), or null. */
  shift(worker: number): Job<T> | null {
    let best = -1;
    for (let i = 0; i < this.jobs.length; i++) {
      const j = this.jobs[i];
      if (!j || (j.pin !== null && j.pin !== worker)) continue;
      const b = this.jobs[best];
      if (!b || j.start < b.start || (j.start === b.start && j.seq < b.seq)) best = i;
    }
    if (best < 0) return null;
    const [job] = this.jobs.splice(best, 1);
    if (!job) return null;
    this.virtualTime = Math.max(this.virtualTime, job.start);
    // Clients whose last job finished before the virtual time start again from it: forget them.
    if (this.jobs.length === 0) this.forgetIdle();
    return { client: job.client, cost: job.cost, pin: job.pin, value: job.value };
  }

  /** Removes the jobs matching `drop` (returns them). */
  removeWhere(drop: (job: Job<T>) => boolean): Job<T>[] {
    const out: Job<T>[] = [];
    for (let i = this.jobs.length - 1; i >= 0; i--) {
      const j = this.jobs[i];
      if (j && drop(j)) out.push(...this.jobs.splice(i, 1));
    }
    return out;
  }

  private forgetIdle(): void {
    for (const [client, f] of this.finish) if (f <= this.virtualTime) this.finish.delete(client);
  }
}
