/** Synthetic subgraph data for the fake-upstream gateway bench: 3 years of days, two protocols. */
import { FLOW_FIELDS, STOCK_FIELDS } from "../../api/src/fields.js";
import type { FakeData, Row } from "../../api/test/fakeGraphNode.js";

export function synthetic(): FakeData {
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
      for (const k of [...FLOW_FIELDS, ...STOCK_FIELDS]) row[k] = "0";
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
