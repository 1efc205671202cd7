#!/usr/bin/env tsx
/**
 * npm run simulate -- [--deploy] [--days 90] [--seed 1] [--start 2025-01-01] [--out ground-truth.json] [--realtime]
 * [--protocols thegraph,livepeer]
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Command } from "commander";
import type { RealtimeOptions } from "./chain/realtime.js";
import { type Deployment, deployContracts } from "./deploy.js";
import { createNetworkSimulator, deployNetwork, type NetworkDeployment } from "./network.js";
import { loadEconomies } from "./protocols/index.js";
import { Rpc } from "./rpc.js";
import { createSimulator, type GroundTruth, writeGroundTruth } from "./simulate.js";

const DAY = 86400;

function parseStart(v: string): number {
  if (/^\d+$/.test(v)) return Number(v);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(ms)) throw new Error(`--start: cannot parse "${v}" (ISO date or unix seconds)`);
  return Math.floor(ms / 1000);
}

const program = new Command()
  .name("simulate")
  .description(
    "Simulate the registered protocols' token economies on a local chain (anvil) and write their ground truth",
  )
  .option("--rpc <url>", "JSON-RPC endpoint of the local chain", "http://127.0.0.1:8545")
  .option("--deploy", "deploy the contracts first", false)
  .option("--deployment <file>", "deployment JSON to use (when not --deploy)", "deployment.local.json")
  .option("--deployment-out <file>", "where --deploy writes the deployment JSON", "deployment.local.json")
  .option("--network <name>", "network name written into the deployment", "local")
  .option("--days <n>", "simulated UTC days (at least 1)", "90")
  .option("--seed <seed>", "PRNG seed", "1")
  .option(
    "--start <date>",
    "first simulated day (ISO date or unix seconds, 00:00 UTC); default: the next UTC midnight after the chain head",
  )
  .option(
    "--protocols <slugs>",
    "only these registered economies, comma-separated (deploy and simulate), e.g. thegraph,livepeer; default: every one",
  )
  .option("--horizon-day <n>", "day The Graph switches to Horizon (default floor(days*2/3))")
  .option("--operators <n>", "orchestrators / indexers per protocol", "5")
  .option("--stakers <n>", "delegators per protocol", "30")
  .option("--payers <n>", "Livepeer broadcasters (Graph gateways = max(2, ceil(payers/3)))", "10")
  .option("--out <file>", "ground-truth JSON output", "ground-truth.json")
  .option(
    "--realtime",
    "after the simulated days, keep producing blocks with every economy's activity in wall-clock time until Ctrl-C",
    false,
  )
  .option("--interval <seconds>", "realtime: seconds between blocks", "3")
  .option(
    "--second-network",
    "a second local network: only the registered economies' parts there (deploy with Deployer.primary false; only economies with a part there, no prices); use with --network local-b",
    false,
  )
  .parse();

const o = program.opts<{
  rpc: string;
  deploy: boolean;
  deployment: string;
  deploymentOut: string;
  network: string;
  days: string;
  seed: string;
  start?: string;
  protocols?: string;
  horizonDay?: string;
  operators: string;
  stakers: string;
  payers: string;
  out: string;
  realtime: boolean;
  interval: string;
  secondNetwork: boolean;
}>();

/** --protocols: registered economies' slugs, comma-separated (checked against the registry by loadEconomies). */
function parseProtocols(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const list = v
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (list.length === 0)
    throw new Error(`--protocols: expected a comma-separated list of protocol slugs, got "${v}"`);
  return list;
}

