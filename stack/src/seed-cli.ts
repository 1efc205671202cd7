/**
 * The docker compose `seed` service (docker/seed.Dockerfile): seeds the chain with the same code path as
 * `npm start` (seedChain: deploy the contracts, run the simulation, write deployment.json and
 * ground-truth.json), builds the subgraph (buildSubgraph), then creates and deploys it on graph-node
 * through its admin API and IPFS with graph-cli, and waits until graph-node has indexed the chain head.
 *
 * A second run finds <seed-dir>/deployment.json and does not seed again; the deploy is idempotent (the
 * same build gives the same IPFS hash, so graph-node keeps its deployment and indexed data).
 *
 * Usage errors (a bad option value) exit with code 2, failures with code 1.
 */
import { execFile } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { Command, InvalidArgumentError, Option } from "commander";
import {
  buildSubgraph,
  type Deployment,
  loadDeployment,
  ROOT_DIR,
  renderManifest,
  SUBGRAPH_DIR,
} from "../../subgraph/scripts/manifest.js";
import { getBlock, rpc } from "./anvil.js";
import { createLog, redactUrl, type StackLog } from "./log.js";
import { waitFor } from "./ports.js";
import { DAY, seedChain, seedNetwork, timed, todayMidnight } from "./seed.js";

const run = promisify(execFile);
const GRAPH_BIN = join(ROOT_DIR, "node_modules", ".bin", "graph");
const NETWORK = "local";
/** The second local network (stack/src/stack.ts NETWORK_B; not imported: stack.ts loads the whole supervisor). */
const NETWORK_B = "local-b";

export interface SeedCliOptions {
  rpcUrl: string;
  /** The second local network's chain (none: no second network). */
  rpcUrlB?: string;
  subgraphNameB: string;
  graphNodeAdmin: string;
  graphNodeStatus: string;
  ipfsUrl: string;
  seedDir: string;
  days: number;
  seed: number;
  start?: number;
  deployment?: string;
  subgraphName: string;
  waitSync: boolean;
  timeout: number;
}

class SeedError extends Error {}

const int =
  (name: string, min = 0) =>
  (v: string): number => {
    const n = Number(v);
    if (v.trim() === "" || !Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
const date = (v: string): number => {
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(`${v}${v.length === 10 ? "T00:00:00Z" : ""}`) / 1000;
  if (!Number.isFinite(t) || t % DAY !== 0)
    throw new InvalidArgumentError(
      `--start must be a UTC date (YYYY-MM-DD) or unix seconds at 00:00 UTC, got "${v}"`,
    );
  return t;
};
const url = (name: string) => (v: string) => {
  try {
    const u = new URL(v);
    if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    return v.replace(/\/+$/, "");
  } catch {
    throw new InvalidArgumentError(`${name} must be an http(s) URL, got "${redactUrl(v)}"`);
  }
};
const bool = (v: string): boolean => {
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new InvalidArgumentError(`expected true or false, got "${v}"`);
};

/** The environment variables the options read; an empty one (compose's `${X:-}`) counts as unset. */
export const SEED_ENV = [
  "RPC_URL",
  "RPC_URL_B",
  "SUBGRAPH_NAME_B",
  "GRAPH_NODE_ADMIN",
  "GRAPH_NODE_STATUS",
  "IPFS_URL",
  "SEED_DIR",
  "DAYS",
  "SEED",
  "START",
  "DEPLOYMENT",
  "SUBGRAPH_NAME",
  "WAIT_SYNC",
  "TIMEOUT",
] as const;

export function parseSeedArgs(argv: string[]): SeedCliOptions {
  for (const name of SEED_ENV) if (process.env[name] === "") delete process.env[name];
  const program = new Command("seed-cli")
    .description(
      "Seed the chain (contracts + simulated history), build the subgraph and deploy it to graph-node " +
        "(the docker compose `seed` service).",
    )
    .addOption(
      new Option("--rpc-url <url>", "Ethereum JSON-RPC of the chain")
        .env("RPC_URL")
        .argParser(url("--rpc-url"))
        .default("http://anvil:8545"),
    )
    .addOption(
      new Option(
        "--rpc-url-b <url>",
        `JSON-RPC of the second local network's chain (${NETWORK_B}; unset: no second network, and never with --deployment)`,
      )
        .env("RPC_URL_B")
        .argParser(url("--rpc-url-b")),
    )
    .addOption(
      new Option("--subgraph-name-b <name>", `subgraph name on graph-node of the ${NETWORK_B} deployment`)
        .env("SUBGRAPH_NAME_B")
        .default("ai-tokenomics-local-b"),
    )
    .addOption(
      new Option("--graph-node-admin <url>", "graph-node admin JSON-RPC (port 8020)")
        .env("GRAPH_NODE_ADMIN")
        .argParser(url("--graph-node-admin"))
        .default("http://graph-node:8020"),
    )
    .addOption(
      new Option("--graph-node-status <url>", "graph-node index-node status GraphQL (port 8030)")
        .env("GRAPH_NODE_STATUS")
        .argParser(url("--graph-node-status"))
        .default("http://graph-node:8030/graphql"),
    )
    .addOption(
      new Option("--ipfs-url <url>", "IPFS API that graph-cli uploads the subgraph to")
        .env("IPFS_URL")
        .argParser(url("--ipfs-url"))
        .default("http://ipfs:5001"),
    )
    .addOption(
      new Option("--seed-dir <dir>", "where deployment.json, ground-truth.json and seed.log are kept")
        .env("SEED_DIR")
        .default("/seed"),
    )
    .addOption(
      new Option("--days <n>", "days of simulated history on a new chain")
        .env("DAYS")
        .argParser(int("--days", 1))
        .default(90),
    )
    .addOption(new Option("--seed <n>", "simulator seed").env("SEED").argParser(int("--seed")).default(1))
    .addOption(
      new Option("--start <date>", "first simulated day (default: --days before today)")
        .env("START")
        .argParser(date),
    )
    .addOption(
      new Option(
        "--deployment <file>",
        "an existing deployment (e.g. subgraph/deployments/arbitrum-one.json): no seeding, deploy only",
      ).env("DEPLOYMENT"),
    )
    .addOption(
      new Option("--subgraph-name <name>", "subgraph name on graph-node")
        .env("SUBGRAPH_NAME")
        .default("ai-tokenomics"),
    )
    .addOption(
      new Option("--wait-sync <bool>", "wait until graph-node has indexed the chain head")
        .env("WAIT_SYNC")
        .argParser(bool)
        .default(true),
    )
    .addOption(
      new Option("--timeout <seconds>", "how long to wait for each service and for indexing")
        .env("TIMEOUT")
        .argParser(int("--timeout", 1))
        .default(1200),
    )
    .exitOverride((err) => {
      // Help and version exit 0; every usage error (bad value, unknown option) exits 2.
      process.exit(err.exitCode === 0 ? 0 : 2);
    });
  program.parse(argv, { from: "user" });
  const o = program.opts<SeedCliOptions>();
  for (const [flag, v] of [
    ["--subgraph-name", o.subgraphName],
    ["--subgraph-name-b", o.subgraphNameB],
  ] as const) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_/-]*$/.test(v)) {
      process.stderr.write(`error: ${flag} must be letters, digits, _ - /, got "${v}"\n`);
      process.exit(2);
    }
  }
  return o;
}

