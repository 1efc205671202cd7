/**
 * examples/ parse, and every URL in them is a route and a parameter set the gateway accepts: the Grafana
 * provisioning YAML and dashboard JSON (each Infinity URL, with Grafana's variables filled in as Grafana
 * would, run against a gateway on the fake graph-node of the unit tests), and the notebook's JSON.
 * The notebook itself runs against the real stack in examples.e2e.test.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { type GatewayHandle, startGateway } from "../api/src/http/server.js";
import { type FakeGraphNode, startFakeGraphNode } from "../api/test/fakeGraphNode.js";
import { fixtureData, t } from "../api/test/fixtures.js";

const ROOT = fileURLToPath(new URL("../examples/", import.meta.url));
const GRAFANA = join(ROOT, "grafana");
const INFINITY = "yesoreyeram-infinity-datasource";

interface InfinityQuery {
  type: string;
  source: string;
  url: string;
  columns?: { selector: string; text: string; type: string }[];
}
interface Variable {
  name: string;
  type: string;
  query: unknown;
  options?: { value: string }[];
  current?: { value: string | string[] };
}
interface Dashboard {
  uid: string;
  title: string;
  templating: { list: Variable[] };
  panels: {
    id: number;
    title: string;
    datasource: { type: string; uid: string };
    targets: InfinityQuery[];
  }[];
}

const files = (dir: string, ext: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));

const dashboards = () =>
  files(join(GRAFANA, "dashboards"), ".json").map((f) => JSON.parse(readFileSync(f, "utf8")) as Dashboard);

/** Every Infinity query of a dashboard: panel targets and query variables. */
function infinityQueries(d: Dashboard): { where: string; q: InfinityQuery }[] {
  const out: { where: string; q: InfinityQuery }[] = [];
  for (const p of d.panels) for (const q of p.targets) out.push({ where: `panel ${p.id} "${p.title}"`, q });
  for (const v of d.templating.list) {
    const iq = (v.query as { infinityQuery?: InfinityQuery } | undefined)?.infinityQuery;
    if (iq) out.push({ where: `variable ${v.name}`, q: iq });
  }
  return out;
}

/** Grafana's interpolation of the variables our URLs use, with the given values. */
function interpolate(
  url: string,
  values: Record<string, string[]>,
  range: { from: number; to: number },
): string {
  return url.replace(/\$\{([A-Za-z_]+)(?::([a-z]+))?\}|\$([A-Za-z_]+)/g, (m, a, fmt, b) => {
    const name = (a ?? b) as string;
    if (name === "__from") return String(range.from);
    if (name === "__to") return String(range.to);
    const v = values[name];
    if (!v) throw new Error(`unknown variable ${m} in ${url}`);
    // ${x:csv} is a comma-separated list; a bare multi-value ${x} is {a,b} in Grafana: our URLs must use :csv
    if (v.length > 1 && fmt !== "csv") throw new Error(`${m}: a multi-value variable needs :csv in ${url}`);
    return v.join(",");
  });
}

describe("examples/grafana", () => {
  let up: FakeGraphNode;
  let gw: GatewayHandle;
  beforeAll(async () => {
    up = await startFakeGraphNode(fixtureData());
    gw = await startGateway({
      port: 0,
      logger: pino({ level: "silent" }),
      upstreams: [{ name: "local", url: up.url, network: "arbitrum-one" }],
      config: { workers: 0 },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await up?.stop();
  });

  it("the provisioning YAML parses: one Infinity data source with the uid the dashboards use", () => {
    const ds = parseYaml(
      readFileSync(join(GRAFANA, "provisioning/datasources/ai-tokenomics.yaml"), "utf8"),
    ) as {
      apiVersion: number;
      datasources: { uid: string; type: string; url: string; jsonData: { allowedHosts: string[] } }[];
    };
    expect(ds.apiVersion).toBe(1);
    expect(ds.datasources).toHaveLength(1);
    const d = ds.datasources[0];
    expect(d?.type).toBe(INFINITY);
    expect(d?.jsonData.allowedHosts).toContain(d?.url);
    const providers = parseYaml(
      readFileSync(join(GRAFANA, "provisioning/dashboards/ai-tokenomics.yaml"), "utf8"),
    ) as { apiVersion: number; providers: { type: string; options: { path: string } }[] };
    expect(providers.providers[0]?.type).toBe("file");
    for (const dash of dashboards())
      for (const p of dash.panels) expect(p.datasource).toEqual({ type: INFINITY, uid: d?.uid });
  });

  it("every URL of the dashboards is a route and parameter set the gateway accepts, with every variable value", async () => {
    const list = dashboards();
    expect(list.length).toBeGreaterThan(0);
    let checked = 0;
    for (const d of list) {
      const protocolsCsv = await (await fetch(`${gw.url}/protocols.csv`)).text();
      const ids = protocolsCsv
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(",")[0] ?? "");
      const intervals =
        d.templating.list.find((v) => v.name === "interval")?.options?.map((o) => o.value) ?? [];
      expect(intervals.length).toBeGreaterThan(0);
      // Grafana's default range of the dashboard, in ms as ${__from}/${__to} are: here the fixture's 90 days
      const range = {
        from: t("2023-10-12T00:00:00Z") * 1000 + 123,
        to: t("2024-01-10T12:00:00Z") * 1000 + 456,
      };
      const protocolChoices = [[ids[0] ?? ""], ids]; // one protocol, and "All"
      for (const { where, q } of infinityQueries(d)) {
        expect(q.source, where).toBe("url");
        expect(q.type, where).toBe("csv");
        expect(q.url.startsWith("/"), `${where}: a path under the data source's URL`).toBe(true);
        const combos = q.url.includes("$")
          ? protocolChoices.flatMap((p) => intervals.map((i) => ({ protocol: p, interval: [i] })))
          : [{}];
        for (const values of combos) {
          const url = interpolate(q.url, values, range);
          const res = await fetch(`${gw.url}${url}`);
          const body = await res.text();
          expect(res.status, `${where}: GET ${url} → ${body}`).toBe(200);
          const header = body.split("\n")[0]?.split(",") ?? [];
          for (const c of q.columns ?? [])
            expect(header, `${where}: column ${c.selector}`).toContain(c.selector);
          expect(body.trim().split("\n").length, `${where}: rows for ${url}`).toBeGreaterThan(1);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("no protocol id is hard-coded in a dashboard URL (the protocol variable lists them from /protocols.csv)", () => {
    for (const d of dashboards())
      for (const { where, q } of infinityQueries(d))
        expect(q.url, where).not.toMatch(/protocols?=(?!\$\{protocol(:csv)?\})/);
  });
});

describe("examples/notebook", () => {
  it("the notebook is nbformat 4 JSON, with a cell tagged `answer`", () => {
    const nb = JSON.parse(readFileSync(join(ROOT, "notebook/fees-vs-incentives.ipynb"), "utf8")) as {
      nbformat: number;
      cells: { cell_type: string; source: string[]; metadata: { tags?: string[] }; outputs?: unknown[] }[];
    };
    expect(nb.nbformat).toBe(4);
    expect(nb.cells.filter((c) => c.metadata.tags?.includes("answer"))).toHaveLength(1);
    // checked in without outputs: what it prints comes from the gateway it is run against
    for (const c of nb.cells) if (c.cell_type === "code") expect(c.outputs).toEqual([]);
    const code = nb.cells.map((c) => c.source.join("")).join("\n");
    expect(code).toContain('os.environ.get("AITOK_GATEWAY"');
    expect(code).toContain("/series.csv?");
    expect(code).not.toMatch(/livepeer|thegraph/);
  });
});
