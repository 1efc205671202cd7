/**
 * The relay inside graph-node's network namespace (netns.ts):
 *   node --import tsx stack/src/relay-cli.ts '<json: { forwards: Forward[], ready: path }>'
 * Listens on every forward, then creates the `ready` file; exits when the process that started it (the shell
 * that becomes graph-node) is gone.
 */
import { writeFileSync } from "node:fs";
import { type Forward, forward } from "./relay.js";

const spec = JSON.parse(process.argv[2] ?? "{}") as { forwards?: Forward[]; ready?: string };
if (!spec.forwards || !spec.ready) {
  process.stderr.write('usage: relay-cli.ts \'{"forwards": [...], "ready": "<file>"}\'\n');
  process.exit(2);
}
try {
  await Promise.all(spec.forwards.map(forward));
} catch (e) {
  process.stderr.write(`relay: ${(e as Error).message}\n`);
  process.exit(1);
}
writeFileSync(spec.ready, `${process.pid}\n`);
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000);
