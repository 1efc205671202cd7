/**
 * Stopping never depends on the terminal, and no part outlives its supervisor:
 * - `npm start 2>&1 | tee log` then Ctrl-C (SIGINT to the whole process group, tee included, so the supervisor's
 *   output pipe closes under it) stops every part, and the supervisor's own log file records the stop;
 * - every socket the stack listens on is on loopback (graph-node binds 0.0.0.0 itself: it runs in a network
 *   namespace of its own, stack/src/netns.ts), and no port of the stack answers on the machine's other
 *   addresses; `--expose` opens the query ports (graph-node GraphQL, the gateway) and nothing else;
 * - SIGKILL of the supervisor (nothing can run in it) leaves no process of the stack after 10 s: the reaper
 *   (stack/src/reaper.ts) stops them.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import net from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testPorts } from "../stack/src/harness.js";
import type { StackPorts } from "../stack/src/stack.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { type CliRun, portArgs, ROOT, runCli } from "./cli.js";
import {
  isLoopback,
  listeners,
  processTree,
  stackNeedles,
  stackProcesses,
  stackProcessesAfter,
} from "./support/processes.js";

const dataDir = mkdtempSync(join(tmpdir(), "aitok-signals-"));
afterAll(() => removeDataFolder(dataDir));

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/** This machine's first non-loopback IPv4 address (null when it has none). */
const otherAddress =
  Object.values(networkInterfaces())
    .flat()
    .find((a) => a && a.family === "IPv4" && !a.internal)?.address ?? null;

/** "open", or the error code of a TCP connection to host:port. */
const reach = (host: string, port: number): Promise<string> =>
  new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: 3000 });
    s.once("connect", () => {
      s.destroy();
      resolve("open");
    });
    s.once("timeout", () => {
      s.destroy();
      resolve("timeout");
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });

/** Port → "open" or the error, for every port of the stack, on `host`. */
async function reachAll(host: string, ports: StackPorts): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [k, p] of Object.entries(ports)) out[k] = await reach(host, p);
  return out;
}

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

  it("every socket of the stack listens on loopback; no port answers on another address", async () => {
    const run = runCli(args);
    await run.ready;
    try {
      // the ready block names the dashboard, and it answers there
      const dashboard = `http://127.0.0.1:${ports.gateway}/dashboard`;
      expect(run.output()).toContain(`dashboard           ${dashboard}`);
      expect((await fetch(dashboard)).status).toBe(200);
      const held = listeners(processTree(run.child.pid as number));
      // every port of the stack is listened to by a process of the stack (so the check below sees them) …
      for (const [k, p] of Object.entries(ports))
        expect(
          held.some((l) => l.port === p),
          `${k} (${p}) held by the stack`,
        ).toBe(true);
      // … and on loopback only
      expect(held.filter((l) => !isLoopback(l.address))).toEqual([]);
      if (otherAddress) {
        const answers = await reachAll(otherAddress, ports);
        expect(Object.entries(answers).filter(([, a]) => a === "open")).toEqual([]);
      }
    } finally {
      run.child.kill("SIGINT");
      await run.exit;
    }
  });

  let exposed: CliRun | null = null;
  it.skipIf(!otherAddress)("--expose opens the query ports and the gateway, nothing else", async () => {
    exposed = runCli([...args, "--expose"]);
    await exposed.ready;
    const answers = await reachAll(otherAddress as string, ports);
    const open = Object.entries(answers)
      .filter(([, a]) => a === "open")
      .map(([k]) => k)
      .sort();
    expect(open).toEqual(["gateway", "graph2Http", "graphHttp"]);
  });

  it("SIGKILL of the supervisor leaves no process of the stack after 10 s", async () => {
    const run = exposed ?? runCli(args);
    await run.ready;
    expect(stackProcesses(needles).length).toBeGreaterThanOrEqual(5);
    run.child.kill("SIGKILL");
    await run.exit;
    await new Promise((r) => setTimeout(r, 10_000));
    expect(stackProcesses(needles)).toEqual([]);
  });
});
