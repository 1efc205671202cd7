/** A tiny Prometheus text-format registry: counters and latency histograms with labels. */

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, "_")}"`)
    .join(",");
}

export class Registry {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly histograms = new Map<
    string,
    { help: string; values: Map<string, { buckets: number[]; sum: number; count: number }> }
  >();

  inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    let c = this.counters.get(name);
    if (!c) {
      c = { help, values: new Map() };
      this.counters.set(name, c);
    }
    const k = labelKey(labels);
    c.values.set(k, (c.values.get(k) ?? 0) + by);
  }

  observe(name: string, help: string, labels: Labels, seconds: number): void {
    let h = this.histograms.get(name);
    if (!h) {
      h = { help, values: new Map() };
      this.histograms.set(name, h);
    }
    const k = labelKey(labels);
    let v = h.values.get(k);
    if (!v) {
      v = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      h.values.set(k, v);
    }
    BUCKETS.forEach((b, i) => {
      if (seconds <= b && v) v.buckets[i] = (v.buckets[i] ?? 0) + 1;
    });
    v.sum += seconds;
    v.count += 1;
  }

  /** Current value of a counter (tests and benches). */
  counter(name: string, labels: Labels = {}): number {
    return this.counters.get(name)?.values.get(labelKey(labels)) ?? 0;
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, c] of this.counters) {
      lines.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of c.values) lines.push(`${name}${k ? `{${k}}` : ""} ${v}`);
    }
    for (const [name, h] of this.histograms) {
      lines.push(`# HELP ${name} ${h.help}`, `# TYPE ${name} histogram`);
      for (const [k, v] of h.values) {
        const sep = k ? `${k},` : "";
        BUCKETS.forEach((b, i) => {
          lines.push(`${name}_bucket{${sep}le="${b}"} ${v.buckets[i]}`);
        });
        lines.push(`${name}_bucket{${sep}le="+Inf"} ${v.count}`);
        lines.push(`${name}_sum${k ? `{${k}}` : ""} ${v.sum}`);
        lines.push(`${name}_count${k ? `{${k}}` : ""} ${v.count}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }
}

/** One counter increment or histogram observation, as a worker thread reports it to the main thread. */
export type MetricOp = ["inc", string, string, Labels, number] | ["observe", string, string, Labels, number];

/** A registry that also records what it is told, for a worker thread to hand to the main thread's registry. */
export class RecordingRegistry extends Registry {
  private ops: MetricOp[] = [];

  override inc(name: string, help: string, labels: Labels = {}, by = 1): void {
    super.inc(name, help, labels, by);
    this.ops.push(["inc", name, help, labels, by]);
  }

  override observe(name: string, help: string, labels: Labels, seconds: number): void {
    super.observe(name, help, labels, seconds);
    this.ops.push(["observe", name, help, labels, seconds]);
  }

  /** The operations recorded since the last drain. */
  drain(): MetricOp[] {
    const out = this.ops;
    this.ops = [];
    return out;
  }
}

/** Replays a worker's operations on a registry. */
export function applyOps(registry: Registry, ops: readonly MetricOp[]): void {
  for (const op of ops) {
    if (op[0] === "inc") registry.inc(op[1], op[2], op[3], op[4]);
    else registry.observe(op[1], op[2], op[3], op[4]);
  }
}
