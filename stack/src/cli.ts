/**
 * `npm start`: the whole local stack. Flags and environment variables (AITOK_*) configure it; --help lists them.
 */
// First: graphql must load with NODE_ENV=production (see the module) in this process, which runs the gateway.
import "../../api/src/production.js";
import { Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_PORTS, PORT_OPTIONS, StackError, type StackPorts, startStack } from "./stack.js";

const int =
  (name: string, min = 0) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min)
      throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${v}"`);
    return n;
  };
const port = (name: string) => (v: string) => {
  const n = int(name, 1)(v);
  if (n > 65535) throw new InvalidArgumentError(`${name} must be a TCP port (1-65535), got "${v}"`);
  return n;
};
const date = (v: string) => {
  const t = /^\d+$/.test(v) ? Number(v) : Date.parse(`${v}${v.length === 10 ? "T00:00:00Z" : ""}`) / 1000;
  if (!Number.isFinite(t) || t % 86400 !== 0)
    throw new InvalidArgumentError(
      `--start must be a UTC date (YYYY-MM-DD) or unix seconds at 00:00 UTC, got "${v}"`,
    );
  return t;
};

const program = new Command("npm start --")
  .description(
    "Start the local AI-token tokenomics stack: PostgreSQL, anvil, graph-node, the subgraph and the gateway.",
  )
  .addOption(
    new Option("--data-dir <dir>", "data folder (PostgreSQL, chain state, logs)")
      .env("AITOK_DATA_DIR")
      .default(".data"),
  )
  .addOption(
    new Option("--fresh", "delete the data folder first and start a new chain and database").env(
      "AITOK_FRESH",
    ),
  )
  .addOption(
    new Option("--days <n>", "days of simulated history on a new chain")
      .env("AITOK_DAYS")
      .argParser(int("--days", 1))
      .default(90),
  )
  .addOption(new Option("--seed <n>", "simulator seed").env("AITOK_SEED").argParser(int("--seed")).default(1))
  .addOption(
    new Option("--start <date>", "first simulated day (default: --days before today)")
      .env("AITOK_START")
      .argParser(date),
  )
  .addOption(
    new Option("--horizon-day <n>", "day from which The Graph runs on Horizon")
      .env("AITOK_HORIZON_DAY")
      .argParser(int("--horizon-day")),
  )
  .addOption(
    new Option("--operators <n>", "orchestrators / indexers per protocol")
      .env("AITOK_OPERATORS")
      .argParser(int("--operators", 1)),
  )
  .addOption(
    new Option("--stakers <n>", "delegators per protocol")
      .env("AITOK_STAKERS")
      .argParser(int("--stakers", 1)),
  )
  .addOption(new Option("--payers <n>", "fee payers").env("AITOK_PAYERS").argParser(int("--payers", 1)))
  .addOption(new Option("--live", "keep producing blocks in real time after the history").env("AITOK_LIVE"))
  .addOption(new Option("--no-gateway", "do not start the analytics gateway"))
  .addOption(
    new Option(
      "--no-second-network",
      "do not start the second local network (local-b: a second anvil, its subgraph and gateway upstream)",
    ),
  )
  .addOption(
    new Option("--rpc-url <url>", "use this Ethereum RPC instead of starting anvil").env("AITOK_RPC_URL"),
  )
  .addOption(
    new Option("--deployment <file>", "deployment file (addresses, start blocks) for --rpc-url").env(
      "AITOK_DEPLOYMENT",
    ),
  )
  .addOption(
    new Option("--postgres-url <url>", "use this PostgreSQL instead of the embedded one").env(
      "AITOK_POSTGRES_URL",
    ),
  )
  .addOption(
    new Option("--ipfs-url <host:port>", "use this IPFS API instead of the local stub").env("AITOK_IPFS"),
  )
  .addOption(new Option("--gnd-bin <path>", "graph-node (gnd) binary to run").env("AITOK_GND_BIN"));
for (const [key, flag] of Object.entries(PORT_OPTIONS) as [keyof StackPorts, string][]) {
  const env = `AITOK_${flag.slice(2).toUpperCase().replaceAll("-", "_")}`;
  program.addOption(
    new Option(`${flag} <port>`, `${key} port`).env(env).argParser(port(flag)).default(DEFAULT_PORTS[key]),
  );
}
program.parse();
const o = program.opts();
if (o.rpcUrl && !o.deployment) {
  console.error(
    "--rpc-url needs --deployment <file>: the addresses and start blocks of the contracts on that chain",
  );
  process.exit(2);
}

const ports = Object.fromEntries(
  (Object.entries(PORT_OPTIONS) as [keyof StackPorts, string][]).map(([k, flag]) => [
    k,
    o[flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] as number,
  ]),
) as unknown as StackPorts;

let stopping: Promise<void> | null = null;
try {
  const stack = await startStack({
    dataDir: o.dataDir,
    fresh: Boolean(o.fresh),
    ports,
    rpcUrl: o.rpcUrl,
    postgresUrl: o.postgresUrl,
    ipfs: o.ipfsUrl,
    deploymentFile: o.deployment,
    gndBin: o.gndBin,
    gateway: o.gateway !== false,
    live: Boolean(o.live),
    secondNetwork: o.secondNetwork !== false,
    simulation: {
      days: o.days,
      seed: o.seed,
      start: o.start,
      horizonSwitchDay: o.horizonDay,
      operators: o.operators,
      stakers: o.stakers,
      payers: o.payers,
    },
  });
  const shutdown = (signal: string) => {
    if (stopping) return;
    process.stderr.write(`\n${signal}: stopping the stack …\n`);
    stopping = stack.stop().then(() => {
      process.stderr.write("stopped.\n");
      process.exit(0);
    });
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGHUP", () => shutdown("SIGHUP"));
  process.stderr.write("Press Ctrl-C to stop.\n");
  await stack.failed.catch(async (e: Error) => {
    await stack.stop();
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  });
} catch (e) {
  const err = e as Error;
  process.stderr.write(`\nnpm start failed: ${err.message}\n`);
  // A StackError says what to do; anything else is a bug worth its stack trace.
  if (!(err instanceof StackError) && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}
