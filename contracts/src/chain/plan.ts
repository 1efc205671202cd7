/**
 * A day's plan: actions pushed at a block index with a priority, run block by block in (block, prio, push order),
 * each block mined after its actions drafted their transactions.
 */
export type ActionRun = () => void | Promise<void>;

interface Action {
  block: number;
  prio: number;
  seq: number;
  run: ActionRun;
}

export interface DayHooks {
  /** Before the actions of the block at `ts` (set the ledgers' clocks). */
  at(ts: number): void;
  /** Before each action (e.g. start a batched transaction). */
  beforeAction?(): void;
  /** Mines the block at `ts` with what its actions drafted. */
  mine(ts: number): Promise<void>;
}

export class DayPlan {
  private readonly actions: Action[] = [];
  private seq = 0;

  /** Queues `run` at block index `block` (0 … blocks-1): ordered by block, then prio, then push order. */
  readonly push = (block: number, prio: number, run: ActionRun): void => {
    this.actions.push({ block, prio, seq: this.seq++, run });
  };

  /** Runs the plan over the day's block times: every block is mined, with or without actions. */
  async run(times: number[], hooks: DayHooks): Promise<void> {
    const actions = [...this.actions].sort((x, y) => x.block - y.block || x.prio - y.prio || x.seq - y.seq);
    let i = 0;
    for (let b = 0; b < times.length; b++) {
      const ts = times[b] as number;
      hooks.at(ts);
      while (i < actions.length && (actions[i] as Action).block === b) {
        hooks.beforeAction?.();
        await (actions[i] as Action).run();
        i++;
      }
      await hooks.mine(ts);
    }
  }
}
