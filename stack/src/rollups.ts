/**
 * A graph-node defect that loses aggregation buckets when graph-node restarts, and what the stack does about it.
 *
 * graph-node rolls up an aggregation bucket when it writes the first block of a later bucket, and only the first
 * bucket after its last rollup (graph-node store/postgres/src/relational.rs `Layout::rollup`: "we only need to
 * pay attention to the first bucket"), which is right while it runs, because it remembers the time of the last
 * block it wrote. After a restart it no longer knows that time and takes the end of the newest bucket in the
 * aggregation tables instead (relational/rollup.rs `last_rollup`: max(timestamp) + interval + 1 s). When the
 * blocks written before the restart came after hours without any block (our simulated nights), that is earlier
 * than the last block written: the first block after the restart rolls up the empty hour after the newest bucket,
 * and the hours that do hold the data points written before the restart are never rolled up. Found by the fault
 * bench (docs/bench.md, "Faults"): PostgreSQL killed during indexing, 22 hourly values of 02-05 03:00 missing;
 * the same code is in graph-node's master (2026-06).
 *
 * Before graph-node starts, `rollupGap` reads (read only) whether its database is in that state: data points
 * at or after the end of the bucket that holds graph-node's reconstructed last rollup. The index is derived
 * data, all of it rebuilt from the chain: on the embedded PostgreSQL the stack then drops that network's
 * graph-node database and graph-node indexes the network again from its start block (the chain and everything
 * else in the data folder are kept); on a PostgreSQL of the user's (--postgres-url) it only says so.
 */
import pg from "pg";
import type { StackLog } from "./log.js";

const HOUR_MS = 3_600_000;

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** One line describing the gap in a graph-node database, or null when a restart loses nothing. */
export async function rollupGap(postgresUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    const exists = await client.query("select to_regclass('public.deployment_schemas') as t");
    if (!exists.rows[0]?.t) return null; // graph-node never ran on this database
    const { rows: schemas } = await client.query<{ name: string; subgraph: string }>(
      "select name, subgraph from public.deployment_schemas",
    );
    for (const s of schemas) {
      const { rows: tables } = await client.query<{ table_name: string }>(
        `select table_name from information_schema.columns
          where table_schema = $1 and column_name = 'timestamp' and data_type = 'timestamp with time zone'`,
        [s.name],
      );
      let lastRollup: number | null = null; // what graph-node will reconstruct (ms)
      let lastData: number | null = null; // the newest data point written (ms)
      for (const { table_name: t } of tables) {
        const interval = /_hour$/.test(t) ? HOUR_MS : /_day$/.test(t) ? 24 * HOUR_MS : null;
        const { rows } = await client.query<{ ts: Date | null }>(
          `select max(timestamp) as ts from ${ident(s.name)}.${ident(t)}`,
        );
        const ts = rows[0]?.ts?.getTime() ?? null;
        if (ts === null) continue;
        if (interval !== null) lastRollup = Math.max(lastRollup ?? ts, ts + interval + 1000);
        else lastData = Math.max(lastData ?? ts, ts);
      }
      if (lastData === null) continue;
      // the first hour graph-node rolls up after a restart is the one holding lastRollup
      const rolledUntil = lastRollup === null ? null : Math.floor(lastRollup / HOUR_MS) * HOUR_MS + HOUR_MS;
      if (rolledUntil === null || lastData >= rolledUntil) {
        const at = (ms: number | null) => (ms === null ? "none" : new Date(ms).toISOString());
        return (
          `${s.name} (${s.subgraph}): data points up to ${at(lastData)} but aggregation buckets rolled up to ` +
          `${at(lastRollup)} only`
        );
      }
    }
    return null;
  } finally {
    await client.end();
  }
}

/** Drops and recreates database `name` on the server of `url` (graph-node must not be connected). */
export async function recreateDatabase(url: string, name: string): Promise<void> {
  const u = new URL(url);
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${ident(name)} with (force)`);
    await client.query(`create database ${ident(name)}`);
  } finally {
    await client.end();
  }
}

/**
 * Before graph-node starts on a network's database: if a restart would lose buckets, re-index that network from
 * the chain (embedded PostgreSQL: its database is dropped and created again) or, on the user's PostgreSQL, say so.
 */
export async function repairRollupGap(opts: {
  url: string;
  database: string;
  network: string;
  /** The stack's own PostgreSQL (its graph-node databases hold nothing but the index). */
  embedded: boolean;
  log: StackLog;
}): Promise<void> {
  const gap = await rollupGap(opts.url);
  if (!gap) return;
  const why = `graph-node would never roll up some aggregation buckets after this restart (a graph-node defect, stack/src/rollups.ts; ${gap})`;
  if (!opts.embedded) {
    opts.log.warn(`${opts.network}: ${why}; re-index the subgraph to get them`);
    return;
  }
  opts.log.warn(`${opts.network}: ${why}: indexing ${opts.network} again from the chain`);
  await recreateDatabase(opts.url, opts.database);
}
