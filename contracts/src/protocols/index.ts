/**
 * The registry of simulated economies: every folder contracts/src/protocols/<slug>/ with an economy.ts whose
 * default export creates the economy. Nothing here names a protocol (docs/adding-a-protocol.md).
 */
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Economy } from "./types.js";

const DIR = dirname(fileURLToPath(import.meta.url));

/** The slugs of the registered economies, sorted (folders with an economy.ts). */
export function economySlugs(): string[] {
  return readdirSync(DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(DIR, e.name, "economy.ts")))
    .map((e) => e.name)
    .sort();
}

/**
 * A fresh instance of every registered economy (or of those named in `only`), in slug order. A name that is no
 * registered economy is an error naming the registered ones.
 */
export async function loadEconomies(only?: readonly string[]): Promise<Economy[]> {
  const all = economySlugs();
  if (only) {
    const unknown = only.filter((s) => !all.includes(s));
    if (unknown.length > 0)
      throw new Error(
        `protocols: ${unknown.map((s) => `"${s}"`).join(", ")} ${unknown.length === 1 ? "is" : "are"} not a registered economy ` +
          `(contracts/src/protocols/<slug>/economy.ts); expected some of ${all.join(", ")}`,
      );
    if (only.length === 0) throw new Error(`protocols: expected at least one of ${all.join(", ")}`);
  }
  const out: Economy[] = [];
  for (const slug of all.filter((s) => !only || only.includes(s))) {
    const mod = (await import(pathToFileURL(join(DIR, slug, "economy.ts")).href)) as {
      default?: () => Economy;
    };
    if (typeof mod.default !== "function")
      throw new Error(
        `contracts/src/protocols/${slug}/economy.ts: its default export must create the economy`,
      );
    const e = mod.default();
    if (e.slug !== slug)
      throw new Error(
        `contracts/src/protocols/${slug}/economy.ts: slug "${e.slug}" must equal its folder name`,
      );
    out.push(e);
  }
  return out;
}
