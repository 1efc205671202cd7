/**
 * Direct graph-node reads for the baselines: the query shapes docs/api.md documents for the gateway
 * (aliased fields in one request, `first: 1000`, cursor pagination, `block: {number}`), written out here
 * independently of api/src so the baseline does not share the gateway's code.
 */

import {
  FEE_FIELDS as FEE_FIELD_NAMES,
  FEE_STOCK_FIELDS,
  FLOW_FIELDS,
  STOCK_FIELDS,
} from "../../api/src/fields.js";

export const PAGE = 1000;
export const DAY = 86_400;

export type Row = Record<string, unknown>;

/** One top-level field of a direct query; `cursor` names the field paged on (null: a single page). */
export interface Field {
  alias: string;
  /** The field with its arguments, given the cursor of the previous page (null for the first page). */
  text(cursor: string | null): string;
  selection: string;
  cursor: string | null;
}

export interface DirectResult {
  rows: Record<string, Row[]>;
  requests: number;
}

export async function postGraphQL<T>(url: string, query: string): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (!res.ok || body.errors?.length || !body.data)
    throw new Error(
      `${url}: HTTP ${res.status} ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`,
    );
  return body.data;
}

/** Fetches every page of every field, all open fields of a round in one aliased request (as the gateway batches). */
export async function fetchAll(url: string, fields: readonly Field[]): Promise<DirectResult> {
  const state = fields.map((f) => ({ f, rows: [] as Row[], cursor: null as string | null, done: false }));
  let requests = 0;
  for (;;) {
    const open = state.filter((s) => !s.done);
    if (open.length === 0) break;
    const body = open.map((s) => `  ${s.f.alias}: ${s.f.text(s.cursor)} { ${s.f.selection} }`).join("\n");
    const data = await postGraphQL<Record<string, Row[]>>(url, `query Direct {\n${body}\n}`);
    requests += 1;
    for (const s of open) {
      const page = data[s.f.alias] ?? [];
      s.rows.push(...page);
      const last = page[page.length - 1];
      if (!s.f.cursor || page.length < PAGE || !last) s.done = true;
      else s.cursor = String(last[s.f.cursor]);
    }
  }
  return { rows: Object.fromEntries(state.map((s) => [s.f.alias, s.rows])), requests };
}

const q = (s: string) => JSON.stringify(s);
const micros = (seconds: number) => q(String(BigInt(seconds) * 1_000_000n));

// the columns the gateway reads (api/src/upstream/loaders.ts builds its selections from the same lists)
const TOKEN_FIELDS = ["id", "timestamp", ...FLOW_FIELDS, ...STOCK_FIELDS].join(" ");
const FEE_FIELDS = ["id", "timestamp", "asset", ...FEE_FIELD_NAMES, ...FEE_STOCK_FIELDS].join(" ");

/** Daily price buckets of an asset over [from, to), the last one before, and its AssetPrice row (as the gateway). */
export function priceDays(alias: string, asset: string, from: number, to: number, block: number): Field[] {
  const a = q(asset.toLowerCase());
  return [
    {
      alias,
      selection: "id timestamp close",
      cursor: "timestamp",
      text: (c) =>
        `priceStats_collection(interval: day, where: {asset: ${a}, timestamp_gte: ${micros(from)}, timestamp_lt: ${micros(to)}${c ? `, timestamp_gt: ${q(c)}` : ""}}, first: ${PAGE}, orderBy: timestamp, orderDirection: asc, block: {number: ${block}})`,
    },
    {
      alias: `${alias}_prev`,
      selection: "id timestamp close",
      cursor: null,
      text: () =>
        `priceStats_collection(interval: day, where: {asset: ${a}, timestamp_lt: ${micros(from)}}, first: 1, orderBy: timestamp, orderDirection: desc, block: {number: ${block}})`,
    },
    {
      alias: `${alias}_info`,
      selection: "id sourceName maxAge",
      cursor: null,
      text: () => `assetPrices(where: {id_in: [${a}]}, first: ${PAGE}, block: {number: ${block}})`,
    },
  ];
}

