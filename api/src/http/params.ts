/**
 * Query-string parameters of the HTTP routes (/series.csv, /series.json, …): lists given as `a,b` or as
 * repeated parameters, booleans, and times in seconds, milliseconds (Grafana's `${__from}`) or ISO-8601.
 * Every error is BAD_USER_INPUT naming the parameter and what was expected (HTTP 400).
 */
import { badInput } from "../core/errors.js";
import { parseTime } from "../core/time.js";

/**
 * An integer at or above this is read as milliseconds: 100,000,000,000 seconds is the year 5138, the same
 * number of milliseconds is 1973-03-03. Grafana's `${__from}` and `${__to}` are milliseconds (13 digits);
 * seconds since epoch have 10 digits until 2286.
 */
export const MILLISECONDS_FROM = 100_000_000_000;

/** Values of a list parameter under all its names, repeated or comma-separated, trimmed, without repeats. */
export function listParam(q: URLSearchParams, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names)
    for (const v of q.getAll(name))
      for (const item of v.split(",")) {
        const s = item.trim();
        if (s && !out.includes(s)) out.push(s);
      }
  return out;
}

/** A boolean parameter: absent → fallback; `true|1|yes|on` or empty (`?complete`) → true; `false|0|no|off` → false. */
export function boolParam(q: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = q.get(name);
  if (v === null) return fallback;
  const s = v.trim().toLowerCase();
  if (s === "" || s === "true" || s === "1" || s === "yes" || s === "on") return true;
  if (s === "false" || s === "0" || s === "no" || s === "off") return false;
  throw badInput(name, `expected true or false, got ${JSON.stringify(v)}`);
}

/**
 * A time parameter as the series arguments take it: seconds or ISO-8601 unchanged, milliseconds (an integer
 * of at least MILLISECONDS_FROM) floored to seconds. Checked here, so a bad value is a 400 naming it.
 */
export function timeParam(name: string, value: string): string {
  const v = value.trim();
  if (/^\d+$/.test(v) && v.length <= 16 && Number(v) >= MILLISECONDS_FROM)
    return String(Math.floor(Number(v) / 1000));
  if (/^\d+$/.test(v) && v.length > 16)
    throw badInput(
      name,
      `expected seconds or milliseconds since epoch (or ISO-8601), got ${v.length} digits`,
    );
  parseTime(name, v);
  return v;
}

/** Refuses parameters a route does not know (a typo such as `metrc=` would otherwise be ignored silently). */
export function onlyParams(q: URLSearchParams, known: readonly string[]): void {
  for (const name of new Set(q.keys())) {
    // `_` is the cache-buster some HTTP clients add (jQuery's `_=<time>`).
    if (name === "_" || known.includes(name)) continue;
    throw badInput(name, `unknown parameter; this route takes ${known.join(", ")}`);
  }
}
