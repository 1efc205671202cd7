/**
 * Seeding a chain: deploy the contracts, run the simulation, write deployment.json and ground-truth.json.
 * The one code path behind `npm start` (stack.ts) and the docker compose `seed` service (seed-cli.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  type Deployment as ChainDeployment,
  createNetworkSimulator,
  createSimulator,
  deployContracts,
  deployNetwork,
  type NetworkDeployment,
  type NetworkSimulator,
  type Simulator,
  writeGroundTruth,
} from "../../contracts/src/index.js";
import type { Deployment } from "../../subgraph/scripts/manifest.js";
import { getBlock } from "./anvil.js";
import { writeWhole } from "./chainstate.js";
import type { StackLog } from "./log.js";

export interface SimulationConfig {
  days: number;
  seed: number;
  /** Unix seconds, 00:00 UTC; default: `days` days before today's UTC midnight. */
  start?: number;
  horizonSwitchDay?: number;
  operators?: number;
  stakers?: number;
  payers?: number;
}

export const DAY = 86_400;

export function todayMidnight(): number {
  return Math.floor(Date.now() / 1000 / DAY) * DAY;
}

export async function timed<T>(log: StackLog, label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  log.step(`${label} …`);
  const v = await fn();
  log.info(`${label}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`, { step: label });
  return v;
}

export interface Seeded {
  deployment: Deployment;
  deploymentFile: string;
  groundTruthPath: string | null;
  /** false when the chain had been seeded before (deployment file present). */
  seededNow: boolean;
  /** The simulator that has just produced the history (wall-clock mode continues it); null when seeded before. */
  simulator: Simulator | null;
}

/**
 * Deploys and simulates on `rpcUrl` unless `deploymentFile` exists already (a chain seeded earlier).
 * `network` is the manifest network name written into the deployment.
 */
export async function seedChain(opts: {
  rpcUrl: string;
  network: string;
  outDir: string;
  deploymentFile?: string;
  simulation: SimulationConfig & { start: number };
  log: StackLog;
  /** Called once the contracts are deployed, before the simulation (to build the subgraph meanwhile). */
  onDeployed?: (deployment: Deployment) => void;
  /** Saves the chain (chainstate.ts) after the history and before the deployment file marks it seeded. */
  persist?: () => Promise<void>;
}): Promise<Seeded> {
  const { rpcUrl, log, simulation: sim } = opts;
  const deploymentFile = opts.deploymentFile ?? join(opts.outDir, "deployment.json");
  const groundTruthPath = join(opts.outDir, "ground-truth.json");
  if (existsSync(deploymentFile)) {
    const head = Number.parseInt((await getBlock(rpcUrl, "latest"))?.number ?? "0x0", 16);
    log.info(`contracts: deployed earlier (${deploymentFile}); chain at block ${head}`);
    return {
      deployment: JSON.parse(readFileSync(deploymentFile, "utf8")) as Deployment,
      deploymentFile,
      groundTruthPath: existsSync(groundTruthPath) ? groundTruthPath : null,
      seededNow: false,
      simulator: null,
    };
  }
  const chainDeployment = await timed(log, "contracts: compile and deploy", () =>
    deployContracts({ rpcUrl, network: opts.network }),
  );
  opts.onDeployed?.(chainDeployment as unknown as Deployment);
  const simulator = await createSimulator({
    rpcUrl,
    deployment: chainDeployment,
    seed: sim.seed,
    days: sim.days,
    startTime: sim.start,
    horizonSwitchDay: sim.horizonSwitchDay,
    operators: sim.operators,
    stakers: sim.stakers,
    payers: sim.payers,
    onProgress: (p) =>
      log.progress(`simulating day ${p.day}/${p.days}: ${p.blocks} blocks, ${p.events} events`),
  });
  const truth = await timed(
    log,
    `simulation: ${sim.days} days from ${new Date(sim.start * 1000).toISOString().slice(0, 10)}, seed ${sim.seed}`,
    () => simulator.run(),
  );
  await writeGroundTruth(groundTruthPath, truth);
  await opts.persist?.();
  // Written last, whole or not at all: its presence means "this chain is seeded" (and its state is on disk).
  writeWhole(deploymentFile, `${JSON.stringify(chainDeployment satisfies ChainDeployment, null, 2)}\n`);
  log.info(`history: ${truth.blocks} blocks, ${truth.events} events; ground truth in ${groundTruthPath}`);
  return {
    deployment: chainDeployment as unknown as Deployment,
    deploymentFile,
    groundTruthPath,
    seededNow: true,
    simulator,
  };
}

