/**
 * Gateway bench: latency and upstream requests per query.
 *   npx tsx bench/gateway.ts                      # against an in-process fake graph-node (3 years of days)
 *   npx tsx bench/gateway.ts --upstream <url> [--protocol livepeer] [--from 2024-01-01] [--to 2024-12-31]
 * Prints one JSON line per scenario: p50/p95/max ms, upstream requests per query, cache hits.
 */
import { parseArgs } from "node:util";
import pino from "pino";
import { startGateway } from "../api/src/server.js";
import { type FakeData, type Row, startFakeGraphNode } from "../api/test/fakeGraphNode.js";

const { values } = parseArgs({
  options: {
    upstream: { type: "string" },
    protocol: { type: "string", default: "livepeer" },
    from: { type: "string", default: "2022-01-01" },
    to: { type: "string", default: "2025-01-01" },
    runs: { type: "string", default: "30" },
  },
});

function synthetic(): FakeData {
  const start = Date.parse("2022-01-01T00:00:00Z") / 1000;
  const days = 3 * 365;
  const token: Row[] = [];
  const fee: Row[] = [];
  const act: Row[] = [];
  for (const protocol of ["livepeer", "thegraph"]) {
    let supply = 10n ** 27n;
    for (let i = 0; i < days; i++) {
      const ts = start + i * 86_400;
      const minted = BigInt(1000 + (i % 17)) * 10n ** 18n;
      supply += minted;
      const row: Row = { id: `${protocol}${i}`, timestamp: String(BigInt(ts) * 1_000_000n), protocol };
      for (const k of [
        "burned",
        "burnedFeeTax",
        "burnedCurationTax",
        "burnedSlashing",
        "burnedBridge",
        "treasuryEmission",
        "stakeInflow",
        "stakeOutflow",
        "slashed",
        "slashedBurned",
        "slashedToFinder",
        "transferVolume",
        "transferCount",
        "operators",
        "stakers",
        "holders",
      ])
        row[k] = "0";
      Object.assign(row, {
        minted: String(minted),
        grossEmission: String(minted),
        totalSupply: String(supply),
        staked: String(supply / 2n),
      });
      token.push(row);
      const asset =
        protocol === "livepeer"
          ? "0x0000000000000000000000000000000000000000"
          : "0x9623063377ad1b27544c965ccd7342f7ea7e88c7";
      fee.push({
        id: `f${protocol}${i}`,
        timestamp: row.timestamp,
        protocol,
        asset,
        fees: String(10n ** 17n),
        supplySideFees: String(10n ** 17n),
        protocolTax: "0",
        curationFees: "0",
        feeEvents: "3",
        depositsFunded: "0",
        cumulativeFees: "0",
      });
      act.push({
        id: `a${protocol}${i}`,
        protocol,
        period: "DAY",
        periodStart: String(ts),
        payers: 3,
        newPayers: 1,
        activeStakers: 2,
      });
    }
  }
  const proto = (id: string, symbol: string, address: string) => ({
    id,
    name: id,
    network: "arbitrum-one",
    schemaVersion: "1.0.0",
    methodologyVersion: "1.0.0",
    token: { id: address, symbol, name: symbol, decimals: 18 },
    totalSupply: "0",
    staked: "0",
    operatorCount: 0,
    stakerCount: 0,
    holderCount: 0,
    cumulativeMinted: "0",
    cumulativeBurned: "0",
    cumulativeGrossEmission: "0",
    currentRound: null,
    horizonActive: null,
  });
  return {
    block: { number: 1, hash: "0x", timestamp: start + days * 86_400 + 3600 },
    protocols: [
      proto("livepeer", "LPT", "0x289ba1701c2f088cf0faf8b3705246331cb8a839"),
      proto("thegraph", "GRT", "0x9623063377ad1b27544c965ccd7342f7ea7e88c7"),
    ],
    tables: {
      "tokenFlowStats_collection:day": token,
      "feeFlowStats_collection:day": fee,
      periodActivities: act,
      "tokenFlowStats_collection:hour": [],
      "feeFlowStats_collection:hour": [],
      operators: [],
      feePayments: [],
    },
  };
}

async function main() {
  const fake = values.upstream ? null : await startFakeGraphNode(synthetic());
  const url = values.upstream ?? fake?.url ?? "";
  const gw = await startGateway({
    port: 0,
    logger: pino({ level: "warn" }),
    upstreams: [{ name: "bench", url, network: "arbitrum-one" }],
    config: { snapshotTtlMs: 0 },
  });
  const protocols = values.upstream ? [values.protocol ?? "livepeer"] : ["livepeer", "thegraph"];
  const scenarios: Record<string, string> = {
    "DAY 6 metrics": `{ series(protocols: ${JSON.stringify(protocols)}, metrics: ["minted","totalSupply","fees","inflationRate","rewardYield","payers"], interval: DAY, from: "${values.from}", to: "${values.to}") { points { value } } }`,
    "WEEK+MONTH": `{ w: series(protocols: ${JSON.stringify(protocols)}, metrics: ["grossEmission","staked"], interval: WEEK, from: "${values.from}", to: "${values.to}") { points { value } } m: series(protocols: ${JSON.stringify(protocols)}, metrics: ["grossEmission"], interval: MONTH, from: "${values.from}", to: "${values.to}") { points { value } } }`,
  };
  const runs = Number(values.runs);
  for (const [name, query] of Object.entries(scenarios)) {
    const times: number[] = [];
    const before = gw.gateway.upstreamRequests();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const res = await fetch(gw.graphqlUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { errors?: unknown[] };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0);
    console.log(
      JSON.stringify({
        scenario: name,
        runs,
        p50ms: q(0.5),
        p95ms: q(0.95),
        maxms: q(1),
        upstreamRequestsPerQuery: (gw.gateway.upstreamRequests() - before) / runs,
        cacheHits: gw.gateway.cache.hits,
      }),
    );
  }
  await gw.stop();
  await fake?.stop();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
