/**
 * Which PostgreSQL cluster belongs to which data folder, in both directions. As root the clusters live outside
 * the data folders, in <home>/cluster-XXXXXX (postgres.ts): <data>/postgres/location.json names a data folder's
 * cluster, and <cluster>/owner.json names the cluster's data folder. A cluster whose data folder is gone (the
 * checkout was deleted) is an orphan: every start lists the orphans and how to remove them, and only
 * `npm run clean -- --orphans` removes them (stack/src/clean-cli.ts); nothing is removed on its own.
 */
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { StackError } from "./errors.js";

export const LOCATION_FILE = "location.json";
export const OWNER_FILE = "owner.json";
export const CLUSTER_PREFIX = "cluster-";

export interface Location {
  cluster: string;
  home: string;
  dataFolder: string;
}

export function readLocation(pgDir: string): Location | null {
  const file = join(pgDir, LOCATION_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Location;
  } catch {
    throw new StackError(`${file} is not valid JSON: it should name this data folder's PostgreSQL cluster`);
  }
}

/** A recorded cluster folder, if it is one of ours (inside the home it names, with our prefix). */
export function ownedCluster(loc: Location | null): string | null {
  if (!loc || typeof loc.cluster !== "string" || typeof loc.home !== "string") return null;
  const cluster = resolve(loc.cluster);
  return dirname(cluster) === resolve(loc.home) && basename(cluster).startsWith(CLUSTER_PREFIX)
    ? cluster
    : null;
}

/** Records in the cluster which data folder it belongs to (kept up to date at every start). */
export function claimCluster(cluster: string, dataFolder: string): void {
  const file = join(cluster, OWNER_FILE);
  const owner = ownerOf(cluster);
  if (owner === resolve(dataFolder)) return;
  writeFileSync(file, `${JSON.stringify({ dataFolder: resolve(dataFolder) }, null, 2)}\n`);
}

function ownerOf(cluster: string): string | null {
  try {
    const o = JSON.parse(readFileSync(join(cluster, OWNER_FILE), "utf8")) as { dataFolder?: unknown };
    return typeof o.dataFolder === "string" ? o.dataFolder : null;
  } catch {
    return null;
  }
}

/** Bytes used by a folder and everything in it (symbolic links not followed). */
export function folderBytes(dir: string): number {
  let total = 0;
  const walk = (p: string) => {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(p);
    } catch {
      return;
    }
    total += st.size;
    if (st.isDirectory()) {
      let entries: string[] = [];
      try {
        entries = readdirSync(p);
      } catch {
        return;
      }
      for (const e of entries) walk(join(p, e));
    }
  };
  walk(dir);
  return total;
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;

export interface ClusterInfo {
  path: string;
  /** The data folder it was made for; null when the cluster records none (made by an older version). */
  owner: string | null;
  /** Its data folder is gone, or no longer names this cluster. */
  orphan: boolean;
  /** A PostgreSQL runs on it now (postmaster.pid names a live postgres). */
  running: boolean;
}

function postmasterRunning(cluster: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(cluster, "data", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    const exe = readlinkSync(`/proc/${pid}/exe`);
    return basename(exe).startsWith("postgres");
  } catch {
    return false;
  }
}

/** Every cluster folder under `home`, with its owner and whether it is orphaned or running. */
export function listClusters(home: string): ClusterInfo[] {
  let names: string[] = [];
  try {
    names = readdirSync(home).filter((n) => n.startsWith(CLUSTER_PREFIX));
  } catch {
    return [];
  }
  return names.sort().map((n) => {
    const path = join(home, n);
    const owner = ownerOf(path);
    let claimed = false;
    if (owner) {
      try {
        claimed = ownedCluster(readLocation(join(owner, "postgres"))) === path;
      } catch {
        claimed = false;
      }
    }
    return { path, owner, orphan: owner !== null && !claimed, running: postmasterRunning(path) };
  });
}

/** One line per orphaned cluster under `home` (none running), saying how to remove them; [] when none. */
export function orphanLines(home: string): string[] {
  const orphans = listClusters(home).filter((c) => c.orphan && !c.running);
  if (orphans.length === 0) return [];
  return [
    ...orphans.map(
      (c) =>
        `PostgreSQL cluster ${c.path} (${megabytes(folderBytes(c.path))}) belongs to ${c.owner}, which no longer exists`,
    ),
    `remove ${orphans.length === 1 ? "it" : "them"} with \`npm run clean -- --orphans\` (nothing is removed on its own)`,
  ];
}

/** Removes the orphaned clusters under `home` that are not running; returns [path, bytes] of each. */
export function removeOrphans(home: string): [string, number][] {
  const removed: [string, number][] = [];
  for (const c of listClusters(home)) {
    if (!c.orphan || c.running) continue;
    const bytes = folderBytes(c.path);
    rmSync(c.path, { recursive: true, force: true });
    removed.push([c.path, bytes]);
  }
  return removed;
}
