/**
 * A protocol's view: its scorecard strip, then a chart card per entry of CHARTS (metric names from the gateway's
 * catalog; a name the catalog lacks, or without the interval, is reported, not drawn), the concentration card
 * after the yields.
 */
import { csvUrl, gql, seriesQuery } from "./api.js";
import { chartCard } from "./chart.js";
import { errorBox, h, queryBlock } from "./dom.js";
import { scorecard } from "./scorecard.js";
import { settle } from "./work.js";

/** @typedef {import("./api.js").MetricInfo} MetricInfo */
/** @typedef {import("./api.js").ProtocolInfo} ProtocolInfo */
/** @typedef {import("./state.js").Period} Period */

/**
 * The charts of a protocol view: metric names from the gateway's catalog (a name the catalog lacks is
 * reported, not drawn).
 */
const CHARTS = [
  {
    id: "fees",
    title: "Fees vs incentives",
    desc: "Fees users paid and the token incentives paid to stakers, both in USD at each event's price; coverage = fees / incentives (right axis).",
    metrics: ["feesUsd", "tokenIncentivesUsd", "incentiveCoverage"],
  },
  {
    id: "supply",
    title: "Minted vs burned, by cause",
    desc: "Tokens minted and burned; the burn causes add up to burned.",
    metrics: [
      "minted",
      "burned",
      "burnedFeeTax",
      "burnedCurationTax",
      "burnedSlashing",
      "burnedBridge",
      "burnedOther",
    ],
  },
  {
    id: "rates",
    title: "Inflation and emission rates",
    desc: "Annualised: net supply change and gross emission over the supply at the period's start.",
    metrics: ["inflationRate", "emissionRate"],
  },
  {
    id: "staking",
    title: "Staking ratio",
    desc: "Staked / total supply at the period's end.",
    metrics: ["stakingRatio"],
  },
  {
    id: "yield",
    title: "Nominal vs real yield",
    desc: "Reward yield (new tokens over average stake, annualised) and real yield after supply growth.",
    metrics: ["rewardYield", "realYield"],
  },
  {
    id: "payers",
    title: "Payers",
    desc: "Distinct accounts that paid a fee, and those paying for the first time (exact per period).",
    metrics: ["payers", "newPayers"],
  },
];

/** One chart of a protocol view. */
function protocolChart(
  /** @type {HTMLElement} */ grid,
  /** @type {(typeof CHARTS)[number]} */ def,
  /** @type {ProtocolInfo} */ proto,
  /** @type {Map<string, MetricInfo>} */ catalog,
  /** @type {Period} */ p,
) {
  const notes = [];
  const metrics = [];
  for (const m of def.metrics) {
    const info = catalog.get(m);
    if (!info) notes.push(`${m}: not in this gateway's metric catalog.`);
    else if (!info.intervals.includes(p.interval))
      notes.push(`${m}: no ${p.interval} series (it has ${info.intervals.join(", ")}).`);
    else metrics.push(m);
  }
  const slot = h("div", { class: "slot" });
  grid.append(slot);
  if (metrics.length === 0) {
    chartCard(slot, { ...def, query: "", columns: [], csv: [], notes, stale: null, summary: "" });
    return;
  }
  const args = { protocols: [proto.id], metrics, interval: p.interval, from: p.from, to: p.to };
  const query = seriesQuery(args);
  settle(
    gql(query).then(
      (d) => {
        /** @type {any[]} */
        const series = d.series;
        const ok = series.filter((s) => s.applicable);
        for (const s of series.filter((x) => !x.applicable))
          notes.push(`${s.metric}: does not apply to ${proto.name} (null, never 0).`);
        const stale = series.find((s) => s.stale);
        chartCard(slot, {
          ...def,
          query,
          notes,
          stale: stale
            ? `Stale: an upstream is down; this is the last good answer, read at block ${stale.block.number} (${stale.block.iso}).`
            : null,
          summary: `${proto.name}, ${p.interval} periods from ${p.from.slice(0, 10)}, read at block ${series[0]?.block.number ?? "?"}`,
          columns: ok.map((s) => ({
            key: s.metric,
            label: s.metric,
            title: catalog.get(s.metric)?.description,
            unit: s.unit,
            points: s.points,
          })),
          csv: ok.map((s) => ({ label: s.metric, href: csvUrl({ ...args, metric: s.metric }) })),
        });
      },
      (e) => {
        slot.append(
          h(
            "section",
            { class: "card", "data-chart": def.id, "data-error": "true" },
            h("h2", {}, def.title),
            errorBox(`${def.title} (series query)`, e),
            queryBlock(query),
          ),
        );
      },
    ),
  );
}

export function protocolView(
  /** @type {HTMLElement} */ main,
  /** @type {ProtocolInfo} */ proto,
  /** @type {Map<string, MetricInfo>} */ catalog,
  /** @type {Period} */ p,
) {
  const strip = h("section", { class: "strip", "data-scorecard": proto.id, "aria-label": "Scorecard" });
  const conc = h(
    "section",
    { class: "card", "data-chart": "concentration" },
    h("h2", {}, "Concentration: Nakamoto coefficient, top-operator share"),
  );
  const grid = h("div", { class: "grid" });
  main.replaceChildren(
    h(
      "h2",
      { class: "title" },
      `${proto.name} · ${proto.token.symbol} (fees in ${proto.feeAsset.symbol}) · ${proto.network}`,
    ),
    strip,
    grid,
  );
  scorecard(strip, conc, proto, p.days);
  for (const def of CHARTS) {
    protocolChart(grid, def, proto, catalog, p);
    if (def.id === "yield") grid.append(conc);
  }
}
