/** The routes' text formats: RFC 4180 CSV and JSON arrays of row objects (exact decimals stay strings). */

export type Cell = string | number | boolean | null;

function csvCell(v: Cell): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** RFC 4180 text: a header line, then one line per row; null is an empty cell. */
export function csvText<C extends string>(columns: readonly C[], rows: readonly Record<C, Cell>[]): string {
  const lines = [columns.join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return `${lines.join("\n")}\n`;
}

/** A JSON array of row objects, one row per line (null stays null; exact decimals stay strings). */
export function jsonText(rows: readonly object[]): string {
  if (rows.length === 0) return "[]\n";
  return `[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`;
}
