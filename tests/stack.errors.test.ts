/** Clear errors and a non-zero exit for what users get wrong; nothing is started or deleted. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testPorts } from "../stack/src/harness.js";
import { portArgs, runCli } from "./cli.js";

const dataDir = mkdtempSync(join(tmpdir(), "aitok-errors-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start errors", () => {
  it("a port in use names the port and the option that changes it", async () => {
    const ports = await testPorts();
    const blocker = net.createServer().listen(ports.graphHttp, "127.0.0.1");
    await new Promise((r) => blocker.once("listening", r));
    try {
      const run = runCli(["--data-dir", dataDir, "--no-gateway", ...portArgs(ports)]);
      expect(await run.exit).toBe(1);
      expect(run.output()).toContain(`port ${ports.graphHttp} (graph-node GraphQL) is already in use`);
      expect(run.output()).toContain("--graph-port");
      expect(run.output(), "a user error prints no stack trace").not.toMatch(/\n\s+at /);
      expect(existsSync(join(dataDir, "postgres"))).toBe(false); // nothing was started
    } finally {
      blocker.close();
    }
  });

  it("an unsupported platform points to docker compose", async () => {
    const run = runCli(["--data-dir", dataDir, ...portArgs(await testPorts())], {
      AITOK_PLATFORM_OVERRIDE: "darwin-arm64",
    });
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain("only for linux-x64; this machine is darwin-arm64");
    expect(run.output()).toContain("docker compose up");
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it("a missing graph-node binary says which and how to get it", async () => {
    const run = runCli([
      "--data-dir",
      dataDir,
      "--gnd-bin",
      "/nonexistent/gnd",
      ...portArgs(await testPorts()),
    ]);
    expect(await run.exit).toBe(1);
    expect(run.output()).toContain("graph-node binary not found at /nonexistent/gnd");
  });

  it("a malformed option names the option and what was expected", async () => {
    const run = runCli(["--days", "abc"]);
    expect(await run.exit).not.toBe(0);
    expect(run.output()).toContain("--days must be an integer ≥ 1");
    const start = runCli(["--start", "2025-02-03T12:00:00Z"]);
    expect(await start.exit).not.toBe(0);
    expect(start.output()).toContain("--start must be a UTC date");
  });
});
