/**
 * Per-request DataLoaders, one per upstream and pinned block. Every data need of one tick (all protocols,
 * metrics and intervals a query asks for) goes upstream as ONE aliased GraphQL request; further pages of
 * the needs that filled a page are fetched together in the next request (cursor pagination with
 * `timestamp_gt` / `periodStart_gt` / `id_gt` and `first: 1000`, never `skip`). Identical needs are
 * de-duplicated by the loader and results are kept in the shared block-keyed LRU.
 */
import DataLoader from "dataloader";
import { GraphQLError } from "graphql";
import { FEE_FIELDS as FEE_FIELD_NAMES, FEE_STOCK_FIELDS, FLOW_FIELDS, STOCK_FIELDS } from "../fields.js";
import { ResultCache } from "./cache.js";
import type { UpstreamClient } from "./client.js";

export const PAGE_SIZE = 1000;
/** Upper bound on pages per need (distinct payers over long windows): 100k rows. */
export const MAX_PAGES = 100;

export type AggInterval = "hour" | "day";
export type ActivityPeriod = "DAY" | "WEEK" | "MONTH";

/** One data need. Times are seconds; ranges are [from, to). */
export type Need =
  | { kind: "tokenFlows"; protocol: string; interval: AggInterval; from: number; to: number }
  | { kind: "tokenPrev"; protocol: string; interval: AggInterval; before: number }
  /** A protocol's first bucket: of its token data (asset null) or of one fee asset's (series/firstData.ts). */
  | { kind: "firstBucket"; protocol: string; interval: AggInterval; asset: string | null }
  | { kind: "feeFlows"; protocol: string; interval: AggInterval; asset: string; from: number; to: number }
  | { kind: "activity"; protocol: string; period: ActivityPeriod; from: number; to: number }
  | { kind: "operators"; protocol: string }
  | { kind: "payers"; protocol: string; from: number; to: number }
  | { kind: "prices"; asset: string; interval: AggInterval; from: number; to: number }
  | { kind: "pricePrev"; asset: string; interval: AggInterval; before: number }
  | { kind: "assetPrices"; assets: string[] };

export type Row = Record<string, unknown>;

const TOKEN_FIELDS = ["id", "timestamp", ...FLOW_FIELDS, ...STOCK_FIELDS].join(" ");
const FEE_FIELDS = ["id", "timestamp", "asset", ...FEE_FIELD_NAMES, ...FEE_STOCK_FIELDS].join(" ");

const micros = (seconds: number) => `"${BigInt(seconds) * 1_000_000n}"`;
const str = (s: string) => JSON.stringify(s);

interface PageSpec {
  /** Field with its arguments, given the cursor of the previous page (null for the first page). */
  field(cursor: string | null, block: number): string;
  selection: string;
  /** Cursor value of a row (null = single page, no pagination). */
  cursor: ((row: Row) => string) | null;
}

function aggArgs(interval: AggInterval, where: string[], block: number, first: number, dir = "asc"): string {
  return `(interval: ${interval}, where: {${where.join(", ")}}, first: ${first}, orderBy: timestamp, orderDirection: ${dir}, block: {number: ${block}})`;
}

/** Canonical string of a need (loader and cache key). */
export function needKey(n: Need): string {
  switch (n.kind) {
    case "tokenFlows":
      return `tokenFlows|${n.protocol}|${n.interval}|${n.from}|${n.to}`;
    case "tokenPrev":
      return `tokenPrev|${n.protocol}|${n.interval}|${n.before}`;
    case "firstBucket":
      return `firstBucket|${n.protocol}|${n.interval}|${n.asset?.toLowerCase() ?? "token"}`;
    case "feeFlows":
      return `feeFlows|${n.protocol}|${n.interval}|${n.asset.toLowerCase()}|${n.from}|${n.to}`;
    case "activity":
      return `activity|${n.protocol}|${n.period}|${n.from}|${n.to}`;
    case "operators":
      return `operators|${n.protocol}`;
    case "payers":
      return `payers|${n.protocol}|${n.from}|${n.to}`;
    case "prices":
      return `prices|${n.asset.toLowerCase()}|${n.interval}|${n.from}|${n.to}`;
    case "pricePrev":
      return `pricePrev|${n.asset.toLowerCase()}|${n.interval}|${n.before}`;
    case "assetPrices":
      return `assetPrices|${n.assets.map((a) => a.toLowerCase()).join(",")}`;
  }
}

