/**
 * The page's state is the URL's query string (protocol or view=compare, interval, days or from/to, metric,
 * protocols), so every view is a link: the period it asks for (anchored at the newest indexed block, not the
 * clock), links to other views, and the period pickers (a plain GET form).
 */
import { h } from "./dom.js";
import { isoDay } from "./format.js";

export const DAY = 86_400;
const INTERVALS = ["HOUR", "DAY", "WEEK", "MONTH"];

/** @typedef {ReturnType<typeof period>} Period */

/** Window and interval from the URL, anchored at the newest indexed block (not the clock). */
export function period(/** @type {URLSearchParams} */ q, /** @type {number} */ blockTs) {
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
export function viewHref(/** @type {URLSearchParams} */ q, set) {
  const n = new URLSearchParams(q);
  for (const [k, v] of Object.entries(set)) {
    if (v === null) n.delete(k);
    else n.set(k, v);
  }
  return `?${n.toString()}`;
}

/** Fills the pickers from the state and keeps the view's own parameters as hidden fields. */
export function controls(/** @type {URLSearchParams} */ q, /** @type {Period} */ p) {
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
