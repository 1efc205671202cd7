/** Exact decimal formatting of integer amounts in smallest units. */

/** `formatUnits(1500000000000000000n, 18)` → "1.5"; negative values keep their sign; no exponent, no rounding. */
export function formatUnits(raw: bigint, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new Error(`bad decimals ${decimals}`);
  const neg = raw < 0n;
  const digits = (neg ? -raw : raw).toString();
  const sign = neg ? "-" : "";
  if (decimals === 0) return `${sign}${digits}`;
  // String arithmetic on the digits: the same result as dividing by 10^decimals, without BigInt division.
  const padded = digits.length > decimals ? digits : digits.padStart(decimals + 1, "0");
  const whole = padded.slice(0, padded.length - decimals);
  let end = padded.length;
  while (end > whole.length && padded.charCodeAt(end - 1) === 48) end -= 1;
  const frac = padded.slice(whole.length, end);
  return `${sign}${whole}${frac ? `.${frac}` : ""}`;
}

/** Inverse of formatUnits for exact decimal strings (tests, CSV round trips). */
export function parseUnits(text: string, decimals: number): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not a decimal: ${text}`);
  const frac = (m[3] ?? "").padEnd(decimals, "0");
  if (frac.length > decimals) throw new Error(`more than ${decimals} decimals: ${text}`);
  const v = BigInt((m[2] ?? "0") + frac);
  return m[1] === "-" ? -v : v;
}