async function post(target: string, body: unknown, timeoutMs = 5000): Promise<Response> {
  return fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** A chain seeded earlier must still have the contracts of deployment.json (anvil volume kept). */
async function assertChainHasContracts(rpcUrl: string, file: string, deployment: Deployment): Promise<void> {
  const first = Object.values(deployment.protocols).flatMap((p) => Object.values(p))[0];
  if (!first) return;
  const code = await rpc<string>(rpcUrl, "eth_getCode", [first.address, "latest"]);
  if (!code || code === "0x") {
    throw new SeedError(
      `${file} lists contracts that the chain at ${redactUrl(rpcUrl)} does not have (no code at ${first.address}): ` +
        "the chain volume was removed but the seed volume kept. Start over with `docker compose down -v`.",
    );
  }
}

/** The last lines of graph-cli's output, without its spinner and per-file upload lines. */
function outputTail(text: string, lines = 30): string {
  return text
    .split("\n")
    .filter(
      (l) =>
        l.trim() !== "" &&
        !/^(- |Skip migration|Compile data source|Write subgraph|Copy schema|Add file to IPFS|\.\. Qm)/.test(
          l.trim(),
        ),
    )
    .slice(-lines)
    .join("\n");
}

async function graph(log: StackLog, args: string[], what: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(GRAPH_BIN, args, {
      cwd: SUBGRAPH_DIR,
      maxBuffer: 16 << 20,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    log.json.debug({ args, stdout: outputTail(stdout), stderr: outputTail(stderr) }, `graph ${args[0]}`);
    return `${stdout}\n${stderr}`;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    const out = outputTail(`${err.stdout ?? ""}\n${err.stderr ?? ""}`) || err.message;
    throw new SeedError(`${what} failed (graph ${args[0]}):\n${out}`);
  }
}

interface CurrentStatus {
  synced: boolean;
  health: string;
  fatalError: { message: string } | null;
  chains: { latestBlock: { number: string } | null }[];
}

/** Polls graph-node's status API until the subgraph's current version has indexed the chain head. */
async function waitForSync(
  o: SeedCliOptions,
  log: StackLog,
  subgraphName = o.subgraphName,
  rpcUrl = o.rpcUrl,
): Promise<void> {
  const query = `{ indexingStatusForCurrentVersion(subgraphName: ${JSON.stringify(subgraphName)}) {
    synced health fatalError { message } chains { latestBlock { number } } } }`;
  const deadline = Date.now() + o.timeout * 1000;
  let last = "no status yet";
  while (Date.now() < deadline) {
    try {
      const head = Number.parseInt(await rpc<string>(rpcUrl, "eth_blockNumber"), 16);
      const res = await post(o.graphNodeStatus, { query });
      const body = (await res.json()) as { data?: { indexingStatusForCurrentVersion: CurrentStatus | null } };
      const s = body.data?.indexingStatusForCurrentVersion;
      if (s) {
        if (s.health === "failed" || s.fatalError) {
          throw new SeedError(`the subgraph failed to index: ${s.fatalError?.message ?? s.health}`);
        }
        const latest = Number(s.chains[0]?.latestBlock?.number ?? 0);
        last = `${subgraphName}: indexed block ${latest} / ${head}`;
        log.progress(last);
        if (s.synced && latest >= head) return;
      }
    } catch (e) {
      if (e instanceof SeedError) throw e;
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new SeedError(
    `graph-node did not index ${subgraphName} up to the chain head within ${o.timeout} s (${last}); ` +
      `see \`docker compose logs graph-node\``,
  );
}

export async function runSeed(o: SeedCliOptions, log: StackLog): Promise<void> {
  const timeoutMs = o.timeout * 1000;
  const rpcShown = redactUrl(o.rpcUrl);

  // --- chain ---------------------------------------------------------------------------------------
  const chainId = await timed(log, `chain RPC ${rpcShown}`, () =>
    waitFor(
      `the chain RPC at ${rpcShown} (eth_chainId)`,
      () => rpc<string>(o.rpcUrl, "eth_chainId"),
      timeoutMs,
      500,
    ),
  );
  log.info(`chain id ${Number.parseInt(chainId, 16)}`);

  const start = o.start ?? todayMidnight() - o.days * DAY;
  const seededFile = join(o.seedDir, "deployment.json");
  if (o.deployment) {
    loadDeployment(o.deployment); // validates; errors name the file and the field
  } else if (existsSync(seededFile)) {
    await assertChainHasContracts(o.rpcUrl, seededFile, loadDeployment(seededFile));
  } else {
    const genesis = await getBlock(o.rpcUrl, 0);
    const genesisTs = Number.parseInt(genesis?.timestamp ?? "0x0", 16);
    if (genesisTs >= start) {
      throw new SeedError(
        `the chain's genesis (${new Date(genesisTs * 1000).toISOString()}) must be before the first simulated day ` +
          `(${new Date(start * 1000).toISOString().slice(0, 10)}): start anvil with an earlier --timestamp or pass a later --start`,
      );
    }
  }
  const { deployment } = await seedChain({
    rpcUrl: o.rpcUrl,
    network: NETWORK,
    outDir: o.seedDir,
    deploymentFile: o.deployment,
    simulation: { days: o.days, seed: o.seed, start },
    log,
  });

  // --- the second local network: its chain, seeded alongside (never with an existing --deployment) -------
  let seedingB: ReturnType<typeof seedNetwork> | null = null;
  const rpcUrlB = o.deployment ? undefined : o.rpcUrlB;
  if (rpcUrlB) {
    await timed(log, `${NETWORK_B} chain RPC ${redactUrl(rpcUrlB)}`, () =>
      waitFor(
        `the ${NETWORK_B} chain RPC at ${redactUrl(rpcUrlB)} (eth_chainId)`,
        () => rpc<string>(rpcUrlB, "eth_chainId"),
        timeoutMs,
        500,
      ),
    );
    seedingB = seedNetwork({
      rpcUrl: rpcUrlB,
      network: NETWORK_B,
      outDir: o.seedDir,
      simulation: { days: o.days, seed: o.seed, start },
      log,
    });
    seedingB.catch(() => {}); // awaited below
  }

  // --- graph-node and IPFS -------------------------------------------------------------------------
  const built = await buildManifest(log, deployment);
  await timed(log, `graph-node admin API ${o.graphNodeAdmin} and IPFS ${o.ipfsUrl}`, () =>
    Promise.all([
      waitFor(
        `graph-node's admin API at ${o.graphNodeAdmin}`,
        async () => {
          // Any JSON-RPC answer (even "method not found") means the admin server is up.
          await post(o.graphNodeAdmin, { jsonrpc: "2.0", id: 1, method: "ping" });
          return true;
        },
        timeoutMs,
        500,
      ),
      waitFor(
        `the IPFS API at ${o.ipfsUrl} (POST /api/v0/version)`,
        async () => ((await post(`${o.ipfsUrl}/api/v0/version`, undefined)).ok ? true : undefined),
        timeoutMs,
        500,
      ),
    ]),
  );
  await deploySubgraph(o, log, built, o.subgraphName, deployment.network, "subgraph.json");

  // --- the second network's subgraph, on the same graph-node (its `ethereum` lists both networks) ----
  let b: { name: string; rpcUrl: string } | null = null;
  if (seedingB && rpcUrlB) {
    const seededB = await seedingB;
    if (Object.keys(seededB.deployment.protocols).length === 0) {
      log.info(`${NETWORK_B}: no protocol has a part on a second network; no second subgraph`);
    } else {
      const builtB = await buildManifest(log, seededB.deployment);
      await deploySubgraph(o, log, builtB, o.subgraphNameB, NETWORK_B, `subgraph.${NETWORK_B}.json`);
      b = { name: o.subgraphNameB, rpcUrl: rpcUrlB };
    }
  }

  // --- indexing ------------------------------------------------------------------------------------
  if (o.waitSync) {
    await timed(log, "indexing until synced with the chain head", () => waitForSync(o, log));
    if (b) {
      const { name, rpcUrl } = b;
      await timed(log, `indexing ${NETWORK_B} until synced with its chain head`, () =>
        waitForSync(o, log, name, rpcUrl),
      );
    }
  }
  log.step("seeded");
}

/** Builds a deployment's subgraph (buildSubgraph) and the manifest graph-cli deploys. */
async function buildManifest(
  log: StackLog,
  deployment: Deployment,
): Promise<{ hash: string; manifest: string }> {
  const built = await timed(log, `subgraph: codegen and build (${deployment.network} deployment)`, () =>
    buildSubgraph(deployment, "real"),
  );
  const manifestDir = join(SUBGRAPH_DIR, ".manifests");
  const manifest = join(manifestDir, `${built.hash}.yaml`);
  if (!existsSync(manifest)) {
    // A cached build does not rewrite its manifest; regenerate it exactly as buildSubgraph does.
    writeFileSync(manifest, `${JSON.stringify(renderManifest(deployment, "real", manifestDir), null, 2)}\n`);
  }
  log.info(`subgraph build ${built.hash}${built.reused ? " (cached)" : ""}: ${manifest}`);
  return { hash: built.hash, manifest };
}

/** Creates the subgraph name (if needed) and deploys the build with graph-cli; writes <seed-dir>/<infoFile>. */
async function deploySubgraph(
  o: SeedCliOptions,
  log: StackLog,
  built: { hash: string; manifest: string },
  subgraphName: string,
  network: string,
  infoFile: string,
): Promise<void> {
  const { manifest } = built;
  try {
    await graph(log, ["create", "--node", o.graphNodeAdmin, subgraphName], `creating ${subgraphName}`);
    log.info(`created subgraph name ${subgraphName}`);
  } catch (e) {
    if (!/already exists/i.test((e as Error).message)) throw e;
    log.info(`subgraph name ${subgraphName} exists`);
  }
  const out = await timed(log, `subgraph: deploy to graph-node as ${subgraphName}`, () =>
    graph(
      log,
      [
        "deploy",
        "--node",
        o.graphNodeAdmin,
        "--ipfs",
        o.ipfsUrl,
        "--version-label",
        `v${built.hash}`,
        "--output-dir",
        join(SUBGRAPH_DIR, ".builds", `deploy-${built.hash}`),
        subgraphName,
        manifest,
      ],
      `deploying ${manifest} to ${o.graphNodeAdmin}`,
    ),
  );
  const deploymentId = /\b(Qm[1-9A-HJ-NP-Za-km-z]{44})\b/.exec(out)?.[1] ?? null;
  log.info(`deployment ${deploymentId ?? "(id not printed by graph-cli)"}`, { deploymentId });
  writeFileSync(
    join(o.seedDir, infoFile),
    `${JSON.stringify({ name: subgraphName, deploymentId, build: built.hash, network }, null, 2)}\n`,
  );
}

async function main(): Promise<void> {
  const o = parseSeedArgs(process.argv.slice(2));
  let log: StackLog;
  try {
    log = createLog(join(o.seedDir, "seed.log"));
  } catch (e) {
    process.stderr.write(
      `✗ cannot write to the seed folder ${o.seedDir} (--seed-dir, SEED_DIR): ${(e as Error).message}\n`,
    );
    process.exit(1);
  }
  try {
    await runSeed(o, log);
    process.exit(0);
  } catch (e) {
    log.error((e as Error).message);
    if (!(e instanceof SeedError) && (e as Error).stack) log.json.error({ stack: (e as Error).stack });
    process.exit(1);
  }
}

await main();
