/**
 * The dashboard's only data source: this gateway's GraphQL API (POST JSON, so repeated loads are answered
 * from its block-keyed response cache) and its /series.csv route. Queries are written with literal
 * arguments, so the text shown under each chart is exactly what was sent and can be pasted elsewhere.
 */

const GRAPHQL = new URL("../graphql", import.meta.url);
const CSV = new URL("../series.csv", import.meta.url);

/** A failed request, with the gateway's error code (extensions.code) or NETWORK / HTTP_<status>. */
export class ApiError extends Error {
  /** @param {string} message @param {string} code */
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/**
 * @param {string} query
 * @returns {Promise<any>} the `data` of the answer
 */
export async function gql(query) {
  let res;
  try {
    res = await fetch(GRAPHQL, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query }),
    });
  } catch (e) {
    throw new ApiError(`could not reach the gateway at ${GRAPHQL.pathname} (${String(e)})`, "NETWORK");
  }
  /** @type {{data?: any, errors?: {message: string, extensions?: Record<string, unknown>}[]}} */
  let body;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`the gateway answered HTTP ${res.status} without JSON`, `HTTP_${res.status}`);
  }
  const first = body.errors?.[0];
  if (first) {
    const code = String(first.extensions?.code ?? `HTTP_${res.status}`);
    const arg = first.extensions?.argument ? ` (argument ${first.extensions.argument})` : "";
    const retry = res.headers.get("retry-after");
    const more = body.errors && body.errors.length > 1 ? ` (+${body.errors.length - 1} more)` : "";
    throw new ApiError(
      `${code}${arg}: ${first.message}${more}${retry ? `; retry after ${retry} s` : ""}`,
      code,
    );
  }
  if (!res.ok || !body.data)
    throw new ApiError(`the gateway answered HTTP ${res.status}`, `HTTP_${res.status}`);
  return body.data;
}

/** GraphQL literals: the Interval enum bare, strings, numbers, booleans and lists as JSON. */
const lit = (/** @type {string} */ k, /** @type {unknown} */ v) =>
  k === "interval" && typeof v === "string" && /^[A-Z]+$/.test(v) ? v : JSON.stringify(v);

/** @param {string} field @param {Record<string, unknown>} args @param {string} selection */
function call(field, args, selection) {
  const list = Object.entries(args)
    .map(([k, v]) => `${k}: ${lit(k, v)}`)
    .join(", ");
  return `{\n  ${field}(${list}) {\n    ${selection}\n  }\n}`;
}

const POINTS = "points { timestamp date value partial note }";

/** @typedef {{name: string, description: string, group: string, unit: string, kind: string, intervals: string[]}} MetricInfo */
/** @typedef {{id: string, name: string, network: string, block: {number: number, timestamp: number, iso: string}, token: {symbol: string}, feeAsset: {symbol: string}}} ProtocolInfo */

export const PROTOCOLS_QUERY = `{
  protocols { id name network upstream block { number timestamp iso } token { symbol } feeAsset { symbol } }
}`;

export const METRICS_QUERY = "{\n  metrics { name description group unit kind intervals }\n}";

/**
 * @param {{protocols: string[], metrics: string[], interval: string, from: string, to: string}} a
 */
export const seriesQuery = (a) =>
  call(
    "series",
    { ...a, allowStale: true },
    `protocol metric interval unit { kind symbol decimals } applicable stale block { number iso }\n    ${POINTS}`,
  );

/** @param {{protocols: string[], metric: string, interval: string, from: string, to: string}} a */
export const compareQuery = (a) =>
  call(
    "compare",
    { ...a, allowStale: true },
    "metric interval stale\n    series { protocol unit { kind symbol decimals } applicable stale block { number iso } " +
      `${POINTS} }\n    window { protocol value unit { kind symbol } note }`,
  );

/** @param {string} protocol @param {number} window */
export const scorecardQuery = (protocol, window) =>
  call(
    "scorecard",
    { protocol, window, allowStale: true },
    "protocol windowDays from to stale block { number iso }\n    " +
      "lines { category metric value unit { kind symbol } windowDays finding note }",
  );

/**
 * The /series.csv link of one metric (the route takes one metric per request).
 * @param {{protocols: string[], metric: string, interval: string, from: string, to: string}} a
 */
export function csvUrl(a) {
  const u = new URL(CSV);
  u.search = new URLSearchParams({
    protocol: a.protocols.join(","),
    metric: a.metric,
    interval: a.interval,
    from: a.from,
    to: a.to,
  }).toString();
  return u.pathname + u.search;
}
