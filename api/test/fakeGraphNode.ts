/**
 * A minimal stand-in for graph-node's subgraph GraphQL endpoint, for unit tests: answers the query
 * shapes the gateway sends (aliases, where filters with _gt/_gte/_lt, first, orderBy, block) from
 * in-memory rows, and records every request.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type FieldNode, Kind, type OperationDefinitionNode, parse, valueFromASTUntyped } from "graphql";

export type Row = Record<string, unknown>;

export interface FakeData {
  block: { number: number; hash: string; timestamp: number };
  protocols: Row[];
  /** Rows per collection field name, e.g. tokenFlowStats_collection:day. */
  tables: Record<string, Row[]>;
  /** When true, every data field fails (a GraphQL error) while `_meta` and `protocols` still answer. */
  failData?: boolean;
  /** Milliseconds to wait before answering a data request (not `_meta`): keeps a request in flight. */
  dataDelayMs?: number;
}

export interface FakeGraphNode {
  url: string;
  requests: string[];
  blocksSeen: number[];
  data: FakeData;
  stop(): Promise<void>;
}

function cmp(a: unknown, b: unknown): number {
  const sa = String(a);
  const sb = String(b);
  if (/^-?\d+$/.test(sa) && /^-?\d+$/.test(sb)) {
    const x = BigInt(sa);
    const y = BigInt(sb);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function matches(row: Row, where: Record<string, unknown>): boolean {
  for (const [k, v] of Object.entries(where)) {
    const m = /^(.*?)(_gte|_gt|_lte|_lt|_in)?$/.exec(k);
    const field = m?.[1] ?? k;
    const op = m?.[2];
    let actual = row[field];
    if (op === "_in") {
      if (!(v as unknown[]).some((x) => cmp(actual, x) === 0)) return false;
      continue;
    }
    if (actual && typeof actual === "object" && "id" in (actual as Row)) actual = (actual as Row).id;
    const c = cmp(actual, v);
    if (op === "_gte" && !(c >= 0)) return false;
    if (op === "_gt" && !(c > 0)) return false;
    if (op === "_lte" && !(c <= 0)) return false;
    if (op === "_lt" && !(c < 0)) return false;
    if (!op && c !== 0) return false;
  }
  return true;
}

export async function startFakeGraphNode(data: FakeData): Promise<FakeGraphNode> {
  const requests: string[] = [];
  const blocksSeen: number[] = [];
  const resolveField = (f: FieldNode): unknown => {
    const args: Record<string, unknown> = {};
    for (const a of f.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value);
    if (f.name.value === "_meta")
      return { block: data.block, hasIndexingErrors: false, deployment: "QmFakeDeployment" };
    if (f.name.value === "protocols") return data.protocols;
    const block = (args.block as { number?: number } | undefined)?.number;
    if (block !== undefined) blocksSeen.push(block);
    if (data.failData) throw new Error("store error: the database is unavailable");
    const key = args.interval ? `${f.name.value}:${args.interval}` : f.name.value;
    const table = data.tables[key];
    if (!table) throw new Error(`Type \`Query\` has no field \`${f.name.value}\``);
    const where = (args.where ?? {}) as Record<string, unknown>;
    const orderBy = String(args.orderBy ?? "id");
    const dir = args.orderDirection === "desc" ? -1 : 1;
    const first = Number(args.first ?? 100);
    return table
      .filter((r) => matches(r, where))
      .sort((a, b) => dir * cmp(a[orderBy], b[orderBy]))
      .slice(0, first);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string };
      requests.push(body.query);
      res.setHeader("content-type", "application/json");
      try {
        const doc = parse(body.query);
        const op = doc.definitions.find(
          (d) => d.kind === Kind.OPERATION_DEFINITION,
        ) as OperationDefinitionNode;
        const out: Record<string, unknown> = {};
        let meta = true;
        for (const sel of op.selectionSet.selections) {
          if (sel.kind !== Kind.FIELD) continue;
          if (sel.name.value !== "_meta" && sel.name.value !== "protocols") meta = false;
          out[sel.alias?.value ?? sel.name.value] = resolveField(sel);
        }
        const answer = JSON.stringify({ data: out });
        if (!meta && data.dataDelayMs) setTimeout(() => res.end(answer), data.dataDelayMs);
        else res.end(answer);
      } catch (e) {
        res.end(JSON.stringify({ errors: [{ message: (e as Error).message }] }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/subgraphs/name/ai-tokenomics`,
    requests,
    blocksSeen,
    data,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A free TCP port with nothing listening (an upstream that is down). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
