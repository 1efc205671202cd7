/**
 * The stack for tests: free ports, a temporary data folder, no gateway unless asked, quiet output.
 * Tests never collide with a running `npm start` on the default ports.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";
import {
  removeDataFolder,
  type StackHandle,
  type StackPorts,
  startStack as startFullStack,
} from "./stack.js";

export interface TestStackOptions {
  days?: number;
  seed?: number;
  /** Unix seconds at 00:00 UTC; default 2025-01-06 (a Monday). */
  start?: number;
  horizonSwitchDay?: number;
  gateway?: boolean;
  dataDir?: string;
  /** Keep the data folder after stop (for restart tests). */
  keepData?: boolean;
  /**
   * The second local network (npm start runs it; tests opt in: tests/networks.e2e.test.ts does, the others save a
   * second chain, graph-node and history on two cores).
   */
  secondNetwork?: boolean;
  /** After the history, keep producing blocks in wall-clock time on every network (npm start --live). */
  live?: boolean;
}

export interface TestStack extends StackHandle {
  ports: StackPorts;
  /** Ground truth per network ("local", and "local-b" when a protocol has a part there). */
  groundTruthPaths: Record<string, string>;
  /** The subgraph's GraphQL URL per network (only networks with something to index). */
  graphqlUrls: Record<string, string>;
}

export async function testPorts(): Promise<StackPorts> {
  const ports: number[] = [];
  while (ports.length < 13) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const [postgres, anvil, ipfs, graphHttp, graphAdmin, graphIndex, graphMetrics, gateway, ...b] = ports;
  const [anvil2, graph2Http, graph2Admin, graph2Index, graph2Metrics] = b as [
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    postgres: postgres as number,
    anvil: anvil as number,
    ipfs: ipfs as number,
    graphHttp: graphHttp as number,
    graphAdmin: graphAdmin as number,
    graphIndex: graphIndex as number,
    graphMetrics: graphMetrics as number,
    gateway: gateway as number,
    anvil2,
    graph2Http,
    graph2Admin,
    graph2Index,
    graph2Metrics,
  };
}

export async function startStack(opts: TestStackOptions = {}): Promise<TestStack> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), "aitok-test-"));
  const ports = await testPorts();
  let handle: StackHandle;
  try {
    handle = await startFullStack({
      dataDir,
      ports,
      gateway: opts.gateway ?? false,
      secondNetwork: opts.secondNetwork ?? false,
      live: opts.live ?? false,
      quiet: !process.env.AITOK_TEST_VERBOSE,
      simulation: {
        days: opts.days ?? 21,
        seed: opts.seed ?? 7,
        start: opts.start ?? Date.UTC(2025, 0, 6) / 1000,
        horizonSwitchDay: opts.horizonSwitchDay,
      },
    });
  } catch (e) {
    // startFullStack has stopped what it started; its folder stays for the logs, and the error says where.
    if (e instanceof Error && !e.message.includes(dataDir))
      e.message += ` (data folder and logs kept: ${dataDir})`;
    throw e;
  }
  const nets = Object.values(handle.networks);
  return {
    ...handle,
    ports,
    groundTruthPaths: Object.fromEntries(
      nets.flatMap((n) => (n.groundTruthPath ? [[n.network, n.groundTruthPath]] : [])),
    ),
    graphqlUrls: Object.fromEntries(nets.flatMap((n) => (n.graphqlUrl ? [[n.network, n.graphqlUrl]] : []))),
    stop: async () => {
      await handle.stop();
      if (!opts.keepData && !opts.dataDir) removeDataFolder(dataDir);
    },
  };
}

/** POST a GraphQL query; throws with the errors if any. */
export async function gql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length)
    throw new Error(`GraphQL errors from ${url}: ${body.errors.map((e) => e.message).join("; ")}`);
  return body.data as T;
}
