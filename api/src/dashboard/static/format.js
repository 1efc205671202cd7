/** Display formats. Tables show the API's exact strings; these are for axes, legends and the scorecard. */

const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** @param {number} x a ratio (0.03 = 3%) */
export function pct(x) {
  const p = x * 100;
  return `${p.toFixed(Math.abs(p) < 10 ? 2 : 1)}%`;
}

/**
 * A number for display in a unit (kind from the API's UnitKind).
 * @param {number | null} x
 * @param {{kind: string, symbol?: string | null}} unit
 */
export function fmtNumber(x, unit) {
  if (x === null || !Number.isFinite(x)) return "—";
  switch (unit.kind) {
    case "RATIO":
      return pct(x);
    case "RATE_PER_YEAR":
      return `${pct(x)}/yr`;
    case "COUNT":
      return whole.format(x);
    case "USD":
      return `$${compact.format(x)}`;
    default:
      return `${compact.format(x)}${unit.symbol ? ` ${unit.symbol}` : ""}`;
  }
}

/** @param {string | null} value exact decimal string @param {{kind: string, symbol?: string | null}} unit */
export const fmtValue = (value, unit) => fmtNumber(value === null ? null : Number(value), unit);

/** The unit as a column or axis label. @param {{kind: string, symbol?: string | null}} unit */
export function unitLabel(unit) {
  switch (unit.kind) {
    case "RATIO":
      return "ratio";
    case "RATE_PER_YEAR":
      return "rate per year";
    case "COUNT":
      return "count";
    default:
      return unit.symbol ?? unit.kind;
  }
}

/** @param {number} ts seconds */
export const isoDay = (ts) => new Date(ts * 1000).toISOString().slice(0, 10);
