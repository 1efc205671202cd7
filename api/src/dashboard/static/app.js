/**
 * The dashboard page: a view per protocol (listed by the API, never hard-coded: protocol-view.js) and a compare
 * view (compare-view.js). Its state is the URL's query string (state.js), so every view is a link. The page is
 * ready (body data-state) once every card has settled (work.js).
 */
import { gql, METRICS_QUERY, PROTOCOLS_QUERY } from "./api.js";
import { compareView } from "./compare-view.js";
import { errorBox, h } from "./dom.js";
import { protocolView } from "./protocol-view.js";
import { controls, period, viewHref } from "./state.js";
import { allSettled } from "./work.js";

/** @typedef {import("./api.js").MetricInfo} MetricInfo */
/** @typedef {import("./api.js").ProtocolInfo} ProtocolInfo */

const body = document.body;

document.addEventListener("securitypolicyviolation", (e) => {
  body.dataset.cspViolations = `${body.dataset.cspViolations ?? ""}${e.violatedDirective} ${e.blockedURI};`;
});

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
    await allSettled();
    // For tests and checks on small screens: nothing wider than the viewport.
    body.dataset.overflowX = String(document.documentElement.scrollWidth > window.innerWidth);
    body.dataset.state = "ready";
  });
