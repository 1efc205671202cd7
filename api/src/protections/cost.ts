/**
 * Cost before work: an estimate of what a request will compute, from its arguments alone (no upstream
 * read). cost = points + upstream rows, where points = protocols × metrics × periods of every series (plus
 * one value per line or window value) and rows are the graph-node rows its reads return at most (one per
 * bucket; distinct payers and operators, whose number only the upstream knows, count ENTITY_ROWS).
 * A request over the gateway's limit is refused with BAD_USER_INPUT before anything runs.
 */
import {
  buildSchema,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getArgumentValues,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { typeDefs } from "../graphql/schema.js";
import { MAX_SCORECARD_WINDOW } from "../scorecard/scorecard.js";
import { type SeriesRequest, validateSeriesArgs } from "../series/request.js";
import { baseInterval, DAY, HOUR, type Interval, nextPeriod, periodStart } from "../series/rollup.js";

/** Rows assumed for a read whose size only the upstream knows (distinct payers, operators): one page. */
export const ENTITY_ROWS = 1000;
/** Cost of a root field that reads little or nothing (protocols, metrics, status, introspection). */
export const BASE_COST = 1;
/** Lines of a scorecard (values computed). */
const SCORECARD_LINES = 16;

export interface FieldCost {
  /** Response key (alias or field name). */
  field: string;
  points: number;
  rows: number;
  cost: number;
  /** How the points were counted, for the error message: "2 protocols × 44 metrics × 3,620 DAY periods". */
  detail: string | null;
}

export interface OperationCost {
  total: number;
  fields: FieldCost[];
}

const fmt = (n: number) => n.toLocaleString("en-US");

/** Number of periods of the interval starting in [start, end); start is a period start. */
export function countPeriods(interval: Interval, start: number, end: number): number {
  if (end <= start) return 0;
  switch (interval) {
    case "HOUR":
      return Math.ceil((end - start) / HOUR);
    case "DAY":
      return Math.ceil((end - start) / DAY);
    case "WEEK":
      return Math.ceil((end - start) / (7 * DAY));
    case "MONTH": {
      const a = new Date(start * 1000);
      const b = new Date(end * 1000);
      const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
      // end inside a month: that month has started before end
      return months + (periodStart(end, "MONTH") < end ? 1 : 0);
    }
  }
}

/**
 * The cost of series (or compare, `window: true`) arguments. `horizon`: no bucket starts at or after it (the
 * newest block the gateway holds, or now). Invalid arguments cost nothing here: the resolver refuses them.
 */
export function seriesCost(
  field: string,
  req: SeriesRequest,
  horizon: number,
  opts: { window?: boolean } = {},
): FieldCost {
  let args: ReturnType<typeof validateSeriesArgs>;
  try {
    args = validateSeriesArgs(req, opts.window ? "metric" : "metrics");
  } catch {
    return { field, points: 0, rows: 0, cost: BASE_COST, detail: null };
  }
  const { metrics, from, to } = args;
  const base = baseInterval(req.interval);
  const start = periodStart(from, req.interval);
  // As the gateway reads: up to the bucket still open at the block (horizon), not past the window's end.
  const end = Math.min(
    nextPeriod(periodStart(to - 1, req.interval), req.interval),
    periodStart(horizon, base),
  );
  const periods = countPeriods(req.interval, start, end);
  const buckets = countPeriods(base, start, Math.max(start, end));
  const sources = new Set(metrics.flatMap((m) => m.sources));
  const protocols = req.protocols.length;
  let rowsPerProtocol = 0;
  if (sources.has("token")) rowsPerProtocol += buckets + 1;
  if (sources.has("fee")) rowsPerProtocol += buckets;
  if (sources.has("activity") && req.interval !== "HOUR") rowsPerProtocol += periods;
  if (sources.has("price")) rowsPerProtocol += 2 * (buckets + 1) + 1;
  let points = protocols * metrics.length * periods;
  if (opts.window) {
    points += protocols;
    if (metrics.some((m) => m.name === "payers" || m.name === "feePerPayer")) rowsPerProtocol += ENTITY_ROWS;
  }
  const rows = protocols * rowsPerProtocol;
  return {
    field,
    points,
    rows,
    cost: Math.max(BASE_COST, points + rows),
    detail: `${protocols} protocol${protocols === 1 ? "" : "s"} × ${metrics.length} metric${metrics.length === 1 ? "" : "s"} × ${fmt(periods)} ${req.interval} periods`,
  };
}

/** The cost of a scorecard: 2 × max(2 × window, 180) days of buckets, payers and operators. */
export function scorecardCost(field: string, windowDays: number): FieldCost {
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > MAX_SCORECARD_WINDOW)
    return { field, points: 0, rows: 0, cost: BASE_COST, detail: null };
  const span = Math.max(2 * windowDays, 180);
  const rows = 2 * span + 1 + 2 * ENTITY_ROWS;
  return { field, points: SCORECARD_LINES, rows, cost: rows + SCORECARD_LINES, detail: null };
}

