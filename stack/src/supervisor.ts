/**
 * What the supervisor keeps about the parts it started: how to stop each (in reverse order of start), every
 * child process from the moment it is spawned (recorded in <data>/run/children.json for the reaper and the next
 * start), the reaper itself (reaper.ts), and what happens when a part dies while the stack runs.
 *
 * Policy, when a part dies after the start (PostgreSQL, an anvil, a graph-node, the gateway): the supervisor
 * stops everything and exits non-zero with one line naming the part, how it ended, its log and what to do
 * (`npm start` again resumes on the same data folder: the chain, the database and the indexing position are
 * kept). It does not restart the part in place: the parts hold state for each other (graph-node's database
 * connections and chain head, the gateway's upstreams), a restarted part would hide the fault, and a restart of
 * the whole stack on the same data folder takes seconds. docs/bench.md ("Faults") measures those restarts.
 */
import { statfsSync } from "node:fs";
import { StackError } from "./errors.js";
import { type ChildRecord, clearChildren, recordChildren } from "./leftovers.js";
import type { StackLog } from "./log.js";
import type { ManagedProcess } from "./proc.js";
import { diedLine, tail } from "./proc.js";
import { type Reaper, startReaper } from "./reaper.js";

export interface Stop {
  name: string;
  stop: () => Promise<void>;
}

/** Free bytes on the file system holding `dir`, or null when it cannot be asked. */
export function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

export class Supervisor {
  /** Stopped in reverse order by stopAll(). */
  readonly stops: Stop[] = [];
  /** Rejects when a part dies after the start (or when fail() is called). */
  readonly failed: Promise<never>;
  private failReject: (e: Error) => void = () => {};
  private failure: Error | null = null;
  private readonly spawned: ManagedProcess[] = [];
  private readonly records: ChildRecord[] = [];
  private readonly reaper: Reaper;
  private stopped: Promise<void> | null = null;
  private abortReject: (e: unknown) => void = () => {};
  /** Rejects when the start is aborted (guard()). */
  private readonly aborted: Promise<never>;

  constructor(
    private readonly dataDir: string,
    logsDir: string,
    private readonly log: StackLog,
    signal?: AbortSignal,
  ) {
    this.failed = new Promise<never>((_, reject) => {
      this.failReject = reject;
    });
    this.failed.catch(() => {});
    this.aborted = new Promise<never>((_, reject) => {
      this.abortReject = reject;
    });
    this.aborted.catch(() => {});
    this.reaper = startReaper(dataDir, `${logsDir}/reaper.log`);
    log.json.info({ reaper: this.reaper.pid }, "reaper started");
    if (signal) {
      const onAbort = () => {
        this.abortReject(signal.reason);
        void this.stopAll();
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener("abort", onAbort, { once: true });
    }
  }

  get stopping(): boolean {
    return this.stopped !== null;
  }

  /** For StartOptions.onSpawn: records the child at once; a child spawned while stopping is stopped at once. */
  readonly onSpawn = (p: ManagedProcess): void => {
    this.spawned.push(p);
    const pid = p.child.pid;
    if (pid !== undefined) {
      this.records.push({
        name: p.name,
        pid,
        signature: p.signature,
        stopSignal: p.stopSignal,
        hurrySignal: p.hurrySignal,
        persist: p.persist,
      });
      recordChildren(this.dataDir, this.records);
    }
    if (this.stopping) void p.stop(1000);
  };

  /** A part that must keep running: its death after the start stops the stack (see the policy above). */
  watch(p: ManagedProcess): void {
    p.exited.then(({ code, signal }) => {
      if (this.stopping) return;
      const free = freeBytes(this.dataDir);
      const disk =
        free !== null && free < 1024 * 1024
          ? ` The disk holding ${this.dataDir} is full (${free} bytes free): free some space first.`
          : "";
      const msg = diedLine(`${p.name} stopped unexpectedly`, { code, signal }, p.logFile, disk);
      this.log.json.error({ part: p.name, code, signal, tail: tail(p.logFile, 20) }, msg);
      this.fail(new StackError(msg));
    });
  }

  fail(e: Error): void {
    this.failure ??= e;
    this.failReject(e);
  }

  /** The first part failure, waiting up to `ms` for one (a step failing because a part died learns it here). */
  async failureWithin(ms: number): Promise<Error | null> {
    // The timer keeps the event loop alive: when nothing else runs (a part that failed to spawn), an unref'd one
    // let node exit with "unsettled top-level await" (code 13) before the failure was reported.
    if (!this.failure)
      await Promise.race([this.failed.catch(() => {}), new Promise((r) => setTimeout(r, ms))]);
    return this.failure;
  }

  /**
   * Resolves as `p`, or rejects as soon as the start is aborted (Ctrl-C during the start) or a part dies (its
   * one line, instead of whatever the step waiting on it would report later).
   */
  guard<T>(p: Promise<T>): Promise<T> {
    return Promise.race([p, this.aborted, this.failed]);
  }

  /** Stops every part (once; later calls wait for the first), then ends the reaper. */
  stopAll(): Promise<void> {
    this.stopped ??= (async () => {
      for (const s of [...this.stops].reverse()) {
        try {
          this.log.json.info({ stopping: s.name });
          await s.stop();
          this.log.json.info({ stopped: s.name });
        } catch (e) {
          this.log.warn(`stopping ${s.name}: ${(e as Error).message}`);
        }
      }
      // children spawned but not (yet) among the stops: a part still starting when the stop came
      const running = this.spawned.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
      await Promise.all(running.map((p) => p.stop(5000).catch(() => {})));
      clearChildren(this.dataDir);
      this.reaper.dismiss();
    })();
    return this.stopped;
  }
}