export interface SeededNetwork {
  network: string;
  /** The network's deployment (no protocols: no registered economy has a part on it, nothing to index). */
  deployment: Deployment;
  deploymentFile: string;
  groundTruthPath: string | null;
  seededNow: boolean;
  /** The simulator that has just produced its history (wall-clock mode continues it); null otherwise. */
  simulator: NetworkSimulator | null;
}

/** deployment.<network>.json and ground-truth.<network>.json, next to the main chain's files. */
export const networkFiles = (outDir: string, network: string) => ({
  deploymentFile: join(outDir, `deployment.${network}.json`),
  groundTruthPath: join(outDir, `ground-truth.${network}.json`),
});

/**
 * Seeds a second local network (contracts/src/network.ts): the registered economies' parts there (their deploy()
 * with primary false), the same days from the same start with the same seed, unless deployment.<network>.json
 * exists (seeded earlier). The progress lines name the network.
 */
export async function seedNetwork(opts: {
  rpcUrl: string;
  network: string;
  outDir: string;
  simulation: SimulationConfig & { start: number };
  log: StackLog;
  /** Saves the chain after the history, before the deployment file marks it seeded (as seedChain). */
  persist?: () => Promise<void>;
}): Promise<SeededNetwork> {
  const { rpcUrl, network, log, simulation: sim } = opts;
  const { deploymentFile, groundTruthPath } = networkFiles(opts.outDir, network);
  if (existsSync(deploymentFile)) {
    const head = Number.parseInt((await getBlock(rpcUrl, "latest"))?.number ?? "0x0", 16);
    log.info(`${network}: contracts deployed earlier (${deploymentFile}); chain at block ${head}`);
    return {
      network,
      deployment: JSON.parse(readFileSync(deploymentFile, "utf8")) as Deployment,
      deploymentFile,
      groundTruthPath: existsSync(groundTruthPath) ? groundTruthPath : null,
      seededNow: false,
      simulator: null,
    };
  }
  const deployment = await timed(log, `${network}: deploy the protocols' second-network parts`, () =>
    deployNetwork({ rpcUrl, network }),
  );
  const slugs = Object.keys(deployment.protocols);
  let truthPath: string | null = null;
  let simulator: NetworkSimulator | null = null;
  if (slugs.length === 0) {
    log.warn(
      `${network}: no registered economy has a part on a second network (its deploy() returns null when ` +
        "Deployer.primary is false): nothing to simulate or index there",
    );
  } else {
    simulator = await createNetworkSimulator({
      rpcUrl,
      deployment,
      seed: sim.seed,
      days: sim.days,
      startTime: sim.start,
      onProgress: (p) =>
        log.json.info({ network, day: p.day, blocks: p.blocks, events: p.events }, p.message),
    });
    const running = simulator;
    const truth = await timed(log, `${network}: simulation of ${slugs.join(", ")}, ${sim.days} days`, () =>
      running.run(),
    );
    await writeFile(groundTruthPath, `${JSON.stringify(truth, null, 2)}\n`);
    truthPath = groundTruthPath;
    log.info(
      `${network} history: ${truth.blocks} blocks, ${truth.events} events; ground truth in ${groundTruthPath}`,
    );
  }
  await opts.persist?.();
  // Written last, whole or not at all: its presence means "this chain is seeded" (and its state is on disk).
  writeWhole(deploymentFile, `${JSON.stringify(deployment satisfies NetworkDeployment, null, 2)}\n`);
  return {
    network,
    deployment: deployment as unknown as Deployment,
    deploymentFile,
    groundTruthPath: truthPath,
    seededNow: true,
    simulator,
  };
}
