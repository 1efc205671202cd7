/**
 * ETags of the HTTP routes: a hash of the route, the normalised request and the blocks every upstream was
 * read at (RequestContext.blocksKey: number and hash per upstream), so the tag of a question is known before
 * computing its answer, and a new block (or a reorg: another hash) gives a new tag. Weak tags (`W/"…"`): the
 * same answer is sent gzip-compressed or not.
 */
import { createHash } from "node:crypto";

export function etagOf(...parts: readonly string[]): string {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\u0000");
  return `W/"${h.digest("base64url").slice(0, 27)}"`;
}

/** Whether an If-None-Match header matches a tag (weak comparison, RFC 9110 13.1.2; `*` matches any). */
export function noneMatchHits(header: string | string[] | undefined, tag: string): boolean {
  if (header === undefined) return false;
  const text = Array.isArray(header) ? header.join(",") : header;
  const opaque = (t: string) => t.trim().replace(/^W\//, "");
  const want = opaque(tag);
  return text.split(",").some((t) => t.trim() === "*" || opaque(t) === want);
}
