/**
 * `npm start` as root from a checkout inside a folder the `postgres` user cannot enter (mode 0700, like
 * /root or a `mktemp -d` folder, where CI clones): it reaches "ready", indexes, stops cleanly, and the
 * permissions of the user's folder are left as they were. The copy shares node_modules' files by hard link.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gql, testPorts } from "../stack/src/harness.js";
import { clusterDataDir } from "../stack/src/postgres.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { portArgs, ROOT, runCli } from "./cli.js";

const asRoot = process.getuid?.() === 0;
/** Not copied: installed or generated (node_modules is hard-linked instead), or this checkout's data. */
const SKIP = new Set(["node_modules", ".data", ".git", "dist"]);

describe.skipIf(!asRoot)("npm start as root from a private (0700) folder", () => {
  const privateDir = mkdtempSync(join(tmpdir(), "aitok-private-"));
  const checkout = join(privateDir, "p");
  const dataDir = join(checkout, ".data");
  afterAll(() => {
    removeDataFolder(dataDir);
    rmSync(privateDir, { recursive: true, force: true });
  });

  it("reaches ready, indexes, and stops; the folder stays private", async () => {
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    // The postgres user really cannot enter it (else this test proves nothing).
    expect(() => execFileSync("su", ["-s", "/bin/sh", "postgres", "-c", `test -x ${privateDir}`])).toThrow();
    for (const entry of readdirSync(ROOT)) {
      if (!SKIP.has(entry)) cpSync(join(ROOT, entry), join(checkout, entry), { recursive: true });
    }
    try {
      execFileSync("cp", ["-al", join(ROOT, "node_modules"), join(checkout, "node_modules")]);
    } catch {
      cpSync(join(ROOT, "node_modules"), join(checkout, "node_modules"), {
        recursive: true,
        verbatimSymlinks: true,
      });
    }
    const ports = await testPorts();
    const run = runCli(["--days", "2", "--start", "2025-02-03", ...portArgs(ports)], {}, checkout);
    await run.ready;
    const { _meta } = await gql<{ _meta: { block: { number: number }; hasIndexingErrors: boolean } }>(
      `http://127.0.0.1:${ports.graphHttp}/subgraphs/name/ai-tokenomics`,
      "{ _meta { block { number } hasIndexingErrors } }",
    );
    expect(_meta.hasIndexingErrors).toBe(false);
    expect(_meta.block.number).toBeGreaterThan(0);
    // The data folder is the checkout's .data; its PostgreSQL cluster lives where postgres can reach it.
    expect(existsSync(join(dataDir, "deployment.json"))).toBe(true);
    expect(clusterDataDir(join(dataDir, "postgres")).startsWith(privateDir)).toBe(false);
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);
    expect(statSync(checkout).mode & 0o077).toBe(statSync(ROOT).mode & 0o077);
  });
});
