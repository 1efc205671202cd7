/**
 * Run by the reaper (reaper.ts) once the supervisor is gone: stops the children it recorded for a data folder.
 *   node --import tsx stack/src/reap-cli.ts <data folder>
 */
import { join } from "node:path";
import { stopLeftovers } from "./leftovers.js";
import { createLog } from "./log.js";

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: reap-cli.ts <data folder>\n");
  process.exit(2);
}
const log = createLog(join(dataDir, "logs", "stack.log"), true);
const stopped = await stopLeftovers(dataDir, log);
if (stopped.length > 0)
  log.json.warn({ reaped: stopped }, `the supervisor is gone: stopped ${stopped.join(", ")}`);
process.stdout.write(`${new Date().toISOString()} reaper: stopped ${stopped.join(", ") || "nothing"}\n`);
