/**
 * A protocol's scorecard: the strip of plain-language lines over the window, and the concentration card (Nakamoto
 * coefficient, top-operator share: values at the block, not series), both from one scorecard query.
 */
import { gql, scorecardQuery } from "./api.js";
import { errorBox, h, queryBlock } from "./dom.js";
import { fmtValue, isoDay } from "./format.js";
import { DAY } from "./state.js";
import { settle } from "./work.js";

/** The scorecard strip and the concentration card, from one scorecard query. */
export function scorecard(
  /** @type {HTMLElement} */ strip,
  /** @type {HTMLElement} */ conc,
  /** @type {import("./api.js").ProtocolInfo} */ proto,
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
