/**
 * gzip for the HTTP routes, when the request's Accept-Encoding allows it (node:zlib, on libuv's thread pool:
 * the event loop does not wait for a large answer to be compressed).
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";

const gzipAsync = promisify(gzip);

/** Bodies smaller than this are sent as they are: compressing them saves nothing worth the work. */
export const MIN_GZIP_BYTES = 1024;

/**
 * Whether Accept-Encoding allows gzip: `gzip` (or `x-gzip`) with a q-value above 0, or else `*` above 0
 * (RFC 9110 12.5.3: `gzip;q=0` refuses it even when `*` is allowed).
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(",") : header;
  let gz: number | null = null;
  let any: number | null = null;
  for (const part of text.split(",")) {
    const [name = "", ...params] = part.split(";");
    const coding = name.trim().toLowerCase();
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (Number.isNaN(q)) q = 0;
    if (coding === "gzip" || coding === "x-gzip") gz = Math.max(gz ?? 0, q);
    else if (coding === "*") any = q;
  }
  return (gz ?? any ?? 0) > 0;
}

/** The body to send and its Content-Encoding (null: as it is). */
export async function encodeBody(
  body: string | Buffer,
  acceptEncoding: string | string[] | undefined,
): Promise<{ body: Buffer; encoding: "gzip" | null }> {
  const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  if (bytes.length < MIN_GZIP_BYTES || !acceptsGzip(acceptEncoding)) return { body: bytes, encoding: null };
  return { body: await gzipAsync(bytes), encoding: "gzip" };
}
