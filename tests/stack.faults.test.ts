/**
 * Faults of the local stack, as a user meets them (bench/faults.ts injects them by the dozen and measures):
 * - a part that dies while the stack runs stops everything, with one line naming it, how it ended and its log
 *   (the policy: stack/src/supervisor.ts); `npm start` again resumes, every value equal to the ground truth;
 * - a truncated chain state file is refused with one line, and nothing is deleted;
 * - a graph-node database whose aggregation buckets graph-node would never roll up after the restart (a graph-node
 *   defect, stack/src/rollups.ts) is indexed again from the chain, and every value equals the ground truth;
 * - a full disk in the data folder (a small tmpfs, as root) gives one clear line and corrupts nothing: with space
 *   again, `npm start` reaches ready and every value equals the ground truth.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { testPorts } from "../stack/src/harness.js";
import type { ChildRecord } from "../stack/src/leftovers.js";
import { clusterDataDir } from "../stack/src/postgres.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { portArgs, runCli } from "./cli.js";
import { stackNeedles, stackProcessesAfter } from "./support/processes.js";
import { compareDataFolder } from "./support/truth.js";

const asRoot = process.getuid?.() === 0;

/** The pid of the last recorded child of that name (stack/src/leftovers.ts). */
function childPid(dataDir: string, name: string): number {
  const records = JSON.parse(readFileSync(join(dataDir, "run", "children.json"), "utf8")) as ChildRecord[];
  const r = records.filter((c) => c.name === name).at(-1);
  if (!r) throw new Error(`no ${name} in ${dataDir}/run/children.json`);
  return r.pid;
}

/** The output's last line, and whether the failure took exactly one line (no stack trace). */
const lastLine = (out: string) => out.trim().split("\n").at(-1) ?? "";