async function main(): Promise<void> {
  const days = parseDays(o.days); // before deploying anything
  const protocols = parseProtocols(o.protocols);
  if (protocols) await loadEconomies(protocols); // an unknown name fails before anything is deployed
  if (o.secondNetwork) return secondNetwork(days, protocols);
  const t0 = Date.now();
  let deployment: Deployment;
  if (o.deploy) {
    deployment = await deployContracts({ rpcUrl: o.rpc, network: o.network, protocols });
    writeFileSync(o.deploymentOut, `${JSON.stringify(deployment, null, 2)}\n`);
    console.log(`deployed to ${o.rpc}; deployment written to ${o.deploymentOut}`);
  } else {
    deployment = JSON.parse(readFileSync(o.deployment, "utf8")) as Deployment;
  }
  let startTime: number;
  if (o.start) startTime = parseStart(o.start);
  else {
    const head = await new Rpc(o.rpc).call<{ timestamp: string }>("eth_getBlockByNumber", ["latest", false]);
    startTime = (Math.floor(Number(head.timestamp) / DAY) + 1) * DAY;
  }
  const seed = /^\d+$/.test(o.seed) ? Number(o.seed) : o.seed;
  const sim = await createSimulator({
    rpcUrl: o.rpc,
    deployment,
    seed,
    days,
    startTime,
    protocols,
    horizonSwitchDay: o.horizonDay === undefined ? undefined : Number(o.horizonDay),
    operators: Number(o.operators),
    stakers: Number(o.stakers),
    payers: Number(o.payers),
    onProgress: (p) => console.log(`[${(p.elapsedMs / 1000).toFixed(1)}s] ${p.message}`),
  });
  const gt = await sim.run();
  await writeGroundTruth(o.out, gt);
  console.log(
    `simulated ${gt.days} days (${new Date(gt.startTime * 1000).toISOString().slice(0, 10)} .. ` +
      `${new Date((gt.endTime - 1) * 1000).toISOString().slice(0, 10)}): ${gt.blocks} blocks, ${gt.events} events ` +
      `in ${((Date.now() - t0) / 1000).toFixed(1)} s; ground truth written to ${o.out}`,
  );
  if (o.realtime) await realtime(sim);
}

/** --days: a positive integer (wall-clock mode continues a history of at least one day). */
function parseDays(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(
      `--days must be a positive integer (days of history; --realtime continues it), got "${v}"`,
    );
  return n;
}

/** --realtime: wall-clock blocks after the history until Ctrl-C. */
async function realtime(sim: { realtime: (opts: RealtimeOptions) => Promise<void> }): Promise<void> {
  const seconds = Number(o.interval);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`--interval must be a positive number of seconds, got "${o.interval}"`);
  const ac = new AbortController();
  process.on("SIGINT", () => ac.abort());
  process.on("SIGTERM", () => ac.abort());
  console.log(`realtime: one block every ${seconds} s; Ctrl-C to stop`);
  let n = 0;
  await sim.realtime({
    intervalMs: seconds * 1000,
    signal: ac.signal,
    onBlock: (b) => {
      if (++n % 10 === 0)
        console.log(`realtime: ${n} blocks, last ${b.block} at ${new Date(b.ts * 1000).toISOString()}`);
    },
  });
  console.log(`realtime stopped after ${n} blocks`);
}

async function secondNetwork(days: number, protocols: string[] | undefined): Promise<void> {
  const t0 = Date.now();
  let deployment: NetworkDeployment;
  if (o.deploy) {
    deployment = await deployNetwork({ rpcUrl: o.rpc, network: o.network, protocols });
    writeFileSync(o.deploymentOut, `${JSON.stringify(deployment, null, 2)}\n`);
    console.log(
      `deployed ${Object.keys(deployment.protocols).join(", ") || "nothing"} to ${o.rpc}; deployment written to ${o.deploymentOut}`,
    );
  } else deployment = JSON.parse(readFileSync(o.deployment, "utf8")) as NetworkDeployment;
  if (Object.keys(deployment.protocols).length === 0) {
    console.log("no registered economy has a part on a second network: nothing to simulate");
    return;
  }
  if (!o.start) throw new Error("--second-network needs --start (the main chain's first day)");
  const sim = await createNetworkSimulator({
    rpcUrl: o.rpc,
    deployment,
    seed: /^\d+$/.test(o.seed) ? Number(o.seed) : o.seed,
    days,
    startTime: parseStart(o.start),
    protocols,
    onProgress: (p) => console.log(`[${(p.elapsedMs / 1000).toFixed(1)}s] ${p.message}`),
  });
  const gt = await sim.run();
  await writeGroundTruth(o.out, gt as unknown as GroundTruth);
  console.log(
    `simulated ${gt.days} days on ${gt.network}: ${gt.blocks} blocks, ${gt.events} events in ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s; ground truth written to ${o.out}`,
  );
  if (o.realtime) await realtime(sim);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
