/**
 * The scorecard query: checks the window, reads a protocol's daily buckets (twice the window, at least 180 days,
 * for the trends), the window's distinct payers and the operators' stakes at the block, and builds the lines
 * (lines.ts).
 */
import type { RequestContext } from "../core/context.js";
import { badInput } from "../core/errors.js";
import type { ProtocolRef } from "../core/protocols.js";
import { big, loadDense } from "../series/dense.js";
import { DAY, periodStart } from "../series/rollup.js";
import { buildScorecard, type Scorecard } from "./lines.js";

export const MAX_SCORECARD_WINDOW = 365;

/** Operators' stakes at the snapshot block. */
async function operatorStakes(ctx: RequestContext, ref: ProtocolRef): Promise<bigint[]> {
  const rows = await ctx.loadEach(ref, { kind: "operators", protocol: ref.protocol.id });
  return rows.map((r) => big(r.totalStake));
}

export async function computeScorecard(
  ctx: RequestContext,
  protocolId: string,
  windowDays: number,
): Promise<Scorecard> {
  if (!Number.isInteger(windowDays) || windowDays < 1)
    throw badInput("window", "window must be a positive number of days");
  if (windowDays > MAX_SCORECARD_WINDOW)
    throw badInput("window", `window too large: at most ${MAX_SCORECARD_WINDOW} days`);
  const ref = await ctx.resolve(protocolId, "protocol");
  const end = periodStart(ref.snapshot.block.timestamp, "DAY");
  const span = Math.max(2 * windowDays, 180);
  const fetchFrom = end - span * DAY;
  const winFrom = end - windowDays * DAY;
  const [data, payerRows, stakes] = await Promise.all([
    loadDense(ctx, ref, new Set(["token", "fee"]), "DAY", fetchFrom, end),
    ctx.loadEach(ref, { kind: "payers", protocol: ref.protocol.id, from: winFrom, to: end }),
    operatorStakes(ctx, ref),
  ]);
  return buildScorecard(ref, data.dense, windowDays, end, payerRows, stakes, protocolId);
}
