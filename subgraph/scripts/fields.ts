/**
 * The subgraph's schema is the one source of its field lists. This generator reads subgraph/schema.graphql (with
 * graphql's own parser) and writes the two modules that repeat them:
 *
 * - api/src/fields.ts: the aggregation fields (TokenFlowStats, FeeFlowStats, PriceStats), PeriodActivity's counts,
 *   which of them are counts, and the trait vocabularies (enums OptionalField, SupplyBridge, RevenueRule) as
 *   `as const` arrays with their types, for every TypeScript reader: the gateway (which ships alone in its image,
 *   hence a checked-in module under api/src), the subgraph's manifest checks, the simulator's ledger, tests and
 *   benches;
 * - subgraph/src/core/zero.ts: the AssemblyScript that sets every data field of a TokenFlow or FeeFlow data point
 *   to 0 (graph-node refuses to store a data point with a non-null field unset).
 *
 * Run `npm run fields` after changing the schema; tests/fields.test.ts fails while either file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type EnumTypeDefinitionNode,
  type FieldDefinitionNode,
  Kind,
  type ObjectTypeDefinitionNode,
  parse,
  type TypeNode,
} from "graphql";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCHEMA_FILE = "subgraph/schema.graphql";
/** The generated files, relative to the repository root. */
export const OUTPUTS = { ts: "api/src/fields.ts", as: "subgraph/src/core/zero.ts" } as const;

/** The number types of the schema that are counts (numbers in the simulator's ledger), not token amounts. */
const COUNT_TYPES = new Set(["Int", "Int8"]);

type Pick = "sum" | "cumulative" | "aggregate" | "count";

/** Each generated list: its constant, the schema type it comes from, which of the type's fields, what it is. */
const LISTS: readonly { name: string; type: string; pick: Pick; doc: string }[] = [
  {
    name: "FLOW_FIELDS",
    type: "TokenFlowStats",
    pick: "sum",
    doc: "TokenFlowStats sums: the flows of a bucket.",
  },
  {
    name: "STOCK_FIELDS",
    type: "TokenFlowStats",
    pick: "cumulative",
    doc: "TokenFlowStats cumulative aggregates: the stocks at the end of a bucket.",
  },
  {
    name: "FEE_FIELDS",
    type: "FeeFlowStats",
    pick: "sum",
    doc: "FeeFlowStats sums (per protocol and fee asset).",
  },
  {
    name: "FEE_STOCK_FIELDS",
    type: "FeeFlowStats",
    pick: "cumulative",
    doc: "FeeFlowStats cumulative aggregates (per protocol and fee asset).",
  },
  {
    name: "PRICE_FIELDS",
    type: "PriceStats",
    pick: "aggregate",
    doc: "PriceStats (per asset, hour and day): the last, lowest and highest USD price and the number of observations.",
  },
  {
    name: "COUNT_FIELDS",
    type: "PeriodActivity",
    pick: "count",
    doc: "PeriodActivity exact distinct counts (DAY, WEEK, MONTH).",
  },
];

/** The enums whose values are a vocabulary the TypeScript readers check against. */
const ENUMS: readonly { name: string; type: string; typeName: string }[] = [
  { name: "OPTIONAL_FIELDS", type: "OptionalField", typeName: "OptionalField" },
  { name: "SUPPLY_BRIDGES", type: "SupplyBridge", typeName: "SupplyBridge" },
  { name: "REVENUE_RULES", type: "RevenueRule", typeName: "RevenueRule" },
];

/** The timeseries entities whose data points the mappings create zeroed (flows.ts). */
const ZEROED = ["TokenFlow", "FeeFlow"] as const;

const namedType = (t: TypeNode): string => (t.kind === Kind.NAMED_TYPE ? t.name.value : namedType(t.type));

function fail(what: string): never {
  throw new Error(`${SCHEMA_FILE}: ${what}`);
}

function aggregateOf(f: FieldDefinitionNode): { cumulative: boolean } | null {
  const d = f.directives?.find((x) => x.name.value === "aggregate");
  if (!d) return null;
  const c = d.arguments?.find((a) => a.name.value === "cumulative");
  return { cumulative: c?.value.kind === Kind.BOOLEAN && c.value.value };
}

function picked(t: ObjectTypeDefinitionNode, pick: Pick): FieldDefinitionNode[] {
  return (t.fields ?? []).filter((f) => {
    if (pick === "count") return f.type.kind === Kind.NON_NULL_TYPE && namedType(f.type) === "Int";
    const agg = aggregateOf(f);
    if (!agg) return false;
    return pick === "aggregate" || (pick === "cumulative") === agg.cumulative;
  });
}

/** A `const` array as Biome formats it: on one line when it fits in 110 columns, else one item per line. */
function constArray(name: string, items: readonly string[]): string {
  const quoted = items.map((i) => JSON.stringify(i));
  const line = `export const ${name} = [${quoted.join(", ")}] as const;`;
  return line.length <= 110
    ? line
    : `export const ${name} = [\n${quoted.map((q) => `  ${q},\n`).join("")}] as const;`;
}

