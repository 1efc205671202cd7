/**
 * The schema is the one source of the field lists (subgraph/scripts/fields.ts): the checked-in modules generated
 * from it (api/src/fields.ts for TypeScript, subgraph/src/core/zero.ts for the mappings) must be what the current
 * schema gives, so a field added, renamed or removed in subgraph/schema.graphql without `npm run fields` fails here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { generateFieldModules, OUTPUTS, SCHEMA_FILE } from "../subgraph/scripts/fields.js";
import { ROOT } from "./cli.js";

const read = (p: string) => readFileSync(join(ROOT, p), "utf8");
const schema = read(SCHEMA_FILE);

describe("field lists generated from the schema", () => {
  it("are up to date (else run npm run fields)", () => {
    const out = generateFieldModules(schema);
    expect(read(OUTPUTS.ts), `${OUTPUTS.ts} is stale: run npm run fields`).toBe(out.ts);
    expect(read(OUTPUTS.as), `${OUTPUTS.as} is stale: run npm run fields`).toBe(out.as);
  });

  it("follow a schema change: a new sum, a new cumulative count and a new data point field", () => {
    const changed = schema
      .replace(
        /(type TokenFlowStats @aggregation[^{]*\{[^}]*)\n\}/,
        '$1\n  rebated: BigInt! @aggregate(fn: "sum", arg: "rebated")\n  delegators: Int8! @aggregate(fn: "sum", arg: "delegatorsDelta", cumulative: true)\n}',
      )
      .replace(
        /(type TokenFlow @entity[^{]*\{[^}]*)\n\}/,
        "$1\n  rebated: BigInt!\n  delegatorsDelta: Int!\n}",
      );
    expect(changed).not.toBe(schema);
    const out = generateFieldModules(changed);
    expect(out.ts).not.toBe(read(OUTPUTS.ts));
    expect(out.ts).toMatch(
      /export const FLOW_FIELDS = \[[^\]]*"burnedUnpriced",\n {2}"rebated",\n\] as const;/,
    );
    expect(out.ts).toMatch(/export const STOCK_FIELDS = \[[^\]]*"holders",\n {2}"delegators",\n\] as const;/);
    expect(out.ts).toMatch(/export const INT_FIELDS = \[[^\]]*"holders",\n {2}"delegators",/);
    expect(out.as).toContain("  point.rebated = ZERO;\n  point.delegatorsDelta = 0;\n}");
  });

  it("say which type or enum the schema lacks", () => {
    expect(() => generateFieldModules(schema.replace("enum SupplyBridge", "enum Bridge"))).toThrow(
      `${SCHEMA_FILE}: no enum SupplyBridge (expected by ${OUTPUTS.ts})`,
    );
    expect(() =>
      generateFieldModules(schema.replace(/type PriceStats @aggregation/, "type Prices @aggregation")),
    ).toThrow(`${SCHEMA_FILE}: no type PriceStats (expected by ${OUTPUTS.ts})`);
  });
});
