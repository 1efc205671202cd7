/** Exact decimal formatting of integer amounts in smallest units. */

/** `formatUnits(1500000000000000000n, 18)` → "1.5"; negative values keep their sign; no exponent, no rounding. */
export function formatUnits(raw: bigint, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0) throw new Error(`bad decimals ${decimals}`);
  const neg = raw < 0n;
  const abs = neg ? -raw : raw;
  if (decimals === 0) return `${neg ? "-" : ""}${abs}`;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${neg ? "-" : ""}${whole}${frac ? `.${frac}` : ""}`;
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
