/**
 * Stopping never depends on the terminal, and no part outlives its supervisor:
 * - `npm start 2>&1 | tee log` then Ctrl-C (SIGINT to the whole process group, tee included, so the supervisor's
 *   output pipe closes under it) stops every part, and the supervisor's own log file records the stop;
 * - SIGKILL of the supervisor (nothing can run in it) leaves no process of the stack after 10 s: the reaper
 *   (stack/src/reaper.ts) stops them.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testPorts } from "../stack/src/harness.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { portArgs, ROOT, runCli } from "./cli.js";
import { stackNeedles, stackProcesses, stackProcessesAfter } from "./support/processes.js";

const dataDir = mkdtempSync(join(tmpdir(), "aitok-signals-"));
afterAll(() => removeDataFolder(dataDir));

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

describe("stopping the stack", async () => {
  const ports = await testPorts();
  const args = ["--data-dir", dataDir, "--days", "2", "--start", "2025-02-03", ...portArgs(ports)];
  const needles = stackNeedles(dataDir, ports);

  it("`npm start | tee log` then SIGINT to its process group leaves no process of the stack", async () => {
    const teeLog = join(dataDir, "tee.log");
    // As from a terminal: its own process group, every member of which gets the SIGINT (tee too).
    const { NODE_ENV: _n, VITEST: _v, ...env } = process.env;
    const shell = spawn(
      "bash",
      ["-c", `npm start -- ${args.map(quote).join(" ")} 2>&1 | tee ${quote(teeLog)} >/dev/null`],
      { cwd: ROOT, env, detached: true, stdio: "ignore" },
    );
    const shellExit = new Promise<void>((r) => shell.once("exit", () => r()));
    let exited = false;
    void shellExit.then(() => {
      exited = true;
    });
    const seen = () => (existsSync(teeLog) ? readFileSync(teeLog, "utf8") : "");
    while (!seen().includes("Press Ctrl-C to stop.")) {
      if (exited) throw new Error(`npm start ended before ready:\n${seen()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(stackProcesses(needles).length).toBeGreaterThanOrEqual(5);
    process.kill(-(shell.pid as number), "SIGINT");
    await shellExit;
    const left = await stackProcessesAfter(needles, 60_000);
    expect(left).toEqual([]);
    // tee died with the SIGINT: the stop is recorded in the supervisor's own log
    const log = readFileSync(join(dataDir, "logs", "stack.log"), "utf8");
    for (const part of ["gateway", "graph-node", "graph-node-b", "anvil", "anvil-b", "postgres"])
      expect(log, `stack.log records that ${part} stopped`).toContain(`"stopped":"${part}"`);
  });

  it("SIGKILL of the supervisor leaves no process of the stack after 10 s", async () => {
    const run = runCli(args);
    await run.ready;
    expect(stackProcesses(needles).length).toBeGreaterThanOrEqual(5);
    run.child.kill("SIGKILL");
    await run.exit;
    await new Promise((r) => setTimeout(r, 10_000));
    expect(stackProcesses(needles)).toEqual([]);
  });
});
