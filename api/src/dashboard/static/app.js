/**
 * The dashboard page: a view per protocol (listed by the API, never hard-coded) and a compare view. Its state
 * is the URL's query string (protocol or view=compare, interval, days or from/to, metric, protocols), so every
 * view is a link; the pickers are a plain GET form.
 */
import {
  compareQuery,
  csvUrl,
  gql,
  METRICS_QUERY,
  PROTOCOLS_QUERY,
  scorecardQuery,
  seriesQuery,
} from "./api.js";
import { chartCard } from "./chart.js";
import { errorBox, h, queryBlock } from "./dom.js";
import { fmtValue, isoDay } from "./format.js";

const DAY = 86_400;
const INTERVALS = ["HOUR", "DAY", "WEEK", "MONTH"];

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

/** @typedef {{name: string, description: string, group: string, unit: string, kind: string, intervals: string[]}} MetricInfo */
/** @typedef {{id: string, name: string, network: string, block: {number: number, timestamp: number, iso: string}, token: {symbol: string}, feeAsset: {symbol: string}}} ProtocolInfo */

/** @type {Promise<void>[]} */
const pending = [];
const body = document.body;

document.addEventListener("securitypolicyviolation", (e) => {
  body.dataset.cspViolations = `${body.dataset.cspViolations ?? ""}${e.violatedDirective} ${e.blockedURI};`;
});

/** Window and interval from the URL, anchored at the newest indexed block (not the clock). */
function period(/** @type {URLSearchParams} */ q, /** @type {number} */ blockTs) {
  const interval = INTERVALS.includes(q.get("interval") ?? "") ? String(q.get("interval")) : "DAY";
  const custom = q.get("days") === "custom" && /^\d{4}-\d\d-\d\d$/.test(q.get("from") ?? "");
  if (custom) {
    const from = String(q.get("from"));
    const toDay = /^\d{4}-\d\d-\d\d$/.test(q.get("to") ?? "") ? String(q.get("to")) : isoDay(blockTs);
    const toTs = Date.parse(`${toDay}T00:00:00Z`) / 1000 + DAY; // the "to" day is included
    const days = Math.max(1, Math.round((toTs - Date.parse(`${from}T00:00:00Z`) / 1000) / DAY));
    return { interval, days, daysParam: "custom", from, to: String(toTs), toDay };
  }
  const days = Math.min(3650, Math.max(1, Number(q.get("days")) || 90));
  return {
    interval,
    days,
    daysParam: String(days),
    from: isoDay(blockTs - days * DAY),
    to: String(blockTs),
    toDay: isoDay(blockTs),
  };
}

/** A link to another view, keeping the pickers. @param {Record<string, string | null>} set */
function viewHref(/** @type {URLSearchParams} */ q, set) {
  const n = new URLSearchParams(q);
  for (const [k, v] of Object.entries(set)) {
    if (v === null) n.delete(k);
    else n.set(k, v);
  }
  return `?${n.toString()}`;
}

/** Fills the pickers from the state and keeps the view's own parameters as hidden fields. */
function controls(/** @type {URLSearchParams} */ q, /** @type {ReturnType<typeof period>} */ p) {
  const form = /** @type {HTMLFormElement} */ (document.getElementById("controls"));
  form.method = "get";
  form.action = location.pathname;
  /** @type {HTMLSelectElement} */ (form.elements.namedItem("interval")).value = p.interval;
  const days = /** @type {HTMLSelectElement} */ (form.elements.namedItem("days"));
  if (![...days.options].some((o) => o.value === p.daysParam))
    days.append(h("option", { value: p.daysParam }, `${p.daysParam} days`));
  days.value = p.daysParam;
  /** @type {HTMLInputElement} */ (form.elements.namedItem("from")).value = p.from.slice(0, 10);
  /** @type {HTMLInputElement} */ (form.elements.namedItem("to")).value = p.toDay;
  for (const k of ["protocol", "view", "metric", "protocols"]) {
    const v = q.get(k);
    if (v) form.append(h("input", { type: "hidden", name: k, value: v }));
  }
}

/** Runs one card's work; a failure becomes an error in that card, the rest of the page still draws. */
function settle(/** @type {Promise<void>} */ work) {
  pending.push(work.catch((e) => console.error(e)));
}

