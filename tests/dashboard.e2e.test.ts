/**
 * End to end: the dashboard (/dashboard, api/src/dashboard) served by the gateway against the real stack,
 * loaded in Debian's headless chromium (installed by the test setup when missing). Checks that the charts
 * were drawn (pixels in the series' colours on uPlot's canvas), that every number of every table twin equals
 * the API's exact decimal string, that partial periods and errors are marked, that the page keeps its
 * Content-Security-Policy and fits a phone's width. A screenshot per view goes to tests/artifacts/ (ignored).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, startGateway } from "../api/src/http/server.js";
import { ensureDebianPackages } from "./support/debian.js";

const harnessPath = fileURLToPath(new URL("../stack/src/harness.ts", import.meta.url));
const hasHarness = existsSync(harnessPath);
const CHROMIUM = "/usr/bin/chromium";
const ARTIFACTS = fileURLToPath(new URL("./artifacts/", import.meta.url));
const DAY = 86_400;
const WINDOW_DAYS = 30;

/** The metrics of each chart of a protocol view (as protocol-view.js draws them; names from the catalog). */
const CHARTS: Record<string, string[]> = {
  fees: ["feesUsd", "tokenIncentivesUsd", "incentiveCoverage"],
  supply: [
    "minted",
    "burned",
    "burnedFeeTax",
    "burnedCurationTax",
    "burnedSlashing",
    "burnedBridge",
    "burnedOther",
  ],
  rates: ["inflationRate", "emissionRate"],
  staking: ["stakingRatio"],
  yield: ["rewardYield", "realYield"],
  payers: ["payers", "newPayers"],
};

interface StackHandle {
  graphqlUrl: string;
  statusUrl: string;
  stop(): Promise<void>;
}
interface Point {
  timestamp: number;
  date: string;
  value: string | null;
  partial: boolean;
  note: string | null;
}
interface Series {
  protocol: string;
  metric: string;
  applicable: boolean;
  points: Point[];
}
interface Protocol {
  id: string;
  name: string;
  block: { number: number; timestamp: number };
}

async function gql<T>(url: string, query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

/**
 * Loads a page in a fresh headless chromium (own profile folder, own process group, killed when done):
 * the DOM after its scripts ran (`--dump-dom`), or a screenshot. Virtual time does not advance while a fetch
 * is pending, so the page's GraphQL answers are in before the budget runs out.
 */
async function chromium(url: string, opts: { screenshot?: string; width?: number; height?: number } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "aitok-chromium-"));
  const args = [
    "--headless",
    "--no-sandbox", // root in CI
    "--disable-gpu",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    `--user-data-dir=${profile}`,
    `--window-size=${opts.width ?? 1280},${opts.height ?? 2200}`,
    "--virtual-time-budget=30000",
    "--enable-logging=stderr",
    "--v=0",
    opts.screenshot ? `--screenshot=${opts.screenshot}` : "--dump-dom",
    url,
  ];
  const child = spawn(CHROMIUM, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => {
    out += c.toString("utf8");
  });
  child.stderr.on("data", (c: Buffer) => {
    err += c.toString("utf8");
  });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`chromium did not finish with ${url}:\n${err.slice(-2000)}`)),
        180_000,
      );
      child.on("error", reject);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    if (code !== 0) throw new Error(`chromium exited ${code} on ${url}:\n${err.slice(-2000)}`);
    return { dom: out, log: err };
  } finally {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL"); // the browser and its helpers, if any are left
    } catch {
      // already gone
    }
    rmSync(profile, { recursive: true, force: true });
  }
}

const decode = (s: string) =>
  s
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");

