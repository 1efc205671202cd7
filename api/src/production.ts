/**
 * Imported first by the programs that run the gateway (api/src/main.ts, the stack supervisor, the gateway
 * bench), before anything loads graphql. graphql-js decides once, at load time and from NODE_ENV, whether
 * each of its type checks (`instanceOf`, called for every resolved value) also looks for a second copy of
 * graphql in the process: a development aid that took 4.3 → 1.6 ms of graphql-js CPU per cold 1,825-point
 * series (CPU profile of 200 cold queries, docs/bench.md). A NODE_ENV the user set wins; the tests run with
 * vitest's NODE_ENV=test and keep the check. The server does not depend on it otherwise: introspection, stack
 * traces and the landing page are configured explicitly (graphql/apollo.ts).
 */
process.env.NODE_ENV ??= "production";