export function pageSpec(n: Need): PageSpec {
  switch (n.kind) {
    case "tokenFlows":
      return {
        selection: TOKEN_FIELDS,
        cursor: (r) => String(r.timestamp),
        field: (c, b) => {
          const where = [
            `protocol: ${str(n.protocol)}`,
            `timestamp_gte: ${micros(n.from)}`,
            `timestamp_lt: ${micros(n.to)}`,
          ];
          if (c) where.push(`timestamp_gt: ${str(c)}`);
          return `tokenFlowStats_collection${aggArgs(n.interval, where, b, PAGE_SIZE)}`;
        },
      };
    case "tokenPrev":
      return {
        selection: TOKEN_FIELDS,
        cursor: null,
        field: (_c, b) =>
          `tokenFlowStats_collection${aggArgs(n.interval, [`protocol: ${str(n.protocol)}`, `timestamp_lt: ${micros(n.before)}`], b, 1, "desc")}`,
      };
    case "firstBucket": {
      const where = [`protocol: ${str(n.protocol)}`];
      if (n.asset !== null) where.push(`asset: ${str(n.asset.toLowerCase())}`);
      const collection = n.asset === null ? "tokenFlowStats_collection" : "feeFlowStats_collection";
      return {
        selection: "id timestamp",
        cursor: null,
        field: (_c, b) => `${collection}${aggArgs(n.interval, where, b, 1)}`,
      };
    }
    case "feeFlows":
      return {
        selection: FEE_FIELDS,
        cursor: (r) => String(r.timestamp),
        field: (c, b) => {
          const where = [
            `protocol: ${str(n.protocol)}`,
            `asset: ${str(n.asset.toLowerCase())}`,
            `timestamp_gte: ${micros(n.from)}`,
            `timestamp_lt: ${micros(n.to)}`,
          ];
          if (c) where.push(`timestamp_gt: ${str(c)}`);
          return `feeFlowStats_collection${aggArgs(n.interval, where, b, PAGE_SIZE)}`;
        },
      };
    case "activity":
      return {
        selection: "id period periodStart payers newPayers activeStakers",
        cursor: (r) => String(r.periodStart),
        field: (c, b) => {
          const where = [
            `protocol: ${str(n.protocol)}`,
            `period: ${str(n.period)}`,
            `periodStart_gte: "${n.from}"`,
            `periodStart_lt: "${n.to}"`,
          ];
          if (c) where.push(`periodStart_gt: ${str(c)}`);
          return `periodActivities(where: {${where.join(", ")}}, first: ${PAGE_SIZE}, orderBy: periodStart, orderDirection: asc, block: {number: ${b}})`;
        },
      };
    case "operators":
      return {
        selection: "id address totalStake selfStake delegatedStake",
        cursor: (r) => String(r.id),
        field: (c, b) => {
          const where = [`protocol: ${str(n.protocol)}`, `totalStake_gt: "0"`];
          if (c) where.push(`id_gt: ${str(c)}`);
          return `operators(where: {${where.join(", ")}}, first: ${PAGE_SIZE}, orderBy: id, orderDirection: asc, block: {number: ${b}})`;
        },
      };
    case "payers":
      return {
        selection: "id payer",
        cursor: (r) => String(r.id),
        field: (c, b) => {
          const where = [
            `protocol: ${str(n.protocol)}`,
            "isFee: true",
            `timestamp_gte: "${n.from}"`,
            `timestamp_lt: "${n.to}"`,
          ];
          if (c) where.push(`id_gt: ${str(c)}`);
          return `feePayments(where: {${where.join(", ")}}, first: ${PAGE_SIZE}, orderBy: id, orderDirection: asc, block: {number: ${b}})`;
        },
      };
    case "prices":
      return {
        selection: "id timestamp close",
        cursor: (r) => String(r.timestamp),
        field: (c, b) => {
          const where = [
            `asset: ${str(n.asset.toLowerCase())}`,
            `timestamp_gte: ${micros(n.from)}`,
            `timestamp_lt: ${micros(n.to)}`,
          ];
          if (c) where.push(`timestamp_gt: ${str(c)}`);
          return `priceStats_collection${aggArgs(n.interval, where, b, PAGE_SIZE)}`;
        },
      };
    case "pricePrev":
      return {
        selection: "id timestamp close",
        cursor: null,
        field: (_c, b) =>
          `priceStats_collection${aggArgs(n.interval, [`asset: ${str(n.asset.toLowerCase())}`, `timestamp_lt: ${micros(n.before)}`], b, 1, "desc")}`,
      };
    case "assetPrices":
      return {
        selection: "id sourceName maxAge",
        cursor: null,
        field: (_c, b) =>
          `assetPrices(where: {id_in: [${n.assets.map((a) => str(a.toLowerCase())).join(", ")}]}, first: ${PAGE_SIZE}, block: {number: ${b}})`,
      };
  }
}