let schema: GraphQLSchema | null = null;
/** The gateway's schema without resolvers: enough to coerce arguments and variables. */
function costSchema(): GraphQLSchema {
  schema ??= buildSchema(typeDefs);
  return schema;
}

function pickOperation(doc: DocumentNode, name: string | null | undefined): OperationDefinitionNode | null {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (name) return ops.find((o) => o.name?.value === name) ?? null;
  return ops.length === 1 ? (ops[0] ?? null) : null;
}

/** Root fields of a selection set, through inline fragments and fragment spreads (each fragment once). */
function rootFields(set: SelectionSetNode, doc: DocumentNode, seen = new Set<string>()): FieldNode[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, doc, seen);
    if (seen.has(s.name.value)) return [];
    seen.add(s.name.value);
    const frag = doc.definitions.find(
      (d): d is FragmentDefinitionNode =>
        d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value,
    );
    return frag ? rootFields(frag.selectionSet, doc, seen) : [];
  });
}

/**
 * The estimated cost of the operation a request runs, or null when it cannot be told (no such operation,
 * not a query, variables that do not coerce): GraphQL execution then refuses the request on its own, cheaply.
 * Fields under @skip/@include are counted: an estimate errs on the high side.
 */
export function operationCost(
  doc: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  horizon: number,
): OperationCost | null {
  const op = pickOperation(doc, operationName);
  if (op?.operation !== "query") return null;
  const s = costSchema();
  const coerced = getVariableValues(s, op.variableDefinitions ?? [], variables ?? {});
  if (coerced.errors) return null;
  const queryType = s.getQueryType();
  const fields: FieldCost[] = [];
  for (const node of rootFields(op.selectionSet, doc)) {
    const key = node.alias?.value ?? node.name.value;
    const def = queryType?.getFields()[node.name.value];
    if (!def) {
      fields.push({ field: key, points: 0, rows: 0, cost: BASE_COST, detail: null });
      continue;
    }
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(def, node, coerced.coerced);
    } catch {
      return null;
    }
    if (node.name.value === "series") fields.push(seriesCost(key, args as unknown as SeriesRequest, horizon));
    else if (node.name.value === "compare")
      fields.push(
        seriesCost(key, { ...(args as unknown as SeriesRequest), metrics: [String(args.metric)] }, horizon, {
          window: true,
        }),
      );
    else if (node.name.value === "scorecard") fields.push(scorecardCost(key, Number(args.window)));
    else fields.push({ field: key, points: 0, rows: 0, cost: BASE_COST, detail: null });
  }
  return { total: fields.reduce((a, f) => a + f.cost, 0), fields };
}

/** BAD_USER_INPUT for a request over the cost limit: its cost, the limit, where the cost comes from, how to split. */
export function overBudget(cost: OperationCost, limit: number): GraphQLError {
  const parts = [...cost.fields]
    .sort((a, b) => b.cost - a.cost)
    .filter((f) => f.cost > BASE_COST)
    .slice(0, 3)
    .map(
      (f) =>
        `${f.field}: ${fmt(f.cost)} (${f.detail ? `${f.detail} = ${fmt(f.points)} points` : `${fmt(f.points)} points`} + ${fmt(f.rows)} upstream rows)`,
    );
  return new GraphQLError(
    `query cost ${fmt(cost.total)} exceeds the limit of ${fmt(limit)} per request` +
      `${parts.length ? ` [${parts.join("; ")}]` : ""}. ` +
      "Split it into several requests of at most the limit each: fewer metrics or protocols per request, " +
      "or a shorter window (from/to), or a longer interval (WEEK or MONTH instead of DAY). " +
      "cost = points (protocols × metrics × periods) + upstream rows; see docs/api.md.",
    { extensions: { code: "BAD_USER_INPUT", cost: cost.total, limit } },
  );
}
