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

/** A fresh instance of every registered economy, in slug order. */
export async function loadEconomies(): Promise<Economy[]> {
  const out: Economy[] = [];
  for (const slug of economySlugs()) {
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
