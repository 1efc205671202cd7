/**
 * One chart card: a uPlot line chart, its table twin (the same numbers, exact, as the API wrote them), a CSV
 * link per series, the GraphQL query, and marks for partial periods and stale answers.
 */
import { h, queryBlock } from "./dom.js";
import { fmtNumber, unitLabel } from "./format.js";

/** Okabe–Ito colours (distinguishable with colour-blindness), none of them grey like the grid or text. */
const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D1F", "#7A3E9D"];

/**
 * @typedef {{kind: string, symbol?: string | null, decimals?: number | null}} Unit
 * @typedef {{timestamp: number, date: string, value: string | null, partial: boolean, note?: string | null}} Point
 * @typedef {{key: string, label: string, title?: string, unit: Unit, points: Point[]}} Column
 * @typedef {{
 *   id: string, title: string, desc?: string, query: string, columns: Column[],
 *   csv: {label: string, href: string}[], notes: string[], stale: string | null, summary: string,
 * }} ChartSpec
 */

/** @param {string} hex */
const rgb = (hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));

/**
 * Shades partial periods (not over at the indexed block) behind the lines.
 * @param {number[]} xs @param {boolean[]} partial
 */
function partialBands(xs, partial) {
  return {
    hooks: {
      /** @param {any} u */
      drawClear: (u) => {
        const { ctx, bbox } = u;
        ctx.save();
        ctx.fillStyle = "rgba(120,120,120,0.16)";
        for (let i = 0; i < xs.length; i++) {
          if (!partial[i]) continue;
          const x = u.valToPos(xs[i], "x", true);
          const prev = i > 0 ? u.valToPos(xs[i - 1], "x", true) : bbox.left;
          const next = i + 1 < xs.length ? u.valToPos(xs[i + 1], "x", true) : bbox.left + bbox.width;
          const x0 = Math.max(bbox.left, (prev + x) / 2);
          const x1 = Math.min(bbox.left + bbox.width, i + 1 < xs.length ? (x + next) / 2 : next);
          ctx.fillRect(x0, bbox.top, Math.max(1, x1 - x0), bbox.height);
        }
        ctx.restore();
      },
    },
  };
}

/**
 * After each draw, counts the plot area's pixels in a series colour and puts the count on the element
 * (data-series-pixels): a test (and anyone) can tell that lines were really drawn.
 * @param {HTMLElement} el @param {string[]} colors
 */
function drawnMarker(el, colors) {
  const targets = colors.map(rgb);
  return {
    hooks: {
      /** @param {any} u */
      draw: (u) => {
        const { left, top, width, height } = u.bbox;
        let n = 0;
        if (width > 0 && height > 0) {
          const d = u.ctx.getImageData(left, top, width, height).data;
          for (let i = 0; i < d.length; i += 4) {
            if (d[i + 3] < 200) continue;
            for (const [r, g, b] of targets) {
              if (Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 24) {
                n++;
                break;
              }
            }
          }
        }
        el.dataset.seriesPixels = String(n);
        el.dataset.drawn = "true";
      },
    },
  };
}

/** @param {Unit} unit @returns {(u: any, vals: number[]) => string[]} */
const axisValues = (unit) => (_u, vals) =>
  vals.map((v) => fmtNumber(v, { kind: unit.kind === "RATE_PER_YEAR" ? "RATIO" : unit.kind, symbol: null }));

/**
 * Draws the chart into `plot` (already in the document, so it has a width).
 * @param {HTMLElement} plot @param {Column[]} columns
 */
function drawPlot(plot, columns) {
  const uPlot = /** @type {any} */ (globalThis).uPlot;
  const xs = [...new Set(columns.flatMap((c) => c.points.map((p) => p.timestamp)))].sort((a, b) => a - b);
  const partial = xs.map((x) => columns.some((c) => c.points.find((p) => p.timestamp === x)?.partial));
  const kinds = [...new Set(columns.map((c) => c.unit.kind))];
  const colors = columns.map((_, i) => COLORS[i % COLORS.length]);
  const data = [
    xs,
    ...columns.map((c) => {
      const at = new Map(c.points.map((p) => [p.timestamp, p.value === null ? null : Number(p.value)]));
      return xs.map((x) => at.get(x) ?? null);
    }),
  ];
  const unitOf = (/** @type {string} */ kind) => columns.find((c) => c.unit.kind === kind)?.unit ?? { kind };
  const axes = [
    { stroke: "#444", grid: { stroke: "#e4e4e4" }, ticks: { stroke: "#ccc" } },
    ...kinds.slice(0, 2).map((kind, i) => ({
      scale: kind,
      side: i === 0 ? 3 : 1,
      stroke: "#444",
      size: 72,
      label: unitLabel(unitOf(kind)),
      labelSize: 18,
      grid: { show: i === 0, stroke: "#e4e4e4" },
      ticks: { stroke: "#ccc" },
      values: axisValues(unitOf(kind)),
    })),
  ];
  const opts = {
    width: Math.max(280, plot.clientWidth),
    height: 260,
    tzDate: (/** @type {number} */ ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: Object.fromEntries(kinds.map((k) => [k, { auto: true }])),
    series: [
      { label: "period (UTC)" },
      ...columns.map((c, i) => ({
        label: c.label,
        scale: c.unit.kind,
        stroke: colors[i],
        width: 2,
        spanGaps: false,
        points: { show: xs.length <= 60, size: 5, fill: colors[i] },
        value: (/** @type {any} */ _u, /** @type {number | null} */ v) => fmtNumber(v, c.unit),
      })),
    ],
    axes,
    legend: { live: false },
    plugins: [partialBands(xs, partial), drawnMarker(plot, /** @type {string[]} */ (colors))],
  };
  const u = new uPlot(opts, data, plot);
  new ResizeObserver(() => {
    const w = Math.max(280, plot.clientWidth);
    if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: 260 });
  }).observe(plot);
}