/** A JSDoc comment, wrapped at 110 columns. */
function jsdoc(text: string): string {
  const one = `/** ${text} */`;
  if (one.length <= 110) return one;
  const lines: string[] = [];
  let line = " *";
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > 110) {
      lines.push(line);
      line = " *";
    }
    line += ` ${word}`;
  }
  lines.push(line);
  return ["/**", ...lines, " */"].join("\n");
}

const typeOf = (list: string) =>
  list
    .replace(/_FIELDS$/, "_FIELD")
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s, c: string) => c.toUpperCase());

/** The two generated modules for a schema's text. */
export function generateFieldModules(schema: string): { ts: string; as: string } {
  const doc = parse(schema);
  const objects = new Map<string, ObjectTypeDefinitionNode>();
  const enums = new Map<string, EnumTypeDefinitionNode>();
  for (const d of doc.definitions) {
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION) objects.set(d.name.value, d);
    if (d.kind === Kind.ENUM_TYPE_DEFINITION) enums.set(d.name.value, d);
  }
  const object = (name: string) => objects.get(name) ?? fail(`no type ${name} (expected by ${OUTPUTS.ts})`);

  const ts: string[] = [
    "/**",
    ` * GENERATED from ${SCHEMA_FILE} by subgraph/scripts/fields.ts (\`npm run fields\`): do not edit.`,
    " * The schema is the one source of these lists; every TypeScript reader (the gateway, which ships alone in its",
    " * image, the subgraph's manifest checks, the simulator's ledger, tests and benches) imports them from here.",
    " */",
  ];
  const counts: string[] = [];
  for (const l of LISTS) {
    const fields = picked(object(l.type), l.pick);
    if (fields.length === 0) fail(`type ${l.type} has no ${l.pick} fields (expected by ${l.name})`);
    ts.push(
      "",
      jsdoc(l.doc),
      constArray(
        l.name,
        fields.map((f) => f.name.value),
      ),
    );
    for (const f of fields) if (COUNT_TYPES.has(namedType(f.type))) counts.push(f.name.value);
  }
  ts.push(
    "",
    jsdoc(
      "The fields above whose schema type is Int or Int8: counts (numbers in the simulator's ledger), not amounts.",
    ),
    constArray("INT_FIELDS", [...new Set(counts)]),
  );
  for (const e of ENUMS) {
    const node = enums.get(e.type) ?? fail(`no enum ${e.type} (expected by ${OUTPUTS.ts})`);
    const doc = node.description?.value.replace(/\s+/g, " ").trim() ?? `The values of enum ${e.type}.`;
    ts.push(
      "",
      jsdoc(`enum ${e.type}: ${doc}`),
      constArray(
        e.name,
        (node.values ?? []).map((v) => v.name.value),
      ),
    );
  }
  ts.push("");
  for (const l of LISTS) ts.push(`export type ${typeOf(l.name)} = (typeof ${l.name})[number];`);
  ts.push("export type IntField = (typeof INT_FIELDS)[number];");
  for (const e of ENUMS) ts.push(`export type ${e.typeName} = (typeof ${e.name})[number];`);
  ts.push("");

  const as: string[] = [
    `// GENERATED from ${SCHEMA_FILE} by subgraph/scripts/fields.ts (\`npm run fields\`): do not edit.`,
    `import { ${[...ZEROED].sort().join(", ")} } from "../../generated/schema";`,
    'import { ZERO } from "./constants";',
  ];
  for (const type of ZEROED) {
    const data = (object(type).fields ?? []).filter(
      (f) =>
        f.name.value !== "id" &&
        f.type.kind === Kind.NON_NULL_TYPE &&
        (namedType(f.type) === "BigInt" || COUNT_TYPES.has(namedType(f.type))),
    );
    as.push(
      "",
      `/** Sets every number of a ${type} data point to 0 (graph-node sets id and timestamp; the caller the rest). */`,
      `export function zero${type}Fields(point: ${type}): void {`,
      ...data.map((f) => `  point.${f.name.value} = ${namedType(f.type) === "BigInt" ? "ZERO" : "0"};`),
      "}",
    );
  }
  as.push("");
  return { ts: ts.join("\n"), as: as.join("\n") };
}

/** Writes the generated files from the repository's schema; returns the paths written. */
export function writeFieldModules(root = ROOT): string[] {
  const out = generateFieldModules(readFileSync(join(root, SCHEMA_FILE), "utf8"));
  writeFileSync(join(root, OUTPUTS.ts), out.ts);
  writeFileSync(join(root, OUTPUTS.as), out.as);
  return [OUTPUTS.ts, OUTPUTS.as];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const p of writeFieldModules()) console.log(`wrote ${p}`);
}
