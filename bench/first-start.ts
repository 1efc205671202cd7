/**
 * Time from `npm start` to "ready" on a new data folder, per step, as a user runs it (the CLI as a child
 * process, gateway included, default history unless --days).
 *
 *   npm run bench:first-start -- [--days 90] [--cold] [--keep]
 *
 * --cold deletes the content-addressed subgraph builds (subgraph/.builds) first, as on a fresh checkout;
 * without it an unchanged subgraph reuses its build, as on every later `--fresh` start.
 *
 * Prints each step's duration from the stack's structured log, the wall-clock time to "ready", and as the
 * baseline from the same run the sum of the steps (what the start took when every step waited for the
 * previous one: the subgraph build now runs while the simulation produces the history).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { testPorts } from "../stack/src/harness.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { SUBGRAPH_DIR } from "../subgraph/scripts/manifest.js";
import { portArgs, ROOT } from "../tests/cli.js";

const { values } = parseArgs({
  options: {
    days: { type: "string", default: "90" },
    cold: { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
  },
});
const say = (s: string) => process.stdout.write(`${s}\n`);
if (values.cold) rmSync(join(SUBGRAPH_DIR, ".builds"), { recursive: true, force: true });
const dataDir = mkdtempSync(join(tmpdir(), "aitok-first-start-"));
const ports = await testPorts();
const { NODE_ENV: _n, VITEST: _v, ...env } = process.env;
const t0 = performance.now();
const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    join(ROOT, "stack/src/cli.ts"),
    "--data-dir",
    dataDir,
    "--days",
    values.days,
    ...portArgs(ports),
  ],
  { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
);
let out = "";
const ready = await new Promise<number>((resolve, reject) => {
  const onData = (d: Buffer) => {
    out += d;
    if (out.includes("Press Ctrl-C to stop.")) resolve((performance.now() - t0) / 1000);
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  child.once("exit", (code) => reject(new Error(`npm start exited (${code}) before ready:\n${out}`)));
});
child.kill("SIGINT");
await new Promise((r) => child.once("exit", r));

interface LogLine {
  step?: string;
  msg: string;
}
const steps = readFileSync(join(dataDir, "logs", "stack.log"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as LogLine)
  .filter((l) => l.step && / done in [\d.]+ s$/.test(l.msg))
  .map((l) => ({ step: l.step as string, seconds: Number(/done in ([\d.]+) s$/.exec(l.msg)?.[1]) }));
// the main chain's history (a second network's line reads "<network> history: …")
const history = /(?<!\w )history: (\d+) blocks, (\d+) events/.exec(out);
const build = /subgraph build \w+( \(cached\))?/.exec(out);
say(
  `first start: ${values.days} days${history ? ` (${history[1]} blocks, ${history[2]} events)` : ""}, ` +
    `subgraph build ${build?.[1] ? "reused (cached)" : "built"}`,
);
for (const s of steps) say(`  ${s.seconds.toFixed(1).padStart(6)} s  ${s.step}`);
const sum = steps.reduce((a, s) => a + s.seconds, 0);
say(`sum of the steps (one after the other): ${sum.toFixed(1)} s`);
say(`wall clock to "ready" (node start included): ${ready.toFixed(1)} s`);
if (values.keep) say(`kept: ${dataDir}`);
else removeDataFolder(dataDir);
