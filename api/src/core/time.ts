/** Parsing of user time arguments: seconds since epoch or ISO-8601. */
import { badInput } from "./errors.js";

/** Parses seconds ("1704067200") or ISO-8601 ("2024-01-01", "2024-01-01T12:00:00Z") to seconds. */
export function parseTime(argument: string, value: string | number): number {
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value) || value < 0)
      throw badInput(argument, `not a timestamp in seconds: ${value}`);
    return value;
  }
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    if (v.length > 11)
      throw badInput(argument, `expected seconds since epoch (or ISO-8601), got ${v.length} digits`);
    return Number(v);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) {
    const withZone = /^\d{4}-\d{2}-\d{2}$/.test(v) || /(Z|[+-]\d{2}:?\d{2})$/.test(v) ? v : `${v}Z`;
    const ms = Date.parse(withZone);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  throw badInput(argument, `not a timestamp (seconds or ISO-8601): ${JSON.stringify(value)}`);
}
