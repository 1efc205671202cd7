/**
 * As root, each data folder's PostgreSQL cluster lives outside it (stack/src/postgres.ts). Deleting a checkout
 * leaves its cluster behind: the next start on another data folder lists it with its size and how to remove it,
 * and removes nothing; `npm run clean -- --orphans` removes it; `npm run clean` removes a data folder with its
 * cluster, and refuses while a stack runs on it. A home of the test's own (AITOK_POSTGRES_HOME) keeps the
 * machine's clusters out of it.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testPorts } from "../stack/src/harness.js";
import { clusterDataDir } from "../stack/src/postgres.js";
import { portArgs, ROOT, runCli } from "./cli.js";

const asRoot = process.getuid?.() === 0;

describe.skipIf(!asRoot)("PostgreSQL clusters outside the data folders (as root)", async () => {
  const tmp = mkdtempSync(join(tmpdir(), "aitok-clusters-"));
  chmodSync(tmp, 0o755); // the postgres user enters the home below it
  const home = join(tmp, "pg-home");
  const env = { AITOK_POSTGRES_HOME: home };
  const [a, b] = [join(tmp, "checkout-a", ".data"), join(tmp, "checkout-b", ".data")];
  const ports = await testPorts();
  const args = (dataDir: string) => [
    "--data-dir",
    dataDir,
    "--days",
    "2",
    "--start",
    "2025-02-03",
    ...portArgs(ports),
  ];
  const clean = (...extra: string[]) => {
    const { NODE_ENV: _n, VITEST: _v, ...userEnv } = process.env;
    const r = spawnSync("npm", ["run", "--silent", "clean", "--", ...extra], {
      cwd: ROOT,
      env: { ...userEnv, ...env },
      encoding: "utf8",
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const clusters = () => (existsSync(home) ? readdirSync(home).filter((n) => n.startsWith("cluster-")) : []);
  afterAll(() => {
    for (const d of [a, b]) clean("--data-dir", d);
    rmSync(tmp, { recursive: true, force: true });
  });

  let clusterA = "";

  it("a deleted checkout's cluster is listed by the next start, with how to remove it, and kept", async () => {
    const first = runCli(args(a), env);
    await first.ready;
    first.child.kill("SIGINT");
    expect(await first.exit).toBe(0);
    clusterA = dirname(clusterDataDir(join(a, "postgres")));
    expect(dirname(clusterA)).toBe(home);
    // the user deletes the checkout, data folder included
    rmSync(dirname(a), { recursive: true, force: true });
    const second = runCli(args(b), env);
    await second.ready;
    try {
      expect(second.output()).toMatch(
        new RegExp(`PostgreSQL cluster ${clusterA} \\(\\d+ MB\\) belongs to ${a}, which no longer exists`),
      );
      expect(second.output()).toContain("npm run clean -- --orphans");
      expect(existsSync(clusterA)).toBe(true);
      // a running stack's data folder is not removed
      const refused = clean("--data-dir", b);
      expect(refused.code).toBe(1);
      expect(refused.out).toContain(`a stack is running on ${b}`);
      expect(existsSync(join(b, "stack.json"))).toBe(true);
    } finally {
      second.child.kill("SIGINT");
      await second.exit;
    }
  });

  it("npm run clean -- --orphans removes it; npm run clean removes a data folder with its cluster", () => {
    expect(clusters().length).toBe(2);
    const listed = clean("--list");
    expect(listed.out).toContain(`${clusterA}`);
    expect(listed.out).toContain("orphan: its data folder is gone");
    const orphans = clean("--orphans");
    expect(orphans.code).toBe(0);
    expect(orphans.out).toMatch(new RegExp(`removed ${clusterA} \\(\\d+ MB\\)`));
    expect(existsSync(clusterA)).toBe(false);
    const clusterB = dirname(clusterDataDir(join(b, "postgres")));
    expect(existsSync(clusterB)).toBe(true); // not an orphan: its data folder exists
    const removed = clean("--data-dir", b);
    expect(removed.code).toBe(0);
    expect(removed.out).toContain(`removed ${b}`);
    expect(removed.out).toContain(`removed its PostgreSQL cluster ${clusterB}`);
    expect(existsSync(b)).toBe(false);
    expect(clusters()).toEqual([]);
  });
});