/** The scorecard strip and the concentration card, from one scorecard query. */
function scorecard(
  /** @type {HTMLElement} */ strip,
  /** @type {HTMLElement} */ conc,
  /** @type {ProtocolInfo} */ proto,
  /** @type {number} */ days,
) {
  const window = Math.min(365, Math.max(1, days));
  const query = scorecardQuery(proto.id, window);
  settle(
    gql(query).then(
      (d) => {
        const sc = d.scorecard;
        const stale = sc.stale
          ? `Stale: an upstream is down; last good answer, read at block ${sc.block.number}.`
          : "";
        /** @type {any[]} */
        const lines = sc.lines;
        strip.append(
          h(
            "h2",
            {},
            `Scorecard: last ${sc.windowDays} days to ${isoDay(sc.to - DAY)} (block ${sc.block.number})`,
          ),
          h("p", { class: "stale", role: "status", hidden: !stale }, stale),
          h(
            "div",
            { class: "scores" },
            ...lines
              .filter((l) => l.category !== "DECENTRALISATION")
              .map((l) =>
                h(
                  "div",
                  {
                    class: "score",
                    "data-metric": l.metric,
                    "data-value": l.value ?? "",
                    title: l.value ?? "",
                  },
                  h("span", { class: "label" }, l.metric),
                  h("span", { class: "value" }, fmtValue(l.value, l.unit)),
                  h("span", { class: "finding" }, l.note && l.value === null ? l.note : l.finding),
                ),
              ),
          ),
          queryBlock(query),
        );
        const dec = lines.filter((l) => l.category === "DECENTRALISATION");
        conc.append(
          h("p", { class: "desc" }, `Now, at block ${sc.block.number} (values at the block, not series).`),
          h("p", { class: "stale", role: "status", hidden: !stale }, stale),
          h(
            "div",
            { class: "scroll" },
            h(
              "table",
              { "data-table": "concentration" },
              h("caption", {}, `Concentration of stake, ${proto.name}`),
              h(
                "thead",
                {},
                h("tr", {}, ...["metric", "value", "finding"].map((c) => h("th", { scope: "col" }, c))),
              ),
              h(
                "tbody",
                {},
                ...dec.map((l) =>
                  h(
                    "tr",
                    {},
                    h("th", { scope: "row" }, l.metric),
                    l.value === null
                      ? h(
                          "td",
                          { "data-key": l.metric, class: "null" },
                          "—",
                          h("span", { class: "note" }, ` ${l.note ?? ""}`),
                        )
                      : h("td", { "data-key": l.metric }, l.value),
                    h("td", { class: "text" }, l.finding),
                  ),
                ),
              ),
            ),
          ),
          queryBlock(query),
        );
        conc.dataset.drawn = "true";
      },
      (e) => {
        strip.append(errorBox(`Scorecard of ${proto.id} (scorecard query)`, e), queryBlock(query));
        conc.append(errorBox(`Concentration of ${proto.id} (scorecard query)`, e));
      },
    ),
  );
}

