/**
 * `npm start`: the whole local stack. Flags and environment variables (AITOK_*) configure it; --help lists them.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import "./node-version.js"; // first: one clear line on a Node.js too old for what follows
import {
  DEFAULT_PORTS,
  PORT_OPTIONS,
  PORT_PURPOSE,
  StackError,
  type StackHandle,
  type StackPorts,
  startStack,
} from "./stack.js";
import { guardTerminal, say } from "./terminal.js";

guardTerminal();

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
  .addOption(
    new Option(
      "--live",
      "after the history, a block every 3 s on every local network with every protocol's activity (a chain this start seeds: a new data folder, or --fresh)",
    ).env("AITOK_LIVE"),
  )
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
  .addOption(new Option("--gnd-bin <path>", "graph-node (gnd) binary to run").env("AITOK_GND_BIN"))
  .addOption(
    new Option(
      "--expose",
      "serve graph-node's GraphQL ports and the gateway on every network interface (default: 127.0.0.1 only)",
    ).env("AITOK_EXPOSE"),
  )
  .addOption(
    new Option(
      "--expose-admin",
      "also serve graph-node's admin ports (they deploy and remove subgraphs) on every network interface",
    ).env("AITOK_EXPOSE_ADMIN"),
  );
for (const [key, flag] of Object.entries(PORT_OPTIONS) as [keyof StackPorts, string][]) {
  const env = `AITOK_${flag.slice(2).toUpperCase().replaceAll("-", "_")}`;
  program.addOption(
    new Option(`${flag} <port>`, `${PORT_PURPOSE[key]} port`)
      .env(env)
      .argParser(port(flag))
      .default(DEFAULT_PORTS[key]),
  );
}
program.parse();
const o = program.opts();
if (o.rpcUrl && !o.deployment) {
  say("--rpc-url needs --deployment <file>: the addresses and start blocks of the contracts on that chain\n");
  process.exit(2);
}

const ports = Object.fromEntries(
  (Object.entries(PORT_OPTIONS) as [keyof StackPorts, string][]).map(([k, flag]) => [
    k,
    o[flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] as number,
  ]),
) as unknown as StackPorts;

// Signals are handled from the first moment: Ctrl-C during a start stops what was started (startStack's
// `signal`), and a stop never waits on the terminal (terminal.ts).
const abort = new AbortController();
let stack: StackHandle | null = null;
let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping the stack …\n`);
  if (!stack) {
    abort.abort(new StackError(`stopped by ${signal} during the start`));
    return; // startStack stops what it started and rejects: handled below
  }
  void stack.stop().then(() => {
    say("stopped.\n");
    process.exit(0);
  });
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => shutdown(signal));

try {
  stack = await startStack({
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
    signal: abort.signal,
    expose: { query: Boolean(o.expose), admin: Boolean(o.exposeAdmin) },
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
  say("Press Ctrl-C to stop.\n");
  const running = stack;
  await running.failed.catch(async (e: Error) => {
    if (stopping) return; // a stop was asked for: shutdown() exits
    stopping = true;
    await running.stop();
    say(`${e.message}\n`);
    process.exit(1);
  });
} catch (e) {
  const err = e as Error;
  if (abort.signal.aborted) {
    say("stopped.\n");
    process.exit(0);
  }
  say(`\nnpm start failed: ${err.message}\n`);
  // A StackError says what to do; anything else is a bug worth its stack trace.
  if (!(err instanceof StackError) && err.stack) say(`${err.stack}\n`);
  process.exit(1);
}
