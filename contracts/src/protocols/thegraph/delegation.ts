/**
 * The Graph's delegators: delegate (legacy: the 0.5% tax burned; Horizon: to the SubgraphService provision),
 * undelegate (legacy: shares, locked until an epoch; Horizon: a thaw request for GRAPH_THAW_DAYS), withdraw, and
 * move to another indexer (legacy withdrawDelegated to a new indexer; Horizon redelegate).
 */
import { DAY, ZERO } from "../../ledger.js";
import { type GraphSim, type GrDelegator, type Indexer, sumOf, tokens } from "./sim.js";

/** Days a Horizon thaw request lasts. */
const GRAPH_THAW_DAYS = 3;

/** One delegator's decision of the day (`joining`: its first day). */
export async function delegatorDay(s: GraphSim, d: GrDelegator, joining: boolean): Promise<void> {
  const r = s.rng;
  const horizon = s.day() >= s.horizonSwitchDay;
  const g = s.ctx;
  const staking = g.staking;
  const ss = s.addr.SubgraphService.toLowerCase();
  if (d.thawing) {
    const t = d.thawing;
    const ready = t.legacy ? s.epochOf(s.host.block()) >= t.untilEpoch : s.day() >= t.readyDay;
    if (!ready) return;
    d.thawing = null;
    // a delegator that undelegated everything sometimes moves it to another indexer instead (before the
    // switch: withdrawDelegated to the new indexer, real; after it: HorizonStaking.redelegate)
    const others = s.indexers.filter((ix) => ix.addr !== t.indexer);
    const kind = t.legacy ? "legacy" : "horizon";
    const draw = r.next() < 0.3 || !s.redelegated.has(kind); // the first chance of each kind is taken
    if (d.delegated === 0n && others.length > 0 && draw && (!t.legacy || !horizon)) {
      s.redelegated.add(kind);
      const to = (r.pick(others) as Indexer).addr;
      d.indexer = to;
      if (!t.legacy) {
        await s.action(() => {
          s.call(
            "GraphHorizonStaking",
            "horizonRedelegate",
            [t.indexer, ss, to, d.addr, t.tokens, t.tokens, t.until, s.thawRequestId(d, t.indexer), t.tokens],
            null,
          );
          d.thawNonce++;
          // a move between operators: no flow, no activity (docs/methodology.md, Counts)
          s.gr.opDelta(t.indexer, -t.tokens);
          s.gr.opDelta(to, t.tokens);
          s.gr.principalDelta(t.indexer, d.addr, -t.tokens);
          s.gr.principalDelta(to, d.addr, t.tokens);
          s.gr.touch();
          d.delegated = t.tokens;
        });
        return;
      }
      await s.action(
        () =>
          s.direct(
            d.addr,
            staking,
            g.abi.staking,
            "withdrawDelegated",
            [t.indexer, to],
            "Staking.withdrawDelegated",
          ),
        (ev) => {
          // StakeDelegatedWithdrawn at the old indexer, the 0.5% tax burned, StakeDelegated at the new one
          s.principal(t.indexer, d.addr, -sumOf(ev, "StakeDelegatedWithdrawn", "tokens"));
          const delegated = sumOf(ev, "StakeDelegated", "tokens");
          s.principal(to, d.addr, delegated);
          d.delegated = delegated;
        },
      );
      return;
    }
    await s.action(() => {
      s.plan(staking, d.addr, t.tokens);
      if (!t.legacy) {
        // A Horizon thaw request: ThawRequestFulfilled, ThawRequestsFulfilled, the Transfer,
        // DelegatedTokensWithdrawn.
        s.call(
          "GraphHorizonStaking",
          "horizonWithdrawDelegated",
          [t.indexer, ss, d.addr, t.tokens, t.tokens, t.until, s.thawRequestId(d, t.indexer)],
          null,
        );
        d.thawNonce++;
        s.horizonOn();
      } else if (horizon) {
        // tokens undelegated before Horizon: HorizonStaking's legacy withdrawDelegated
        s.call("GraphHorizonStaking", "withdrawDelegatedLegacy", [t.indexer, d.addr], null);
      } else
        s.direct(
          d.addr,
          staking,
          g.abi.staking,
          "withdrawDelegated",
          [t.indexer, ZERO],
          "Staking.withdrawDelegated",
        );
      s.principal(t.indexer, d.addr, -t.tokens);
      if (d.delegated === 0n) d.indexer = null;
    });
    return;
  }
  const delegate = (amount: bigint) => {
    const indexer = d.indexer ?? s.pickIndexer().addr;
    d.indexer = indexer;
    return s.action(
      () => {
        s.topUp(d.addr, amount, tokens(20_000));
        s.approve(d.addr, staking);
        s.plan(d.addr, staking, amount);
        if (horizon) {
          s.call("GraphHorizonStaking", "horizonDelegate", [indexer, ss, d.addr, amount, amount], null);
          s.horizonOn();
          s.principal(indexer, d.addr, amount);
          d.delegated += amount;
        } else s.direct(d.addr, staking, g.abi.staking, "delegate", [indexer, amount], "Staking.delegate");
      },
      horizon
        ? undefined
        : (ev) => {
            // StakingExtension._delegate: the 0.5% tax burned, StakeDelegated(tokens - tax)
            const delegated = sumOf(ev, "StakeDelegated", "tokens");
            s.principal(indexer, d.addr, delegated);
            d.delegated += delegated;
          },
    );
  };
  const liquid = s.bal(d.addr);
  if (!d.indexer) {
    if (joining || r.next() < 0.1)
      await delegate(
        liquid > tokens(2_000) ? (liquid * BigInt(r.int(40, 100))) / 100n : tokens(r.int(20_000, 2_000_000)),
      );
    return;
  }
  const u = r.next();
  if (u < 0.4) await delegate(tokens(Math.min(100_000_000, r.pareto(20_000, 1.2))));
  else if (u < 0.7 && d.delegated > 0n) {
    const indexer = d.indexer;
    const all = r.next() < 0.4;
    const pct = BigInt(r.int(10, 60));
    if (horizon) {
      const amount = all ? d.delegated : (d.delegated * pct) / 100n;
      const until = BigInt(s.gr.now + GRAPH_THAW_DAYS * DAY);
      await s.action(() => {
        s.call(
          "GraphHorizonStaking",
          "horizonUndelegate",
          [indexer, ss, d.addr, amount, amount, until, s.thawRequestId(d, indexer), BigInt(d.thawNonce)],
          null,
        );
        s.gr.touch();
      });
      d.delegated -= amount;
      d.thawing = {
        indexer,
        tokens: amount,
        readyDay: s.day() + GRAPH_THAW_DAYS,
        legacy: false,
        until,
        untilEpoch: 0n,
      };
      return;
    }
    // StakingExtension.undelegate takes shares: the pool converts them to tokens (its growth included)
    const shares = await g.readDelegationShares(indexer, d.addr);
    const undelegateShares = all ? shares : (shares * pct) / 100n;
    if (undelegateShares === 0n) return;
    const thawing: NonNullable<GrDelegator["thawing"]> = {
      indexer,
      tokens: 0n,
      readyDay: s.day(),
      legacy: true,
      until: 0n,
      untilEpoch: 0n,
    };
    d.thawing = thawing;
    await s.action(
      () => {
        s.direct(
          d.addr,
          staking,
          g.abi.staking,
          "undelegate",
          [indexer, undelegateShares],
          "Staking.undelegate",
        );
        s.gr.touch();
      },
      (ev) => {
        const locked = ev.find((e) => e.event === "StakeDelegatedLocked");
        if (!locked) throw new Error(`undelegate of ${d.addr}: no StakeDelegatedLocked`);
        thawing.tokens = locked.args.tokens as bigint;
        thawing.untilEpoch = locked.args.until as bigint;
        // principal left: what the shares were worth, at most the principal (floored, docs/metrics.md)
        d.delegated = all ? 0n : d.delegated > thawing.tokens ? d.delegated - thawing.tokens : 0n;
      },
    );
  }
}
