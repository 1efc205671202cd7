/**
 * The compare view: one metric for several protocols (picked with a GET form), as a chart card with its table
 * twin, and the metric over the whole window as one period per protocol.
 */
import { compareQuery, csvUrl, gql } from "./api.js";
import { chartCard } from "./chart.js";
import { errorBox, h, queryBlock } from "./dom.js";
import { fmtValue } from "./format.js";
import { settle } from "./work.js";

/** @typedef {import("./api.js").MetricInfo} MetricInfo */
/** @typedef {import("./api.js").ProtocolInfo} ProtocolInfo */
/** @typedef {import("./state.js").Period} Period */

export function compareView(
  /** @type {HTMLElement} */ main,
  /** @type {ProtocolInfo[]} */ protocols,
  /** @type {Map<string, MetricInfo>} */ catalog,
  /** @type {Period} */ p,
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
