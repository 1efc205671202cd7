/**
 * Calibration targets as data (issue 24): for every registered economy, `contracts/src/protocols/<slug>/calibration.json`
 * lists the published figures the default history must look like (docs/simulator.md, "Calibration"), each with the
 * metric the gateway serves it as, its source and the band the served value must fall in. This module loads and
 * checks those files and judges a served value against a target; it names no protocol.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { economySlugs } from "../protocols/index.js";

const PROTOCOLS_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "protocols");
const REPO_ROOT = join(PROTOCOLS_DIR, "..", "..", "..");

/**
 * The window an analyst reads by default: the dashboard's (api/src/dashboard/static/app.js, `period()`: `days` defaults
 * to 90, anchored at the newest indexed block): `scorecard(window: 90)`, and `series` / `compare` over DAY buckets
 * from the day 90 days before that block to the block.
 */
export const DEFAULT_WINDOW_DAYS = 90;

/** The fields of the gateway's `Protocol` type a target can read (values at the newest block). */
export const PROTOCOL_FIELDS = [
  "totalSupply",
  "staked",
  "stakingRatio",
  "operators",
  "stakers",
  "holders",
] as const;
export type ProtocolField = (typeof PROTOCOL_FIELDS)[number];

/**
 * How the gateway serves a target's figure, over the default window. `id` is the protocol id asked (default: the
 * protocol's slug; e.g. "local/morpheus" for one network of a protocol on several).
 * - scorecard: the value of the scorecard line `line` (`scorecard(protocol, window: 90)`);
 * - protocol: the `Protocol` field at the newest block (`protocols`);
 * - window: the `compare` window value of `metric` (the whole window as one period), divided by the window's days
 *   when `per` is "day";
 * - windowRatio: window value of `numerator` / window value of `denominator`;
 * - series: the DAY series of `metric`; `lastOverMax` = the last known point / the largest known point.
 */
export type Read =
  | { from: "scorecard"; line: string; id?: string }
  | { from: "protocol"; field: ProtocolField; id?: string }
  | { from: "window"; metric: string; per?: "day"; id?: string }
  | { from: "windowRatio"; numerator: string; denominator: string; id?: string }
  | { from: "series"; metric: string; reduce: "lastOverMax"; id?: string };

export interface Source {
  title: string;
  publisher: string;
  url: string;
  /** When the figure was published or observed, as precise as the source says ("2025-01", "2024-05-03", "undated: …"). */
  date: string;
}

/** The served value must be ≥ min and ≤ max (null: no bound); either way it must not be null. */
export interface Band {
  min: number | null;
  max: number | null;
}

export interface Target {
  /** Unique within the protocol. */
  id: string;
  /** What the figure is, in words. */
  figure: string;
  /** How the gateway serves it; null while no metric serves it (`missing` says what is missing). */
  read: Read | null;
  missing?: string;
  /**
   * figure: a published figure (value, text, source); shape: no figure was published, so the band is a shape with its
   * reasoning in `why` (the source then gives the facts the reasoning uses, or is null).
   */
  kind: "figure" | "shape";
  published: { value: number | null; text: string };
  source: Source | null;
  /** In the read's unit: ratios and rates as fractions (0.26), counts, whole tokens, US dollars. */
  band: Band;
  /** How wide the band is and why. */
  why: string;
  /** false while the default history does not meet the target yet: the test reports it and requires it to fail. */
  met: boolean;
}

/** A figure the issue names that has no public source: what it is and why it is not a target. */
export interface Uncalibrated {
  figure: string;
  why: string;
}

export interface ProtocolCalibration {
  protocol: string;
  /** The file it was read from, relative to the repository. */
  file: string;
  targets: Target[];
  uncalibrated: Uncalibrated[];
}

const READ_FROM = ["scorecard", "protocol", "window", "windowRatio", "series"] as const;

