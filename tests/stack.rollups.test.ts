/**
 * The graph-node restart defect of stack/src/rollups.ts, read from a real PostgreSQL: tables laid out as
 * graph-node lays out a deployment with a timeseries (`token_flow`) and its hourly and daily aggregations. The
 * state the fault bench met (PostgreSQL killed during indexing: rollups up to 02-04 23:00, data points written up
 * to 02-05 03:42 after a night without blocks) is a gap; the ordinary states are not.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLog } from "../stack/src/log.js";
import { freePort } from "../stack/src/ports.js";
import { type RunningPostgres, removePostgresData, startPostgres } from "../stack/src/postgres.js";
import { recreateDatabase, rollupGap } from "../stack/src/rollups.js";

const dir = mkdtempSync(join(tmpdir(), "aitok-rollups-"));
let server: RunningPostgres;
let url = "";

beforeAll(async () => {
  server = await startPostgres(join(dir, "postgres"), await freePort(), createLog(null, true), {
    logFile: join(dir, "postgres.log"),
  });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("create database rollups_test");
  await admin.end();
  const u = new URL(server.url);
  u.pathname = "/rollups_test";
  url = u.toString();
});
afterAll(async () => {
  await server?.stop();
  removePostgresData(join(dir, "postgres"));
  rmSync(dir, { recursive: true, force: true });
});

/** A deployment schema with data points up to `lastData` and buckets rolled up to `hour` / `day` (UTC). */
async function layout(lastData: string | null, hour: string | null, day: string | null): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query("drop schema if exists sgd9 cascade; drop table if exists public.deployment_schemas");
    await c.query("create table public.deployment_schemas (name text, subgraph text)");
    await c.query("insert into public.deployment_schemas values ('sgd9', 'Qm-test')");
    await c.query("create schema sgd9");
    for (const t of ["token_flow", "token_flow_stats_hour", "token_flow_stats_day"])
      await c.query(`create table sgd9.${t} (id int8, timestamp timestamptz)`);
    const put = (t: string, ts: string | null) =>
      ts ? c.query(`insert into sgd9.${t} values (1, $1)`, [ts]) : Promise.resolve();
    await put("token_flow", lastData);
    await put("token_flow_stats_hour", hour);
    await put("token_flow_stats_day", day);
  } finally {
    await c.end();
  }
}

describe("graph-node's rollups after a restart", () => {
  it("data points written after a night without blocks, past the last rollup: a gap", async () => {
    await layout("2025-02-05T03:42:17Z", "2025-02-04T23:00:00Z", "2025-02-04T00:00:00Z");
    expect(await rollupGap(url)).toBe(
      "sgd9 (Qm-test): data points up to 2025-02-05T03:42:17.000Z but aggregation buckets rolled up to 2025-02-05T00:00:01.000Z only",
    );
  });

  it("data points in the hour after the last rollup (every restart while indexing hours with blocks): no gap", async () => {
    await layout("2025-02-05T03:42:17Z", "2025-02-05T02:00:00Z", "2025-02-04T00:00:00Z");
    expect(await rollupGap(url)).toBeNull();
  });

  it("no data points, or no graph-node database yet: no gap", async () => {
    await layout(null, null, null);
    expect(await rollupGap(url)).toBeNull();
    await recreateDatabase(url, "rollups_test");
    expect(await rollupGap(url)).toBeNull(); // recreated empty: graph-node never ran on it
  });

  it("data points but no rollup at all (a restart within the first hours of data): a gap, to be safe", async () => {
    await layout("2025-02-05T03:42:17Z", null, null);
    expect(await rollupGap(url)).toMatch(/rolled up to none only$/);
  });
});
