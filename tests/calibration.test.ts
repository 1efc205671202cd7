/**
 * The calibration targets as data (issue 24, item 1): every simulated protocol has its targets file, each target
 * reads a metric the gateway has, docs/simulator.md shows exactly the data's table, and a served value is judged
 * against the band and the met flag as tests/calibration.e2e.test.ts does. No stack: seconds.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { METRICS_BY_NAME } from "../api/src/metrics/catalog.js";
import { calibrationTable, generatedPart } from "../contracts/src/calibration/table.js";
import {
  CalibrationError,
  inBand,
  judge,
  loadCalibrations,
  parseCalibration,
  type Target,
} from "../contracts/src/calibration/targets.js";
import { economySlugs } from "../contracts/src/protocols/index.js";

const cals = loadCalibrations();

const target = (over: Partial<Target> = {}): Target => ({
  id: "t",
  figure: "a figure",
  read: { from: "scorecard", line: "rewardYield" },
  kind: "figure",
  published: { value: 0.1, text: "10%" },
  source: { title: "T", publisher: "P", url: "https://example.org/x", date: "2025" },
  band: { min: 0.05, max: 0.2 },
  why: "because",
  met: true,
  ...over,
});
const file = (targets: unknown[], extra: Record<string, unknown> = {}) => ({
  protocol: "p",
  targets,
  ...extra,
});

describe("calibration targets as data", () => {
  it("every registered economy has a calibration file with targets", () => {
    expect(cals.map((c) => c.protocol)).toEqual(economySlugs());
    for (const c of cals) expect(c.targets.length, c.file).toBeGreaterThan(0);
  });

  it("every window and series read names a metric of the gateway's catalog", () => {
    for (const c of cals)
      for (const t of c.targets) {
        const r = t.read;
        if (!r) continue;
        const names =
          r.from === "window" || r.from === "series"
            ? [r.metric]
            : r.from === "windowRatio"
              ? [r.numerator, r.denominator]
              : [];
        for (const n of names) expect(METRICS_BY_NAME.has(n), `${c.file} ${t.id}: metric "${n}"`).toBe(true);
      }
  });

  it("docs/simulator.md shows the targets table generated from the data", () => {
    const docs = readFileSync(new URL("../docs/simulator.md", import.meta.url), "utf8");
    expect(
      generatedPart(docs),
      "docs/simulator.md differs from the calibration data: run node --import tsx contracts/src/calibration/cli.ts --write",
    ).toBe(calibrationTable(cals));
  });
});

describe("judging a served value", () => {
  it("a met target passes in its band and fails out of it, at both bounds", () => {
    const t = target();
    expect(judge(t, 0.05)).toBe("met");
    expect(judge(t, 0.2)).toBe("met");
    expect(judge(t, 0.0499)).toBe("not met, marked met");
    expect(judge(t, 0.21)).toBe("not met, marked met");
  });

  it("null is never in a band, not even an open one", () => {
    expect(inBand({ min: null, max: null }, null)).toBe(false);
    expect(inBand({ min: null, max: null }, 0)).toBe(true);
    expect(judge(target(), null)).toBe("not met, marked met");
  });

  it("a target marked not met is a known gap out of its band, and a failure once reached", () => {
    const t = target({ met: false });
    expect(judge(t, 1)).toBe("not met");
    expect(judge(t, 0.1)).toBe("met now, marked not met");
  });

  it("a target without a read is not served", () => {
    expect(judge(target({ read: null, missing: "x", met: false }), 0.1)).toBe("not served");
  });
});

describe("a calibration file that does not say what a target needs is refused, naming file, target and field", () => {
  const bad =
    (targets: unknown[], extra: Record<string, unknown> = {}) =>
    () =>
      parseCalibration(file(targets, extra), "p", "x/calibration.json");

  it("wrong protocol", () => {
    expect(() => parseCalibration({ protocol: "q", targets: [target()] }, "p", "x/calibration.json")).toThrow(
      /x\/calibration.json: "protocol" must be "p"/,
    );
  });
  it("a figure without a source", () => {
    expect(bad([{ ...target(), source: null }])).toThrow(/target "t": a figure needs a source/);
  });
  it("a band upside down", () => {
    expect(bad([{ ...target(), band: { min: 2, max: 1 } }])).toThrow(
      /target "t": band.min 2 is above band.max 1/,
    );
  });
  it("an unserved target marked met", () => {
    expect(bad([{ ...target(), read: null, missing: "m" }])).toThrow(/cannot be met/);
  });
  it("an unserved target without saying what is missing", () => {
    expect(bad([{ ...target(), read: null, met: false }])).toThrow(/"missing" must say/);
  });
  it("an unknown read", () => {
    expect(bad([{ ...target(), read: { from: "guess", metric: "x" } }])).toThrow(/read.from must be one of/);
  });
  it("a duplicate id", () => {
    expect(bad([target(), target()])).toThrow(/target id "t" appears twice/);
  });
  it("a source that is not a URL", () => {
    expect(bad([{ ...target(), source: { ...target().source, url: "messari" } }])).toThrow(
      /url must be an https URL/,
    );
  });
  it("a missing file names it", () => {
    expect(() => loadCalibrations(["no-such-protocol"])).toThrow(CalibrationError);
    expect(() => loadCalibrations(["no-such-protocol"])).toThrow(
      /no-such-protocol\/calibration.json is missing/,
    );
  });
});