/** A calibration file that does not say what a target needs: names the file, the target and the field. */
export class CalibrationError extends Error {
  override name = "CalibrationError";
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function text(o: Json, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== "string" || v.trim() === "")
    throw new CalibrationError(`${where}: "${key}" must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

function numOrNull(o: Json, key: string, where: string): number | null {
  const v = o[key];
  if (v === null) return null;
  if (typeof v !== "number" || !Number.isFinite(v))
    throw new CalibrationError(
      `${where}: "${key}" must be a finite number or null, got ${JSON.stringify(v)}`,
    );
  return v;
}

function parseRead(v: unknown, where: string): Read | null {
  if (v === null) return null;
  if (!isObj(v)) throw new CalibrationError(`${where}: "read" must be an object or null`);
  const from = v.from;
  if (!READ_FROM.includes(from as (typeof READ_FROM)[number]))
    throw new CalibrationError(
      `${where}: read.from must be one of ${READ_FROM.join(", ")}, got ${JSON.stringify(from)}`,
    );
  const id = v.id === undefined ? {} : { id: text(v, "id", `${where} read`) };
  const w = `${where} read`;
  switch (from) {
    case "scorecard":
      return { from, line: text(v, "line", w), ...id };
    case "protocol": {
      const field = text(v, "field", w);
      if (!PROTOCOL_FIELDS.includes(field as ProtocolField))
        throw new CalibrationError(
          `${w}: field must be one of ${PROTOCOL_FIELDS.join(", ")}, got "${field}"`,
        );
      return { from, field: field as ProtocolField, ...id };
    }
    case "window": {
      if (v.per !== undefined && v.per !== "day")
        throw new CalibrationError(`${w}: per must be "day" or absent, got ${JSON.stringify(v.per)}`);
      return {
        from,
        metric: text(v, "metric", w),
        ...(v.per === "day" ? { per: "day" as const } : {}),
        ...id,
      };
    }
    case "windowRatio":
      return { from, numerator: text(v, "numerator", w), denominator: text(v, "denominator", w), ...id };
    default: {
      if (v.reduce !== "lastOverMax")
        throw new CalibrationError(`${w}: reduce must be "lastOverMax", got ${JSON.stringify(v.reduce)}`);
      return { from: "series", metric: text(v, "metric", w), reduce: "lastOverMax", ...id };
    }
  }
}

function parseSource(v: unknown, where: string): Source | null {
  if (v === null) return null;
  if (!isObj(v)) throw new CalibrationError(`${where}: "source" must be an object or null`);
  const w = `${where} source`;
  const url = text(v, "url", w);
  if (!/^https:\/\/\S+$/.test(url))
    throw new CalibrationError(`${w}: url must be an https URL, got "${url}"`);
  return { title: text(v, "title", w), publisher: text(v, "publisher", w), url, date: text(v, "date", w) };
}

function parseTarget(v: unknown, where: string): Target {
  if (!isObj(v)) throw new CalibrationError(`${where}: a target must be an object`);
  const id = text(v, "id", where);
  const w = `${where} target "${id}"`;
  const kind = v.kind;
  if (kind !== "figure" && kind !== "shape")
    throw new CalibrationError(`${w}: kind must be "figure" or "shape", got ${JSON.stringify(kind)}`);
  const read = parseRead(v.read, w);
  const missing = v.missing === undefined ? undefined : text(v, "missing", w);
  if (read === null && missing === undefined)
    throw new CalibrationError(`${w}: read is null, so "missing" must say which metric the gateway lacks`);
  if (!isObj(v.published)) throw new CalibrationError(`${w}: "published" must be { value, text }`);
  const published = {
    value: numOrNull(v.published, "value", `${w} published`),
    text: text(v.published, "text", `${w} published`),
  };
  const source = parseSource(v.source, w);
  if (kind === "figure" && (source === null || published.value === null))
    throw new CalibrationError(
      `${w}: a figure needs a source and a published value (a shape target has neither)`,
    );
  if (!isObj(v.band)) throw new CalibrationError(`${w}: "band" must be { min, max }`);
  const band = { min: numOrNull(v.band, "min", `${w} band`), max: numOrNull(v.band, "max", `${w} band`) };
  if (band.min !== null && band.max !== null && band.min > band.max)
    throw new CalibrationError(`${w}: band.min ${band.min} is above band.max ${band.max}`);
  if (typeof v.met !== "boolean") throw new CalibrationError(`${w}: "met" must be true or false`);
  if (read === null && v.met)
    throw new CalibrationError(`${w}: a target the gateway does not serve cannot be met`);
  return {
    id,
    figure: text(v, "figure", w),
    read,
    ...(missing === undefined ? {} : { missing }),
    kind,
    published,
    source,
    band,
    why: text(v, "why", w),
    met: v.met,
  };
}

/** Parses one calibration file's JSON; `file` names it in errors. */
export function parseCalibration(json: unknown, slug: string, file: string): ProtocolCalibration {
  if (!isObj(json)) throw new CalibrationError(`${file}: must hold a JSON object`);
  if (json.protocol !== slug)
    throw new CalibrationError(
      `${file}: "protocol" must be "${slug}" (its folder), got ${JSON.stringify(json.protocol)}`,
    );
  if (!Array.isArray(json.targets) || json.targets.length === 0)
    throw new CalibrationError(`${file}: "targets" must be a non-empty array`);
  const targets = json.targets.map((t, i) => parseTarget(t, `${file} targets[${i}]`));
  const seen = new Set<string>();
  for (const t of targets) {
    if (seen.has(t.id)) throw new CalibrationError(`${file}: target id "${t.id}" appears twice`);
    seen.add(t.id);
  }
  const raw = json.uncalibrated ?? [];
  if (!Array.isArray(raw)) throw new CalibrationError(`${file}: "uncalibrated" must be an array`);
  const uncalibrated = raw.map((u, i) => {
    const w = `${file} uncalibrated[${i}]`;
    if (!isObj(u)) throw new CalibrationError(`${w}: must be { figure, why }`);
    return { figure: text(u, "figure", w), why: text(u, "why", w) };
  });
  return { protocol: slug, file, targets, uncalibrated };
}

/** The calibration of every registered economy (contracts/src/protocols/<slug>/), in slug order; each must have one. */
export function loadCalibrations(slugs: readonly string[] = economySlugs()): ProtocolCalibration[] {
  return slugs.map((slug) => {
    const path = join(PROTOCOLS_DIR, slug, "calibration.json");
    const file = relative(REPO_ROOT, path);
    if (!existsSync(path))
      throw new CalibrationError(
        `${file} is missing: every simulated protocol lists its calibration targets (docs/simulator.md, "Calibration")`,
      );
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new CalibrationError(`${file}: not valid JSON (${(e as Error).message})`);
    }
    return parseCalibration(json, slug, file);
  });
}

/** The protocol id a target's read asks the gateway for. */
export const readId = (read: Read, protocol: string): string => read.id ?? protocol;

/** Whether a served value is in the target's band (null is never in a band). */
export function inBand(band: Band, served: number | null): boolean {
  if (served === null || !Number.isFinite(served)) return false;
  return (band.min === null || served >= band.min) && (band.max === null || served <= band.max);
}

export type Verdict = "met" | "not met" | "met now, marked not met" | "not met, marked met" | "not served";

/**
 * A target against its served value: the flag must agree with the band. "met" and "not met" (a known gap, reported)
 * agree; the other two are failures: a broken target, or a target reached that still says it is not met.
 */
export function judge(target: Target, served: number | null): Verdict {
  if (target.read === null) return "not served";
  const ok = inBand(target.band, served);
  if (target.met) return ok ? "met" : "not met, marked met";
  return ok ? "met now, marked not met" : "not met";
}

/** Band as text, in the read's unit: "[0.29, 0.66]", "≥ 0.75", "≤ 0.02", "not null". */
export function bandText(band: Band): string {
  const n = (x: number) =>
    Math.abs(x) >= 1e9
      ? `${Number((x / 1e9).toPrecision(4))} B`
      : Math.abs(x) >= 1e6
        ? `${Number((x / 1e6).toPrecision(4))} M`
        : x.toLocaleString("en-US", { maximumFractionDigits: 4 });
  if (band.min !== null && band.max !== null) return `[${n(band.min)}, ${n(band.max)}]`;
  if (band.min !== null) return `≥ ${n(band.min)}`;
  if (band.max !== null) return `≤ ${n(band.max)}`;
  return "not null";
}
