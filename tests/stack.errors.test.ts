/** Clear errors and a non-zero exit for what users get wrong; nothing is started or deleted. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testPorts } from "../stack/src/harness.js";
import { NODE_RANGE, nodeSupported } from "../stack/src/node-version.js";
import { PORT_OPTIONS, PORT_PURPOSE } from "../stack/src/stack.js";
import { portArgs, ROOT, runCli } from "./cli.js";

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

  it("--help names every port as the README does, not by internal names", async () => {
    const run = runCli(["--help"]);
    expect(await run.exit).toBe(0);
    const help = run.output().replace(/\s+/g, " ");
    for (const [key, flag] of Object.entries(PORT_OPTIONS)) {
      expect(help).toContain(flag);
      if (/[A-Z0-9]/.test(key)) expect(help).not.toContain(`${key} port`); // graphHttp, anvil2, …
      expect(help).toContain(`${PORT_PURPOSE[key as keyof typeof PORT_PURPOSE]} port`);
    }
    expect(help).toContain("--expose");
  });

  it("the Node.js floor is package.json's engines field, and older versions are refused", () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(NODE_RANGE);
    for (const v of ["18.20.4", "20.18.1", "21.7.3", "22.11.0"]) expect(nodeSupported(v), v).toBe(false);
    for (const v of ["20.19.0", "20.20.2", "22.12.0", "24.1.0"]) expect(nodeSupported(v), v).toBe(true);
    expect(nodeSupported(process.versions.node)).toBe(true);
  });
});
