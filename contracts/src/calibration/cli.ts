/**
 * Prints the calibration targets' table (contracts/src/protocols/<slug>/calibration.json) as docs/simulator.md shows
 * it; with --write, writes it into docs/simulator.md between its markers.
 *   node --import tsx contracts/src/calibration/cli.ts [--write]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { calibrationTable, withTable } from "./table.js";
import { loadCalibrations } from "./targets.js";

const DOCS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "docs", "simulator.md");

const table = calibrationTable(loadCalibrations());
if (process.argv.includes("--write")) {
  writeFileSync(DOCS, withTable(readFileSync(DOCS, "utf8"), table, "docs/simulator.md"));
  process.stdout.write("docs/simulator.md: calibration targets written\n");
} else process.stdout.write(`${table}\n`);