/** The body's data attributes. */
function bodyData(dom: string): Record<string, string> {
  const tag = /<body([^>]*)>/.exec(dom)?.[1] ?? "";
  return Object.fromEntries([...tag.matchAll(/data-([a-z-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
}

/** A dumped table's cells: key → timestamp (or "") → text. */
function table(dom: string, id: string): Map<string, Map<string, string>> {
  const html = new RegExp(`<table data-table="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(dom)?.[1];
  if (html === undefined) throw new Error(`no table ${id} in the page`);
  const cells = new Map<string, Map<string, string>>();
  for (const m of html.matchAll(/<td data-key="([^"]*)"(?: data-ts="(\d+)")?[^>]*>([\s\S]*?)<\/td>/g)) {
    const key = m[1] as string;
    if (!cells.has(key)) cells.set(key, new Map());
    cells.get(key)?.set(m[2] ?? "", decode(m[3] as string));
  }
  return cells;
}

/** The timestamps of a table's rows marked partial. */
const partialRows = (dom: string, id: string) => {
  const html = new RegExp(`<table data-table="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(dom)?.[1] ?? "";
  return [...html.matchAll(/<tr data-ts="(\d+)" data-partial="true">/g)].map((m) => Number(m[1]));
};

/** A chart card's markup (from its opening tag to the next card). */
function card(dom: string, id: string): string {
  const start = dom.indexOf(`data-chart="${id}"`);
  if (start < 0) throw new Error(`no card ${id} in the page`);
  const next = dom.indexOf('<section class="card"', start);
  return dom.slice(start, next < 0 ? undefined : next);
}

/** What a table twin's cell must say for an API point: the exact value, or "—" and the reason. */
function expectCell(where: string, cell: string | undefined, p: Point) {
  if (p.value !== null) expect(cell, where).toBe(p.value);
  else {
    expect(cell?.startsWith("—"), `${where}: ${cell}`).toBe(true);
    if (p.note) expect(cell, where).toContain(p.note);
  }
}

describe.skipIf(!hasHarness)("dashboard in headless chromium against the real stack", () => {
  let stack: StackHandle;
  let gw: GatewayHandle;
  let protocols: Protocol[];
  let from: string;
  let to: string;

  beforeAll(async () => {
    ensureDebianPackages({ packages: ["chromium"], present: () => existsSync(CHROMIUM) });
    mkdirSync(ARTIFACTS, { recursive: true });
    const mod = (await import(harnessPath)) as {
      startStack(o: { days?: number; seed?: number; gateway?: boolean }): Promise<StackHandle>;
    };
    stack = await mod.startStack({ days: 21, seed: 7, gateway: false });
    gw = await startGateway({
      port: 0,
      logger: pino({ level: "warn" }),
      upstreams: [{ name: "stack", url: stack.graphqlUrl, statusUrl: stack.statusUrl, network: "local" }],
    });
    const res = await gql<{ protocols: Protocol[] }>(
      gw.graphqlUrl,
      "{ protocols { id name block { number timestamp } } }",
    );
    protocols = res.data?.protocols ?? [];
    // The page's window: the last WINDOW_DAYS days before the newest indexed block (docs/dashboard.md).
    const blockTs = Math.max(...protocols.map((p) => p.block.timestamp));
    from = new Date((blockTs - WINDOW_DAYS * DAY) * 1000).toISOString().slice(0, 10);
    to = String(blockTs);
  });
  afterAll(async () => {
    await gw?.stop();
    await stack?.stop();
  });

  it("serves the page and uPlot from node_modules with a strict Content-Security-Policy", async () => {
    const page = await fetch(`${gw.url}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'self';/);
    expect(page.headers.get("content-security-policy")).not.toMatch(/unsafe|https?:|\*/);
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/<style|\sstyle=/); // no inline style
    const vendor = /src="(\/dashboard\/vendor\/[^"]+uPlot\.iife\.min\.js)"/.exec(html)?.[1];
    expect(vendor).toBeDefined();
    const served = Buffer.from(await (await fetch(`${gw.url}${vendor}`)).arrayBuffer());
    const file = createRequire(import.meta.url).resolve("uplot/dist/uPlot.iife.min.js", {
      paths: [fileURLToPath(new URL("../api/", import.meta.url))],
    });
    expect(served.equals(readFileSync(file))).toBe(true);
    expect((await fetch(`${gw.url}/dashboard/../package.json`)).status).toBe(404);
    expect((await fetch(`${gw.url}/dashboard/missing.js`)).status).toBe(404);
  });

  it("draws every protocol the API lists; every table number equals the API's", async () => {
    expect(protocols.length).toBeGreaterThan(1);
    const metrics = Object.values(CHARTS).flat();
    for (const proto of protocols) {
      const { dom, log } = await chromium(
        `${gw.url}/dashboard/?protocol=${encodeURIComponent(proto.id)}&interval=DAY&days=${WINDOW_DAYS}`,
      );
      const body = bodyData(dom);
      expect(body.state, `${proto.id}: page finished`).toBe("ready");
      expect(
        body.errors,
        `${proto.id}: errors shown: ${decode(dom.match(/class="error"[^>]*>[^<]*/g)?.join("\n") ?? "")}`,
      ).toBeUndefined();
      expect(body["csp-violations"]).toBeUndefined();
      expect(log).not.toMatch(/Content Security Policy/);

      const api = await gql<{ series: Series[] }>(
        gw.graphqlUrl,
        `query($p: [String!]!, $m: [String!]!, $from: String!, $to: String!) {
          series(protocols: $p, metrics: $m, interval: DAY, from: $from, to: $to) {
            protocol metric applicable points { timestamp date value partial note } } }`,
        { p: [proto.id], m: metrics, from, to },
      );
      expect(api.errors).toBeUndefined();
      const series = api.data?.series ?? [];
      let compared = 0;
      for (const [chart, names] of Object.entries(CHARTS)) {
        const html = card(dom, chart);
        const wanted = series.filter((s) => names.includes(s.metric));
        expect(wanted.length, `${proto.id} ${chart}`).toBe(names.length);
        // a chart none of whose metrics applies (Morpheus' yields) has no table: its card says why
        const cells = wanted.some((s) => s.applicable)
          ? table(dom, chart)
          : new Map<string, Map<string, string>>();
        for (const s of wanted) {
          if (!s.applicable) {
            // null for this protocol, never 0: no column, and the card says so
            expect(cells.has(s.metric), `${proto.id} ${s.metric} not applicable`).toBe(false);
            expect(decode(html)).toContain(`${s.metric}: does not apply to ${proto.name}`);
            continue;
          }
          const col = cells.get(s.metric);
          expect(col, `${proto.id} ${chart}: column ${s.metric}`).toBeDefined();
          expect(col?.size, `${proto.id} ${s.metric}: rows`).toBe(s.points.length);
          for (const p of s.points) {
            expectCell(`${proto.id} ${s.metric} ${p.date}`, col?.get(String(p.timestamp)), p);
            compared++;
          }
        }
        // Drawn: uPlot's canvas has pixels in the series' colours.
        const plot = /<div class="plot"[^>]*>/.exec(html)?.[0] ?? "";
        const drawable = wanted.some((s) => s.applicable && s.points.some((p) => p.value !== null));
        if (drawable) {
          expect(plot, `${proto.id} ${chart}: drawn`).toContain('data-drawn="true"');
          expect(
            Number(/data-series-pixels="(\d+)"/.exec(plot)?.[1] ?? 0),
            `${proto.id} ${chart}: pixels`,
          ).toBeGreaterThan(100);
          expect(html).toContain("<canvas");
        }
        // Its CSV links and its query.
        for (const s of wanted.filter((x) => x.applicable))
          expect(html).toContain(
            `href="/series.csv?protocol=${encodeURIComponent(proto.id)}&amp;metric=${s.metric}&amp;interval=DAY&amp;`,
          );
        expect(decode(html)).toContain("series(protocols: [");
      }
      expect(compared).toBeGreaterThan(100);

      // Scorecard strip and concentration: the scorecard's exact values.
      const sc = await gql<{
        scorecard: { lines: { metric: string; category: string; value: string | null }[] };
      }>(
        gw.graphqlUrl,
        "query($p: String!, $w: Int) { scorecard(protocol: $p, window: $w) { lines { metric category value } } }",
        { p: proto.id, w: WINDOW_DAYS },
      );
      expect(sc.errors).toBeUndefined();
      const lines = sc.data?.scorecard.lines ?? [];
      const conc = table(dom, "concentration");
      for (const l of lines) {
        if (l.category === "DECENTRALISATION") {
          const cell = conc.get(l.metric)?.get("");
          if (l.value === null) expect(cell?.startsWith("—")).toBe(true);
          else expect(cell, `${proto.id} ${l.metric}`).toBe(l.value);
        } else {
          const m = new RegExp(`<div class="score" data-metric="${l.metric}" data-value="([^"]*)"`).exec(dom);
          expect(m?.[1], `${proto.id} scorecard ${l.metric}`).toBe(l.value ?? "");
        }
      }
      expect(conc.has("nakamotoCoefficient") && conc.has("topOperatorShare")).toBe(true);
      await chromium(
        `${gw.url}/dashboard/?protocol=${encodeURIComponent(proto.id)}&interval=DAY&days=${WINDOW_DAYS}`,
        {
          screenshot: join(ARTIFACTS, `dashboard-${proto.id}-laptop.png`),
          width: 1280,
          height: 2300,
        },
      );
      expect(statSync(join(ARTIFACTS, `dashboard-${proto.id}-laptop.png`)).size).toBeGreaterThan(20_000);
    }
  });

  it("compares protocols; partial periods are marked as the API says", async () => {
    const url = `${gw.url}/dashboard/?view=compare&metric=inflationRate&interval=WEEK&days=${WINDOW_DAYS}`;
    const { dom } = await chromium(url);
    const body = bodyData(dom);
    expect(body.state).toBe("ready");
    expect(body.errors).toBeUndefined();
    const api = await gql<{
      compare: {
        series: Series[];
        window: { protocol: string; value: string | null; note: string | null }[];
      };
    }>(
      gw.graphqlUrl,
      `query($p: [String!]!, $from: String!, $to: String!) {
        compare(protocols: $p, metric: "inflationRate", interval: WEEK, from: $from, to: $to) {
          series { protocol metric applicable points { timestamp date value partial note } }
          window { protocol value note } } }`,
      { p: protocols.map((p) => p.id), from, to },
    );
    expect(api.errors).toBeUndefined();
    const series = api.data?.compare.series ?? [];
    expect(series.map((s) => s.protocol).sort()).toEqual(protocols.map((p) => p.id).sort());
    const cells = table(dom, "compare");
    for (const s of series) {
      for (const p of s.points)
        expectCell(`compare ${s.protocol} ${p.date}`, cells.get(s.protocol)?.get(String(p.timestamp)), p);
    }
    const partial = [
      ...new Set(series.flatMap((s) => s.points.filter((p) => p.partial).map((p) => p.timestamp))),
    ];
    expect(partialRows(dom, "compare").sort()).toEqual(partial.sort());
    const win = table(dom, "window");
    for (const w of api.data?.compare.window ?? []) {
      const cell = win.get(w.protocol)?.get("");
      if (w.value === null) expect(cell?.startsWith("—")).toBe(true);
      else expect(cell).toBe(w.value);
    }
    expect(card(dom, "compare")).toContain('data-drawn="true"');
    await chromium(url, {
      screenshot: join(ARTIFACTS, "dashboard-compare-laptop.png"),
      width: 1280,
      height: 1400,
    });
  });

  it("fits a phone's width", async () => {
    const url = `${gw.url}/dashboard/?protocol=${encodeURIComponent(protocols[0]?.id ?? "")}&days=${WINDOW_DAYS}`;
    const { dom } = await chromium(url, { width: 390, height: 3000 });
    const body = bodyData(dom);
    expect(body.state).toBe("ready");
    expect(body["overflow-x"]).toBe("false");
    await chromium(url, { screenshot: join(ARTIFACTS, "dashboard-phone.png"), width: 390, height: 3000 });
  });

  it("says what failed when the API refuses a request", async () => {
    // HOUR series are limited to 92 days: the API's own error, shown in each chart that asked.
    const days = 365;
    const { dom } = await chromium(
      `${gw.url}/dashboard/?protocol=${encodeURIComponent(protocols[0]?.id ?? "")}&interval=HOUR&days=${days}`,
    );
    const blockTs = Number(to);
    const api = await gql(
      gw.graphqlUrl,
      `{ series(protocols: ["${protocols[0]?.id}"], metrics: ["minted"], interval: HOUR, from: "${new Date((blockTs - days * DAY) * 1000).toISOString().slice(0, 10)}", to: "${to}") { metric } }`,
    );
    const message = api.errors?.[0]?.message ?? "";
    expect(message).not.toBe("");
    const errors = (dom.match(/<p class="error" role="alert">[^<]*/g) ?? []).map(decode);
    expect(
      errors.find((e) => e.startsWith("Minted vs burned, by cause (series query) failed: BAD_USER_INPUT")),
    ).toContain(message);
    expect(Number(bodyData(dom).errors)).toBeGreaterThan(0);
  });
});
