/** CLI: build the subgraph for a deployment file. `tsx subgraph/scripts/build.ts deployments/arbitrum-one.json [--noop]` */
import { buildSubgraph, loadDeployment } from "./manifest.js";

const [file, flag] = process.argv.slice(2);
if (!file) {
  console.error("usage: build.ts <deployment.json> [--noop]");
  process.exit(2);
}
const built = await buildSubgraph(loadDeployment(file), flag === "--noop" ? "noop" : "real");
console.log(JSON.stringify(built));
