/** Runs `npm start`'s entry point (stack/src/cli.ts) as a child process, as a user would. */
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PORT_OPTIONS, type StackPorts } from "../stack/src/stack.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

export interface CliRun {
  child: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
  /** Resolves when the stack printed it is ready; rejects if it exits first. */
  ready: Promise<void>;
}

export function portArgs(ports: StackPorts): string[] {
  return (Object.entries(PORT_OPTIONS) as [keyof StackPorts, string][]).flatMap(([k, flag]) => [
    flag,
    String(ports[k]),
  ]);
}

/** `root`: the checkout to run it from (default: this one). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, root = ROOT): CliRun {
  // As a user runs it: not under vitest's NODE_ENV=test (libraries behave differently there).
  const { NODE_ENV: _testEnv, VITEST: _vitest, ...userEnv } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "stack/src/cli.ts"), ...args], {
    cwd: root,
    env: { ...userEnv, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d) => {
    out += d;
  });
  child.stderr?.on("data", (d) => {
    out += d;
  });
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = () => {
      if (out.includes("Press Ctrl-C to stop.")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    exit.then((code) => reject(new Error(`stack exited (${code}) before ready:\n${out}`)));
  });
  ready.catch(() => {});
  return { child, output: () => out, exit, ready };
}
