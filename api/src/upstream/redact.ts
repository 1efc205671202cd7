/**
 * Redaction of secrets in upstream URLs before they reach logs, errors or the `status` query.
 * Gateway URLs carry API keys as path segments (`/api/<key>/subgraphs/id/<id>`) or query strings.
 */

/** IPFS deployment hashes are public identifiers, not secrets. */
const IPFS_HASH = /^Qm[1-9A-HJ-NP-Za-km-z]{44}$/;

/** True when a path segment looks like an API key or token rather than a word. */
export function looksLikeKey(segment: string): boolean {
  if (IPFS_HASH.test(segment)) return false;
  if (segment.length < 16) return false;
  if (!/^[A-Za-z0-9_\-.~]+$/.test(segment)) return false;
  const digits = (segment.match(/[0-9]/g) ?? []).length;
  // Long mixed letter/digit runs (hex keys, base58/base64url tokens); plain long words stay readable.
  return digits >= 2 || /^[0-9a-fA-F]{16,}$/.test(segment);
}

/**
 * Returns the URL with userinfo, query string and fragment removed and every key-like path segment
 * (and any segment right after `/api/`) replaced by `***`. Never throws: unparsable input becomes `<invalid url>`.
 */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "<invalid url>";
  }
  const segments = url.pathname.split("/");
  const out = segments.map((seg, i) => {
    if (seg === "") return seg;
    if (segments[i - 1] === "api" || looksLikeKey(seg)) return "***";
    return seg;
  });
  const auth = url.username || url.password ? "***@" : "";
  const query = url.search ? "?***" : "";
  return `${url.protocol}//${auth}${url.host}${out.join("/")}${query}`;
}

/** Replaces every occurrence of the given secret URLs in a free text (e.g. an error message) by their redacted form. */
export function redactText(text: string, urls: readonly string[]): string {
  let result = text;
  for (const u of urls) {
    if (u) result = result.split(u).join(redactUrl(u));
  }
  return result;
}
