/** Hand-made subgraph data for the gateway tests (see server.test.ts for the expected values). */

import { loadProtocolSpecs, type ProtocolSpec } from "../../subgraph/scripts/datasources.js";
import { FEE_FIELDS, FEE_STOCK_FIELDS, FLOW_FIELDS, STOCK_FIELDS } from "../src/fields.js";
import type { FakeData, Row } from "./fakeGraphNode.js";

export const E18 = 10n ** 18n;
export const t = (iso: string) => Date.parse(iso) / 1000;
const micros = (iso: string) => String(BigInt(t(iso)) * 1_000_000n);
const ZERO = "0x0000000000000000000000000000000000000000";
export const LPT = "0x289ba1701c2f088cf0faf8b3705246331cb8a839";
export const GRT = "0x9623063377ad1b27544c965ccd7342f7ea7e88c7";

const FLOW_KEYS = [...FLOW_FIELDS, ...STOCK_FIELDS];

export function tokenRow(protocol: string, iso: string, v: Record<string, bigint | number>): Row {
  const row: Row = { id: `${protocol}-${iso}`, timestamp: micros(iso), protocol };
  for (const k of FLOW_KEYS) row[k] = String(v[k] ?? 0);
  return row;
}

export function feeRow(
  protocol: string,
  asset: string,
  iso: string,
  v: Record<string, bigint | number>,
): Row {
  const row: Row = { id: `${protocol}-fee-${iso}`, timestamp: micros(iso), protocol, asset };
  for (const k of [...FEE_FIELDS, ...FEE_STOCK_FIELDS]) row[k] = String(v[k] ?? 0);
  return row;
}

function activity(
  protocol: string,
  period: string,
  iso: string,
  payers: number,
  newPayers: number,
  activeStakers = 0,
): Row {
  return {
    id: `${protocol}-${period}-${iso}`,
    protocol,
    period,
    periodStart: String(t(iso)),
    payers,
    newPayers,
    activeStakers,
  };
}

/** The traits as the subgraph writes them onto the Protocol entity, from the real specs (protocol.json). */
let specs: Map<string, ProtocolSpec> | null = null;
function traits(id: string, token: Row) {
  specs ??= new Map(loadProtocolSpecs().map((s) => [s.slug, s]));
  const spec = specs.get(id);
  if (!spec) throw new Error(`no subgraph/src/${id}/protocol.json`);
  return {
    revenueRule: spec.revenue,
    fields: spec.fields,
    feeAssets: spec.feeAssets.map((a) =>
      a.native
        ? { id: ZERO, symbol: a.symbol, name: a.name ?? a.symbol, decimals: a.decimals }
        : a.contract === spec.token.contract
          ? token
          : {
              id: `0x${a.symbol.toLowerCase().padStart(40, "f")}`,
              symbol: a.symbol,
              name: a.symbol,
              decimals: a.decimals,
            },
    ),
    feeAssetRates: spec.feeAssets.map((a) => a.rate ?? "1"),
    canonicalSupply: true,
    supplyBridge: spec.token.bridge ?? null,
  };
}

/** A Protocol entity as the subgraph answers it, with the real spec's traits (arbitrum-one, canonical supply). */
export function protocolRow(id: string, name: string, token: Row, supply: bigint, staked: bigint): Row {
  return {
    ...traits(id, token),
    id,
    name,
    network: "arbitrum-one",
    schemaVersion: "1.0.0",
    methodologyVersion: "1.0.0",
    token,
    totalSupply: String(supply),
    staked: String(staked),
    operatorCount: 4,
    stakerCount: 9,
    holderCount: 20,
    cumulativeMinted: String(supply),
    cumulativeBurned: "0",
    cumulativeGrossEmission: "0",
    currentRound: null,
    horizonActive: null,
  };
}