describe("faults", async () => {
  const ports = await testPorts();
  const dataDir = mkdtempSync(join(tmpdir(), "aitok-faults-"));
  const args = (dir: string) => [
    "--data-dir",
    dir,
    "--days",
    "2",
    "--start",
    "2025-02-03",
    ...portArgs(ports),
  ];
  const needles = (dir: string) => stackNeedles(dir, ports);
  afterAll(() => removeDataFolder(dataDir));
  let compared = 0;

  it("a part that dies while the stack runs stops everything with one line; npm start resumes", async () => {
    const run = runCli(args(dataDir));
    await run.ready;
    const before = await compareDataFolder(dataDir, ports);
    expect(before.mismatches).toEqual([]);
    compared = before.compared;
    expect(compared).toBeGreaterThan(1000);
    process.kill(childPid(dataDir, "graph-node"), "SIGKILL");
    expect(await run.exit).toBe(1);
    expect(lastLine(run.output())).toMatch(
      /^graph-node stopped unexpectedly \(killed \(SIGKILL[^)]*\)\): the stack was stopped\. Its log: \S+\/logs\/graph-node\.log\. `npm start` again resumes on the same data folder\.$/,
    );
    expect(run.output(), "no stack trace").not.toMatch(/\n\s+at /);
    expect(await stackProcessesAfter(needles(dataDir), 30_000)).toEqual([]);
    const again = runCli(args(dataDir));
    await again.ready;
    try {
      const after = await compareDataFolder(dataDir, ports);
      expect(after.mismatches).toEqual([]);
      expect(after.compared).toBe(compared);
    } finally {
      again.child.kill("SIGINT");
      await again.exit;
    }
  });

  it("a truncated chain state file is refused with one line, and nothing is deleted", async () => {
    const stateFile = join(dataDir, "anvil", "state.json");
    const whole = readFileSync(stateFile);
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    writeFileSync(stateFile, truncated);
    const kept = ["deployment.json", "stack.json", "ground-truth.json", "deployment.local-b.json"].map(
      (f) => [f, readFileSync(join(dataDir, f), "utf8")],
    );
    const run = runCli(args(dataDir));
    expect(await run.exit).toBe(1);
    expect(lastLine(run.output())).toMatch(
      new RegExp(
        `^npm start failed: the chain state ${stateFile} cannot be loaded \\(anvil: failed to parse json file: .*EOF.*\\): it is truncated or damaged\\. Put back a whole copy, or start over with \`npm start -- --fresh\` \\(deletes the data folder\\); nothing was deleted\\.$`,
      ),
    );
    expect(run.output(), "no stack trace").not.toMatch(/\n\s+at /);
    expect(readFileSync(stateFile).equals(truncated)).toBe(true);
    for (const [f, text] of kept) expect(readFileSync(join(dataDir, f as string), "utf8"), f).toBe(text);
    expect(existsSync(join(clusterDataDir(join(dataDir, "postgres")), "PG_VERSION"))).toBe(true);
    expect(await stackProcessesAfter(needles(dataDir), 30_000)).toEqual([]);
    // the whole file back: nothing was lost
    writeFileSync(stateFile, whole);
    const again = runCli(args(dataDir));
    await again.ready;
    try {
      expect((await compareDataFolder(dataDir, ports)).mismatches).toEqual([]);
    } finally {
      again.child.kill("SIGINT");
      await again.exit;
    }
  });

  it("aggregation buckets graph-node would never roll up after a restart: the network is indexed again", async () => {
    // The state the fault bench met after PostgreSQL was killed during indexing (stack/src/rollups.ts): data points
    // past graph-node's newest aggregation buckets. Made here by removing the buckets from 2025-02-04 on, with
    // graph-node killed: after a restart graph-node rolls up nothing it wrote before, so they stay missing.
    const run = runCli(args(dataDir));
    await run.ready;
    const db = new pg.Client({
      connectionString: `postgresql://postgres:postgres@127.0.0.1:${ports.postgres}/graph`,
    });
    await db.connect();
    try {
      const { rows } = await db.query<{ s: string; t: string }>(
        `select table_schema as s, table_name as t from information_schema.columns
          where column_name = 'timestamp' and table_schema like 'sgd%' and table_name ~ '_(hour|day)$'`,
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const { s: schema, t } of rows)
        await db.query(`delete from "${schema}"."${t}" where timestamp >= '2025-02-04T00:00:00Z'`);
    } finally {
      await db.end();
    }
    process.kill(childPid(dataDir, "graph-node"), "SIGKILL");
    expect(await run.exit).toBe(1);
    await stackProcessesAfter(needles(dataDir), 30_000);
    const again = runCli(args(dataDir));
    await again.ready;
    try {
      expect(again.output()).toContain(
        "local: graph-node would never roll up some aggregation buckets after this restart",
      );
      expect(again.output()).toContain("indexing local again from the chain");
      const check = await compareDataFolder(dataDir, ports);
      expect(check.mismatches).toEqual([]);
      expect(check.compared).toBe(compared);
    } finally {
      again.child.kill("SIGINT");
      await again.exit;
    }
  });

  it.skipIf(!asRoot)("a full disk in the data folder gives one clear line and corrupts nothing", async () => {
    const mount = mkdtempSync(join(tmpdir(), "aitok-fulldisk-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mount]);
    const dir = join(mount, "data");
    mkdirSync(dir);
    try {
      const run = runCli(args(dir));
      expect(await run.exit).toBe(1);
      expect(lastLine(run.output())).toBe(
        `npm start failed: the disk holding ${dir} is full (no space left on device): free some space, then \`npm start\` again; nothing was deleted, and the files already there are whole`,
      );
      expect(run.output(), "no stack trace").not.toMatch(/\n\s+at /);
      expect(await stackProcessesAfter(needles(dir), 30_000)).toEqual([]);
      // space again: the same command reaches ready, and every value equals the ground truth
      execFileSync("mount", ["-o", "remount,size=256m", mount]);
      const again = runCli(args(dir));
      await again.ready;
      try {
        const check = await compareDataFolder(dir, ports);
        expect(check.mismatches).toEqual([]);
        expect(check.compared).toBe(compared);
      } finally {
        again.child.kill("SIGINT");
        await again.exit;
      }
      expect(statSync(join(dir, "anvil", "state.json")).size).toBeGreaterThan(4 * 1024 * 1024);
    } finally {
      removeDataFolder(dir);
      execFileSync("umount", [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });
});
