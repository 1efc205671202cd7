/**
 * `npm run clean`: removes a data folder and what belongs to it outside it (as root, its PostgreSQL cluster
 * under /var/lib/ai-tokenomics or AITOK_POSTGRES_HOME: stack/src/postgres.ts), the same as `npm start --
 * --fresh` removes before starting. `--orphans` removes the clusters whose data folder no longer exists (every
 * start lists them); `--list` lists every cluster with its data folder, size and state. Nothing that runs is
 * removed: a data folder with a running stack, or a cluster a PostgreSQL runs on, is refused with one line.
 */
import "./node-version.js";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { folderBytes, listClusters, megabytes, removeOrphans } from "./clusters.js";
import { liveChildren } from "./leftovers.js";
import { clusterDataDir, postgresHome } from "./postgres.js";
import { removeDataFolder } from "./stack.js";

const program = new Command("npm run clean --")
  .description(
    "Remove a data folder and its PostgreSQL cluster (as root it lives outside the data folder), or list and remove " +
      "clusters whose data folder no longer exists.",
  )
  .addOption(
    new Option("--data-dir <dir>", "the data folder to remove").env("AITOK_DATA_DIR").default(".data"),
  )
  .addOption(new Option("--orphans", "remove the clusters whose data folder no longer exists, instead"))
  .addOption(new Option("--list", "list every cluster (data folder, size, state) and remove nothing"));
program.parse();
const o = program.opts<{ dataDir: string; orphans?: boolean; list?: boolean }>();
const say = (s: string) => process.stdout.write(`${s}\n`);
const home = postgresHome();

if (o.list) {
  const all = listClusters(home);
  if (all.length === 0) say(`no PostgreSQL cluster under ${home}`);
  for (const c of all) {
    const state = c.running ? "running" : c.orphan ? "orphan: its data folder is gone" : "";
    say(
      `${c.path}  ${megabytes(folderBytes(c.path))}  ${c.owner ?? "data folder not recorded (made by an older version)"}${state ? `  (${state})` : ""}`,
    );
  }
  process.exit(0);
}

if (o.orphans) {
  const removed = removeOrphans(home);
  if (removed.length === 0) say(`no orphaned PostgreSQL cluster under ${home}`);
  for (const [path, bytes] of removed) say(`removed ${path} (${megabytes(bytes)})`);
  process.exit(0);
}

const dataDir = resolve(o.dataDir);
if (!existsSync(dataDir)) {
  say(`${dataDir} does not exist: nothing to remove`);
  process.exit(0);
}
// Only a folder a start made: it has at least one of the files a start writes.
const made = ["stack.json", join("logs", "stack.log"), join("postgres", "location.json"), "deployment.json"];
if (!made.some((f) => existsSync(join(dataDir, f)))) {
  process.stderr.write(
    `${dataDir} is not a data folder of npm start (none of ${made.join(", ")} is in it): nothing removed\n`,
  );
  process.exit(1);
}
const running = liveChildren(dataDir);
if (running.length > 0) {
  process.stderr.write(
    `a stack is running on ${dataDir} (${running.map((c) => `${c.name} pid ${c.pid}`).join(", ")}): stop it first (Ctrl-C); nothing removed\n`,
  );
  process.exit(1);
}
const cluster = clusterDataDir(join(dataDir, "postgres"));
const outside = !cluster.startsWith(`${dataDir}/`);
const clusterBytes = outside && existsSync(cluster) ? folderBytes(join(cluster, "..")) : 0;
const bytes = folderBytes(dataDir);
removeDataFolder(dataDir);
say(`removed ${dataDir} (${megabytes(bytes)})`);
if (outside && clusterBytes > 0)
  say(`removed its PostgreSQL cluster ${join(cluster, "..")} (${megabytes(clusterBytes)})`);