/** One chart of a protocol view. */
function protocolChart(
  /** @type {HTMLElement} */ grid,
  /** @type {(typeof CHARTS)[number]} */ def,
  /** @type {ProtocolInfo} */ proto,
  /** @type {Map<string, MetricInfo>} */ catalog,
  /** @type {ReturnType<typeof period>} */ p,
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

function protocolView(
  /** @type {HTMLElement} */ main,
  /** @type {ProtocolInfo} */ proto,
  /** @type {Map<string, MetricInfo>} */ catalog,
  /** @type {ReturnType<typeof period>} */ p,
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

function compareView(
  /** @type {HTMLElement} */ main,
  /** @type {ProtocolInfo[]} */ protocols,
  /** @type {Map<string, MetricInfo>} */ catalog,
  /** @type {ReturnType<typeof period>} */ p,
  /** @type {URLSearchParams} */ q,
) {
  const names = [...catalog.keys()];
  const wanted = q.get("metric") ?? "";
  const metric = catalog.has(wanted)
    ? wanted
    : catalog.has("incentiveCoverage")
      ? "incentiveCoverage"
      : names[0];
  const chosen = (q.get("protocols") ?? "").split(",").filter((id) => protocols.some((x) => x.id === id));
  const ids = chosen.length > 0 ? chosen : protocols.map((x) => x.id);
  const info = catalog.get(metric ?? "");

  const groups = [...new Set([...catalog.values()].map((m) => m.group))];
  const form = h(
    "form",
    { class: "controls pick", method: "get", action: location.pathname },
    h("input", { type: "hidden", name: "view", value: "compare" }),
    h("input", { type: "hidden", name: "interval", value: p.interval }),
    h("input", { type: "hidden", name: "days", value: p.daysParam }),
    p.daysParam === "custom" ? h("input", { type: "hidden", name: "from", value: p.from }) : null,
    p.daysParam === "custom" ? h("input", { type: "hidden", name: "to", value: p.toDay }) : null,
    h(
      "label",
      {},
      "Metric ",
      h(
        "select",
        { name: "metric" },
        ...groups.map((g) =>
          h(
            "optgroup",
            { label: g },
            ...[...catalog.values()]
              .filter((m) => m.group === g)
              .map((m) =>
                h("option", { value: m.name, selected: m.name === metric, title: m.description }, m.name),
              ),
          ),
        ),
      ),
    ),
    h(
      "fieldset",
      {},
      h("legend", {}, "Protocols"),
      ...protocols.map((x) =>
        h(
          "label",
          {},
          h("input", { type: "checkbox", "data-protocol": x.id, value: x.id, checked: ids.includes(x.id) }),
          ` ${x.name}`,
        ),
      ),
    ),
    h("input", { type: "hidden", name: "protocols", value: ids.join(",") }),
    h("button", { type: "submit" }, "Compare"),
  );
  form.addEventListener("change", () => {
    const boxes = [...form.querySelectorAll("input[data-protocol]")].map(
      (b) => /** @type {HTMLInputElement} */ (b),
    );
    const hidden = /** @type {HTMLInputElement} */ (form.querySelector("input[name=protocols]"));
    hidden.value = boxes
      .filter((b) => b.checked)
      .map((b) => b.value)
      .join(",");
  });
  const slot = h("div", { class: "slot" });
  const windowBox = h("section", { class: "card", "data-chart": "window" }, h("h2", {}, "Whole window"));
  main.replaceChildren(
    h("h2", { class: "title" }, `Compare: ${metric}`),
    info ? h("p", { class: "desc" }, `${info.description} (${info.unit}, ${info.kind})`) : null,
    form,
    h("div", { class: "grid" }, slot, windowBox),
  );
  if (!metric || !info) {
    main.append(h("p", { class: "error", role: "alert" }, "The gateway's metric catalog is empty."));
    return;
  }
  if (!info.intervals.includes(p.interval)) {
    main.append(
      h(
        "p",
        { class: "error", role: "alert" },
        `${metric} has no ${p.interval} series (it has ${info.intervals.join(", ")}): pick another interval.`,
      ),
    );
    return;
  }
  const args = { protocols: ids, metric, interval: p.interval, from: p.from, to: p.to };
  const query = compareQuery(args);
  const label = (/** @type {string} */ id) => protocols.find((x) => x.id === id)?.name ?? id;
  settle(
    gql(query).then(
      (d) => {
        /** @type {any} */
        const c = d.compare;
        /** @type {any[]} */
        const series = c.series;
        const notes = series
          .filter((s) => !s.applicable)
          .map((s) => `${metric} does not apply to ${label(s.protocol)} (null, never 0).`);
        const stale = series.find((s) => s.stale);
        chartCard(slot, {
          id: "compare",
          title: `${metric} by protocol`,
          desc: info.description,
          query,
          notes,
          stale: stale
            ? `Stale: an upstream is down; this is the last good answer, read at block ${stale.block.number} (${stale.block.iso}).`
            : null,
          summary: `${p.interval} periods from ${p.from.slice(0, 10)}`,
          columns: series
            .filter((s) => s.applicable)
            .map((s) => ({
              key: s.protocol,
              label: `${label(s.protocol)}${s.unit.symbol ? ` (${s.unit.symbol})` : ""}`,
              unit: s.unit,
              points: s.points,
            })),
          csv: [{ label: `${metric} (all protocols)`, href: csvUrl(args) }],
        });
        /** @type {any[]} */
        const win = c.window;
        windowBox.append(
          h(
            "p",
            { class: "desc" },
            "The metric over the whole window as one period (flows summed, stocks at the end).",
          ),
          h(
            "div",
            { class: "scroll" },
            h(
              "table",
              { "data-table": "window" },
              h("caption", {}, `${metric} over the window, by protocol`),
              h(
                "thead",
                {},
                h(
                  "tr",
                  {},
                  ...["protocol", "value", "unit", "display"].map((x) => h("th", { scope: "col" }, x)),
                ),
              ),
              h(
                "tbody",
                {},
                ...win.map((w) =>
                  h(
                    "tr",
                    {},
                    h("th", { scope: "row" }, label(w.protocol)),
                    w.value === null
                      ? h(
                          "td",
                          { "data-key": w.protocol, class: "null" },
                          "—",
                          h("span", { class: "note" }, ` ${w.note ?? "no value"}`),
                        )
                      : h("td", { "data-key": w.protocol }, w.value),
                    h("td", {}, w.unit.symbol ?? w.unit.kind),
                    h("td", {}, fmtValue(w.value, w.unit)),
                  ),
                ),
              ),
            ),
          ),
        );
      },
      (e) => {
        slot.append(
          h(
            "section",
            { class: "card", "data-chart": "compare", "data-error": "true" },
            h("h2", {}, `${metric} by protocol`),
            errorBox(`Compare ${metric} (compare query)`, e),
            queryBlock(query),
          ),
        );
      },
    ),
  );
}

async function run() {
  const q = new URLSearchParams(location.search);
  const main = /** @type {HTMLElement} */ (document.getElementById("main"));
  /** @type {ProtocolInfo[]} */
  let protocols;
  /** @type {MetricInfo[]} */
  let metrics;
  try {
    [protocols, metrics] = await Promise.all([
      gql(PROTOCOLS_QUERY).then((d) => d.protocols),
      gql(METRICS_QUERY).then((d) => d.metrics),
    ]);
  } catch (e) {
    main.replaceChildren(
      errorBox("Listing the protocols and the metric catalog (protocols, metrics queries)", e),
    );
    return;
  }
  if (protocols.length === 0) {
    main.replaceChildren(h("p", { class: "error", role: "alert" }, "The gateway lists no protocols yet."));
    return;
  }
  const catalog = new Map(metrics.map((m) => [m.name, m]));
  const blockTs = Math.max(...protocols.map((x) => x.block.timestamp));
  const p = period(q, blockTs);
  controls(q, p);
  const compare = q.get("view") === "compare";
  const proto = protocols.find((x) => x.id === q.get("protocol")) ?? protocols[0];
  const nav = /** @type {HTMLElement} */ (document.getElementById("views"));
  nav.replaceChildren(
    ...protocols.map((x) =>
      h(
        "a",
        {
          href: viewHref(q, { protocol: x.id, view: null }),
          "aria-current": !compare && x === proto ? "page" : null,
          "data-protocol": x.id,
        },
        x.name,
      ),
    ),
    h(
      "a",
      { href: viewHref(q, { view: "compare", protocol: null }), "aria-current": compare ? "page" : null },
      "Compare",
    ),
  );
  /** @type {HTMLElement} */ (document.getElementById("asof")).textContent =
    `Data to block ${protocols.map((x) => `${x.block.number} (${x.name}, ${x.block.iso})`).join(", ")}; window ` +
    `${p.from.slice(0, 10)} to ${p.toDay}, by ${p.interval.toLowerCase()}.`;
  if (compare) compareView(main, protocols, catalog, p, q);
  else if (proto) protocolView(main, proto, catalog, p);
}

run()
  .catch((e) => {
    document.getElementById("main")?.append(errorBox("Drawing the dashboard", e));
  })
  .then(async () => {
    await Promise.all(pending);
    // For tests and checks on small screens: nothing wider than the viewport.
    body.dataset.overflowX = String(document.documentElement.scrollWidth > window.innerWidth);
    body.dataset.state = "ready";
  });