/**
 * The table twin: one row per period, one column per series, the API's exact value strings; a null value
 * shows "—" and its reason.
 * @param {ChartSpec} spec
 */
function twin(spec) {
  const xs = [...new Set(spec.columns.flatMap((c) => c.points.map((p) => p.timestamp)))].sort(
    (a, b) => a - b,
  );
  const byKey = spec.columns.map((c) => new Map(c.points.map((p) => [p.timestamp, p])));
  const head = h(
    "tr",
    {},
    h("th", { scope: "col" }, "period (UTC)"),
    ...spec.columns.map((c) =>
      h("th", { scope: "col", "data-key": c.key }, `${c.label} (${unitLabel(c.unit)})`),
    ),
  );
  const rows = xs.map((x) => {
    const pts = byKey.map((m) => m.get(x));
    const first = pts.find(Boolean);
    const partial = pts.some((p) => p?.partial);
    return h(
      "tr",
      { "data-ts": x, "data-partial": partial ? "true" : null },
      h(
        "th",
        { scope: "row" },
        first?.date ?? String(x),
        partial
          ? h("span", { class: "badge", title: "the period is not over at the indexed block" }, "partial")
          : null,
      ),
      ...spec.columns.map((c, i) => {
        const p = pts[i];
        if (!p) return h("td", { "data-key": c.key, "data-ts": x, class: "null" }, "— (no period)");
        if (p.value !== null) return h("td", { "data-key": c.key, "data-ts": x }, p.value);
        return h(
          "td",
          { "data-key": c.key, "data-ts": x, class: "null" },
          "—",
          h("span", { class: "note" }, p.note ? ` ${p.note}` : " no value (undefined for this period)"),
        );
      }),
    );
  });
  return h(
    "details",
    { class: "twin" },
    h("summary", {}, `Table (${xs.length} periods)`),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { "data-table": spec.id },
        h("caption", {}, `${spec.title}: ${spec.summary}`),
        h("thead", {}, head),
        h("tbody", {}, ...rows),
      ),
    ),
  );
}

/**
 * Appends a chart card to `parent` and draws it.
 * @param {HTMLElement} parent @param {ChartSpec} spec
 */
export function chartCard(parent, spec) {
  const drawable = spec.columns.filter((c) => c.points.some((p) => p.value !== null));
  const anyPartial = spec.columns.some((c) => c.points.some((p) => p.partial));
  const plot = h("div", {
    class: "plot",
    role: "img",
    "aria-label": `Line chart: ${spec.title}, ${spec.summary}. The table below has the same numbers.`,
  });
  const card = h(
    "section",
    { class: "card", id: `chart-${spec.id}`, "data-chart": spec.id },
    h("h2", {}, spec.title),
    spec.desc ? h("p", { class: "desc" }, spec.desc) : null,
    spec.stale ? h("p", { class: "stale", role: "status" }, spec.stale) : null,
    anyPartial ? h("p", { class: "hint" }, "Shaded: a period that is not over yet (partial).") : null,
    ...spec.notes.map((n) => h("p", { class: "hint" }, n)),
    drawable.length > 0
      ? plot
      : h("p", { class: "empty" }, "Nothing to draw: every value is null (see the table)."),
    spec.columns.length > 0 ? twin(spec) : null,
    spec.csv.length > 0
      ? h(
          "p",
          { class: "csv" },
          "CSV: ",
          ...spec.csv.flatMap((c, i) => [
            i > 0 ? " · " : "",
            h("a", { href: c.href, download: "" }, c.label),
          ]),
        )
      : null,
    queryBlock(spec.query),
  );
  parent.append(card);
  if (drawable.length > 0) drawPlot(plot, drawable);
  return card;
}