/** Fetches all pages of many needs at one block, one upstream request per page round. */
export async function fetchNeeds(
  client: UpstreamClient,
  block: number,
  needs: readonly Need[],
): Promise<Row[][]> {
  const state = needs.map((n) => ({
    spec: pageSpec(n),
    rows: [] as Row[],
    cursor: null as string | null,
    done: false,
    pages: 0,
  }));
  for (;;) {
    const open = state.map((s, i) => ({ s, i })).filter(({ s }) => !s.done);
    if (open.length === 0) break;
    const body = open
      .map(({ s, i }) => `  n${i}: ${s.spec.field(s.cursor, block)} { ${s.spec.selection} }`)
      .join("\n");
    const data = await client.query<Record<string, Row[]>>(`query GatewayData {\n${body}\n}`);
    for (const { s, i } of open) {
      const page = data[`n${i}`] ?? [];
      s.rows.push(...page);
      s.pages += 1;
      if (!s.spec.cursor || page.length < PAGE_SIZE) {
        s.done = true;
      } else if (s.pages >= MAX_PAGES) {
        throw new GraphQLError(
          `upstream ${client.name}: more than ${MAX_PAGES * PAGE_SIZE} rows for one need; narrow the window`,
          {
            extensions: { code: "WINDOW_TOO_LARGE", upstream: client.name },
          },
        );
      } else {
        const last = page[page.length - 1];
        s.cursor = last ? s.spec.cursor(last) : null;
      }
    }
  }
  return state.map((s) => s.rows);
}

/** A DataLoader over needs for one upstream at one block, backed by the shared cache. */
export function createNeedLoader(
  client: UpstreamClient,
  block: number,
  cache: ResultCache,
): DataLoader<Need, Row[], string> {
  return new DataLoader<Need, Row[], string>(
    async (needs) => {
      const keys = needs.map((n) => ResultCache.key(client.name, block, needKey(n)));
      const out: (Row[] | undefined)[] = keys.map((k) => cache.get(k) as Row[] | undefined);
      const missing = needs.map((n, i) => ({ n, i })).filter(({ i }) => out[i] === undefined);
      if (missing.length > 0) {
        const rows = await fetchNeeds(
          client,
          block,
          missing.map((m) => m.n),
        );
        missing.forEach(({ i }, j) => {
          const r = rows[j] ?? [];
          out[i] = r;
          const key = keys[i];
          if (key) cache.set(key, r);
        });
      }
      return out.map((r) => r ?? []);
    },
    {
      cacheKeyFn: needKey,
      // Collect every need of the current macrotask (resolvers resume at different microtask depths).
      batchScheduleFn: (cb) => setImmediate(cb),
      maxBatchSize: 200,
    },
  );
}