export function fixtureData(): FakeData {
  const day = [
    tokenRow("livepeer", "2023-12-31T00:00:00Z", {
      minted: 1000n * E18,
      totalSupply: 1000n * E18,
      staked: 500n * E18,
      operators: 4,
    }),
    tokenRow("livepeer", "2024-01-01T00:00:00Z", {
      minted: 10n * E18,
      burned: E18,
      grossEmission: 10n * E18,
      // valued at $10 an LPT at the events (the burn had no price yet)
      grossEmissionUsd: 100n * E18,
      burnedUnpriced: E18,
      totalSupply: 1009n * E18,
      staked: 510n * E18,
      operators: 4,
    }),
    tokenRow("livepeer", "2024-01-02T00:00:00Z", {
      minted: 5n * E18,
      grossEmission: 5n * E18,
      grossEmissionUsd: 50n * E18,
      totalSupply: 1014n * E18,
      staked: 515n * E18,
      operators: 4,
    }),
    tokenRow("livepeer", "2024-01-04T00:00:00Z", {
      burned: 4n * E18,
      totalSupply: 1010n * E18,
      staked: 515n * E18,
      operators: 4,
    }),
    tokenRow("livepeer", "2024-01-08T00:00:00Z", {
      minted: 2n * E18,
      grossEmission: 2n * E18,
      // no usable LPT price that day: the emission is unpriced
      grossEmissionUnpriced: 2n * E18,
      totalSupply: 1012n * E18,
      staked: 517n * E18,
      operators: 4,
    }),
    tokenRow("thegraph", "2024-01-03T00:00:00Z", {
      minted: 10_002n * E18,
      burned: 2n * E18,
      burnedFeeTax: E18,
      burnedCurationTax: E18,
      totalSupply: 10_000n * E18,
      staked: 0n,
    }),
  ];
  const hour: Row[] = [];
  const h0 = t("2023-11-21T00:00:00Z");
  for (let i = 0; i < 1200; i++) {
    const iso = new Date((h0 + i * 3600) * 1000).toISOString();
    hour.push(tokenRow("thegraph", iso, { minted: 1, totalSupply: i + 1 }));
  }
  const feeDay = [
    feeRow("livepeer", ZERO, "2024-01-02T00:00:00Z", {
      fees: 3n * 10n ** 17n,
      supplySideFees: 3n * 10n ** 17n,
      feesUsd: 600n * E18, // $2,000 an ETH
      feeEvents: 2,
    }),
    feeRow("livepeer", ZERO, "2024-01-08T00:00:00Z", {
      fees: 10n ** 17n,
      supplySideFees: 10n ** 17n,
      feesUsd: 200n * E18,
      feeEvents: 1,
    }),
    feeRow("thegraph", GRT, "2024-01-03T00:00:00Z", {
      fees: 10n * E18,
      protocolTax: E18,
      curationFees: E18,
      supplySideFees: 8n * E18,
      feeEvents: 5,
    }),
  ];
  const periodActivities = [
    activity("livepeer", "DAY", "2024-01-02T00:00:00Z", 2, 2),
    activity("livepeer", "DAY", "2024-01-08T00:00:00Z", 1, 0),
    activity("livepeer", "WEEK", "2024-01-01T00:00:00Z", 2, 2),
    activity("livepeer", "WEEK", "2024-01-08T00:00:00Z", 1, 0),
    activity("livepeer", "MONTH", "2024-01-01T00:00:00Z", 2, 2),
  ];
  const feePayments = [
    {
      id: "0x01",
      protocol: "livepeer",
      isFee: true,
      timestamp: String(t("2024-01-02T01:00:00Z")),
      payer: "0xa",
    },
    {
      id: "0x02",
      protocol: "livepeer",
      isFee: true,
      timestamp: String(t("2024-01-02T02:00:00Z")),
      payer: "0xb",
    },
    {
      id: "0x03",
      protocol: "livepeer",
      isFee: true,
      timestamp: String(t("2024-01-08T02:00:00Z")),
      payer: "0xa",
    },
  ];
  const operators = [
    { id: "0x10", protocol: "livepeer", totalStake: String(300n * E18) },
    { id: "0x11", protocol: "livepeer", totalStake: String(100n * E18) },
    { id: "0x12", protocol: "livepeer", totalStake: String(100n * E18) },
    { id: "0x13", protocol: "livepeer", totalStake: String(17n * E18) },
  ];
  return {
    block: { number: 4242, hash: "0xabc", timestamp: t("2024-01-10T12:00:00Z") },
    protocols: [
      protocolRow(
        "livepeer",
        "Livepeer",
        { id: LPT, symbol: "LPT", name: "Livepeer Token", decimals: 18 },
        1012n * E18,
        517n * E18,
      ),
      protocolRow(
        "thegraph",
        "The Graph",
        { id: GRT, symbol: "GRT", name: "Graph Token", decimals: 18 },
        10_000n * E18,
        0n,
      ),
    ],
    tables: {
      "tokenFlowStats_collection:day": day,
      "tokenFlowStats_collection:hour": hour,
      "feeFlowStats_collection:day": feeDay,
      "feeFlowStats_collection:hour": [],
      // prices: ETH and LPT observed on Jan 1 only (USD, 18 decimals)
      "priceStats_collection:day": [
        { id: "p1", timestamp: micros("2024-01-01T00:00:00Z"), asset: ZERO, close: String(2000n * E18) },
        { id: "p2", timestamp: micros("2024-01-01T00:00:00Z"), asset: LPT, close: String(10n * E18) },
      ],
      "priceStats_collection:hour": [],
      assetPrices: [
        { id: ZERO, sourceName: "Chainlink ETH/USD", maxAge: "90000" },
        { id: LPT, sourceName: "Uniswap v3 LPT/WETH", maxAge: "90000" },
      ],
      periodActivities,
      feePayments,
      operators,
    },
  };
}
