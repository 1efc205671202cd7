/**
 * `npm start` as a user runs it: start, Ctrl-C (SIGINT) leaves no process behind, a second start on the
 * same data folder resumes indexing (same totals, no re-index from block 0), and a chain that no longer
 * matches the database is reported without deleting anything.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gql, testPorts } from "../stack/src/harness.js";
import { isPortFree } from "../stack/src/ports.js";
import { clusterDataDir } from "../stack/src/postgres.js";
import { removeDataFolder } from "../stack/src/stack.js";
import { portArgs, runCli } from "./cli.js";
import { stackNeedles, stackProcesses } from "./support/processes.js";

const dataDir = mkdtempSync(join(tmpdir(), "aitok-lifecycle-"));
afterAll(() => removeDataFolder(dataDir));

/** First block of every "Scanning blocks [a, b]" graph-node logged for a deployment. */
function scanStarts(log: string, deploymentId: string): number[] {
  return log
    .split("\n")
    .filter((l) => l.includes(`subgraph_id: ${deploymentId}`))
    .flatMap((l) => {
      const m = /Scanning blocks \[(\d+), \d+\]/.exec(l);
      return m ? [Number(m[1])] : [];
    });
}

const TOTALS = `{ _meta { block { number } } protocols(orderBy: id) { id totalSupply staked operatorCount stakerCount holderCount cumulativeGrossEmission }
  rewardEvents(first: 1000) { id } feePayments(first: 1000) { id } }`;

describe("npm start lifecycle", async () => {
  const ports = await testPorts();
  const args = ["--data-dir", dataDir, "--days", "4", "--start", "2025-02-03", ...portArgs(ports)];
  const graphql = `http://127.0.0.1:${ports.graphHttp}/subgraphs/name/ai-tokenomics`;
  const needles = stackNeedles(dataDir, ports);
  let firstTotals: unknown;
  let deploymentId = "";
  let logSizeAfterFirstRun = 0;
  let firstHead = 0;

  it("starts, indexes, and SIGINT stops every process", async () => {
    const run = runCli(args);
    await run.ready;
    firstTotals = await gql(graphql, TOTALS);
    const status = await gql<{ indexingStatusesForSubgraphName: { subgraph: string; synced: boolean }[] }>(
      `http://127.0.0.1:${ports.graphIndex}/graphql`,
      `{ indexingStatusesForSubgraphName(subgraphName: "ai-tokenomics") { subgraph synced } }`,
    );
    deploymentId = status.indexingStatusesForSubgraphName[0]?.subgraph ?? "";
    expect(deploymentId).not.toBe("");
    expect(stackProcesses(needles).length).toBeGreaterThanOrEqual(3);
    const health = await fetch(`http://127.0.0.1:${ports.gateway}/health`);
    expect(health.status).toBe(200);
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    expect(run.output()).toContain("stopped.");
    expect(stackProcesses(needles)).toEqual([]);
    for (const p of Object.values(ports)) expect(await isPortFree(p), `port ${p} free after stop`).toBe(true);
    const log = readFileSync(join(dataDir, "logs", "graph-node.log"), "utf8");
    logSizeAfterFirstRun = log.length;
    // The first run indexed from the contracts' start block: the log shows it (so the check below can fail).
    const deployment = JSON.parse(readFileSync(join(dataDir, "deployment.json"), "utf8")) as {
      protocols: Record<string, Record<string, { startBlock: number }>>;
    };
    const firstStart = Math.min(
      ...Object.values(deployment.protocols).flatMap((c) => Object.values(c).map((r) => r.startBlock)),
    );
    expect(Math.min(...scanStarts(log, deploymentId))).toBeLessThanOrEqual(firstStart);
    firstHead = (firstTotals as { _meta: { block: { number: number } } })._meta.block.number;
  });

  it("a second start on the same data folder resumes: same totals, no re-index from block 0", async () => {
    const run = runCli(args);
    await run.ready;
    expect(run.output()).toContain("resuming saved chain");
    expect(run.output()).toContain("deployed earlier");
    expect(await gql(graphql, TOTALS)).toEqual(firstTotals);
    const secondRunLog = readFileSync(join(dataDir, "logs", "graph-node.log"), "utf8").slice(
      logSizeAfterFirstRun,
    );
    // graph-node started our deployment again …
    expect(secondRunLog).toContain(`subgraph_id: ${deploymentId}`);
    // … and scanned nothing it had indexed before.
    for (const start of scanStarts(secondRunLog, deploymentId)) expect(start).toBeGreaterThan(firstHead);
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    expect(stackProcesses(needles)).toEqual([]);
  });

  it("processes left by a killed supervisor and its reaper are stopped by the next start", async () => {
    const killed = runCli(args);
    await killed.ready;
    // The reaper (stack/src/reaper.ts) would stop them within seconds (tests/stack.signals.test.ts): kill it
    // first, as the out-of-memory killer or a `kill -9` of everything could.
    const reaper = stackProcesses([`reap-cli.ts ${dataDir}`]);
    expect(reaper.length).toBe(1);
    process.kill(-Number((reaper[0] as string).split(":")[0]), "SIGKILL");
    killed.child.kill("SIGKILL"); // no chance to clean up
    await killed.exit;
    await new Promise((r) => setTimeout(r, 2000));
    expect(stackProcesses(needles).length).toBeGreaterThan(0); // graph-node, anvil, postgres outlive both
    const run = runCli(args);
    await run.ready;
    expect(run.output()).toContain("left running by a previous start");
    expect(await gql(graphql, TOTALS)).toEqual(firstTotals);
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    expect(stackProcesses(needles)).toEqual([]);
  });

  it("a deleted chain with a kept database is detected, reported with --fresh, and nothing is deleted", async () => {
    rmSync(join(dataDir, "anvil", "state.json"));
    const run = runCli(args);
    const code = await run.exit;
    expect(code).not.toBe(0);
    expect(run.output()).toMatch(/chain does not match the database/);
    expect(run.output()).toContain("--fresh");
    expect(existsSync(join(clusterDataDir(join(dataDir, "postgres")), "PG_VERSION"))).toBe(true);
    expect(existsSync(join(dataDir, "deployment.json"))).toBe(true);
    expect(stackProcesses(needles)).toEqual([]);
  });

  it("--fresh deletes the data folder and its database, wherever the database lives", async () => {
    const before = clusterDataDir(join(dataDir, "postgres"));
    expect(existsSync(join(before, "PG_VERSION"))).toBe(true);
    const run = runCli([...args, "--fresh"]);
    await run.ready;
    expect(run.output()).toContain("new chain");
    const after = clusterDataDir(join(dataDir, "postgres"));
    // As root the cluster lives outside the data folder (a new one per fresh start); the old one is gone.
    if (before !== after) expect(existsSync(before)).toBe(false);
    run.child.kill("SIGINT");
    expect(await run.exit).toBe(0);
    expect(stackProcesses(needles)).toEqual([]);
  });
});