/** Daily token buckets of [from, to) plus the last bucket before `from` (the start stocks). */
export function tokenDays(alias: string, protocol: string, from: number, to: number, block: number): Field[] {
  return [
    {
      alias,
      selection: TOKEN_FIELDS,
      cursor: "timestamp",
      text: (c) =>
        `tokenFlowStats_collection(interval: day, where: {protocol: ${q(protocol)}, timestamp_gte: ${micros(from)}, timestamp_lt: ${micros(to)}${c ? `, timestamp_gt: ${q(c)}` : ""}}, first: ${PAGE}, orderBy: timestamp, orderDirection: asc, block: {number: ${block}})`,
    },
    {
      alias: `${alias}_prev`,
      selection: TOKEN_FIELDS,
      cursor: null,
      text: () =>
        `tokenFlowStats_collection(interval: day, where: {protocol: ${q(protocol)}, timestamp_lt: ${micros(from)}}, first: 1, orderBy: timestamp, orderDirection: desc, block: {number: ${block}})`,
    },
  ];
}

/** Daily fee buckets of one protocol in its fee asset. */
export function feeDays(
  alias: string,
  protocol: string,
  asset: string,
  from: number,
  to: number,
  block: number,
): Field {
  return {
    alias,
    selection: FEE_FIELDS,
    cursor: "timestamp",
    text: (c) =>
      `feeFlowStats_collection(interval: day, where: {protocol: ${q(protocol)}, asset: ${q(asset.toLowerCase())}, timestamp_gte: ${micros(from)}, timestamp_lt: ${micros(to)}${c ? `, timestamp_gt: ${q(c)}` : ""}}, first: ${PAGE}, orderBy: timestamp, orderDirection: asc, block: {number: ${block}})`,
  };
}

/** Exact daily distinct counts (periodActivities, period DAY). */
export function activityDays(
  alias: string,
  protocol: string,
  from: number,
  to: number,
  block: number,
): Field {
  return {
    alias,
    selection: "id period periodStart payers newPayers activeStakers",
    cursor: "periodStart",
    text: (c) =>
      `periodActivities(where: {protocol: ${q(protocol)}, period: "DAY", periodStart_gte: "${from}", periodStart_lt: "${to}"${c ? `, periodStart_gt: ${q(c)}` : ""}}, first: ${PAGE}, orderBy: periodStart, orderDirection: asc, block: {number: ${block}})`,
  };
}

/** Fee payers of [from, to) (distinct payers are counted client-side). */
export function payers(alias: string, protocol: string, from: number, to: number, block: number): Field {
  return {
    alias,
    selection: "id payer",
    cursor: "id",
    text: (c) =>
      `feePayments(where: {protocol: ${q(protocol)}, isFee: true, timestamp_gte: "${from}", timestamp_lt: "${to}"${c ? `, id_gt: ${q(c)}` : ""}}, first: ${PAGE}, orderBy: id, orderDirection: asc, block: {number: ${block}})`,
  };
}

/** Operators with stake (for the decentralisation lines). */
export function operators(alias: string, protocol: string, block: number): Field {
  return {
    alias,
    selection: "id address totalStake selfStake delegatedStake",
    cursor: "id",
    text: (c) =>
      `operators(where: {protocol: ${q(protocol)}, totalStake_gt: "0"${c ? `, id_gt: ${q(c)}` : ""}}, first: ${PAGE}, orderBy: id, orderDirection: asc, block: {number: ${block}})`,
  };
}

/**
 * What a notebook user does without the gateway: page every raw fee payment of a protocol (no
 * aggregations, no block pinning) and sum the amounts per UTC day in BigInt.
 */
export async function notebookDailyFees(
  url: string,
  protocol: string,
  from: number,
): Promise<{ perDay: Map<number, bigint>; rows: number; requests: number }> {
  const perDay = new Map<number, bigint>();
  let cursor: string | null = null;
  let rows = 0;
  let requests = 0;
  for (;;) {
    const where = `protocol: ${q(protocol)}, isFee: true, timestamp_gte: "${from}"${cursor ? `, id_gt: ${q(cursor)}` : ""}`;
    const data: { feePayments: { id: string; amount: string; timestamp: string }[] } = await postGraphQL(
      url,
      `{ feePayments(where: {${where}}, first: ${PAGE}, orderBy: id, orderDirection: asc) { id amount timestamp } }`,
    );
    requests += 1;
    const page = data.feePayments;
    for (const p of page) {
      const day = Math.floor(Number(p.timestamp) / DAY) * DAY;
      perDay.set(day, (perDay.get(day) ?? 0n) + BigInt(p.amount));
    }
    rows += page.length;
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) break;
    cursor = last.id;
  }
  return { perDay, rows, requests };
}
