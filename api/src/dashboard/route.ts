/**
 * GET /dashboard: the built-in dashboard (docs/dashboard.md). Static ES modules from ./static and uPlot's
 * files from node_modules (resolved at run time, never copied), every response with a strict
 * Content-Security-Policy: the page loads nothing but these files and calls this gateway's own /graphql.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const STATIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "static");
const UPLOT_JS = require.resolve("uplot/dist/uPlot.iife.min.js");
const UPLOT_CSS = require.resolve("uplot/dist/uPlot.min.css");
const UPLOT_VERSION = (
  JSON.parse(readFileSync(join(dirname(UPLOT_JS), "..", "package.json"), "utf8")) as { version: string }
).version;

/** The versioned folder uPlot is served from (the page names it; a new version is a new URL). */
export const VENDOR_PREFIX = `/dashboard/vendor/uplot-${UPLOT_VERSION}/`;

/** No inline script or style, no other origin: everything comes from this gateway. */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
};

/** Where a dashboard path's bytes come from, or null (404). Only known names: no path is joined blindly. */
function resolve(pathname: string): { file: string; type: string; immutable: boolean } | null {
  if (pathname === "/dashboard" || pathname === "/dashboard/" || pathname === "/dashboard/index.html")
    return { file: join(STATIC_DIR, "index.html"), type: TYPES.html as string, immutable: false };
  if (pathname === `${VENDOR_PREFIX}uPlot.iife.min.js`)
    return { file: UPLOT_JS, type: TYPES.js as string, immutable: true };
  if (pathname === `${VENDOR_PREFIX}uPlot.min.css`)
    return { file: UPLOT_CSS, type: TYPES.css as string, immutable: true };
  const m = /^\/dashboard\/([a-z][a-z0-9-]*)\.(js|css|svg)$/.exec(pathname);
  if (!m) return null;
  return {
    file: join(STATIC_DIR, `${m[1]}.${m[2]}`),
    type: TYPES[m[2] as string] as string,
    immutable: false,
  };
}

/** True for the paths this module answers (GET /dashboard and everything under /dashboard/). */
export function isDashboardPath(pathname: string): boolean {
  return pathname === "/dashboard" || pathname.startsWith("/dashboard/");
}

/** Answers a GET under /dashboard; returns the HTTP status it sent. */
export async function serveDashboard(pathname: string, res: ServerResponse): Promise<number> {
  res.setHeader("content-security-policy", CSP);
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  const target = resolve(pathname);
  let body: Buffer | null = null;
  if (target) {
    try {
      body = await readFile(target.file);
    } catch {
      body = null;
    }
  }
  if (!target || !body) {
    res.statusCode = 404;
    res.setHeader("content-type", "text/plain; charset=utf-8");
    res.end("not found\n");
    return 404;
  }
  // The page names uPlot's versioned folder.
  if (target.type === TYPES.html)
    body = Buffer.from(body.toString("utf8").replaceAll("{{VENDOR}}", VENDOR_PREFIX));
  res.statusCode = 200;
  res.setHeader("content-type", target.type);
  res.setHeader("cache-control", target.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.end(body);
  return 200;
}
