/**
 * The Graph's indexers: stake, allocations and their rewards, slashes, and the switch to Horizon. The real legacy
 * contracts (per-actor transactions), then the Horizon emitters behind the same proxies (SimHub calls). Each
 * action's stake bookkeeping runs at draft time when its amounts are the simulator's, or in its settle step from
 * its own decoded logs when the contracts compute them.
 */
import { type Abi, encodeFunctionData, type Hex, keccak256, toHex } from "viem";
import { ZERO } from "../../ledger.js";
import { allocationKey, allocationProof } from "./actions.js";
import {
  type Addr,
  type GraphSim,
  INDEXING_FEE,
  INDEXING_REWARDS,
  type Indexer,
  lc,
  PPM,
  QUERY_FEE,
  sumOf,
  tokens,
  ZERO_BYTES32,
} from "./sim.js";
import type { GraphEvent } from "./simctx.js";

/** An indexer stakes: legacy Staking.stake by the indexer, or the Horizon emitter's stake (horizonStake). */
export function stake(s: GraphSim, indexer: Addr, amount: bigint, horizon: boolean): Promise<void> {
  return s.action(() => {
    const g = s.ctx;
    s.topUp(indexer, amount, tokens(10_000));
    s.approve(indexer, g.staking);
    s.plan(indexer, g.staking, amount);
    if (horizon) {
      s.call("GraphHorizonStaking", "horizonStake", [indexer, amount], null);
      s.horizonOn();
    } else s.direct(indexer, g.staking, g.abi.staking, "stake", [amount], "Staking.stake");
    s.principal(indexer, indexer, amount);
  });
}

/**
 * An indexer takes stake out. Legacy: `unstake` locks it (StakeLocked) for the thawing period, `withdraw`
 * pays it out later (StakeWithdrawn); only while the lock ends well before the Horizon switch. Horizon: the
 * provider's idle stake is withdrawn at once (HorizonStakeWithdrawn).
 */
function unstake(s: GraphSim, ix: Indexer, amount: bigint, horizon: boolean): Promise<void> {
  return s.action(() => {
    const g = s.ctx;
    if (horizon) {
      s.plan(g.staking, ix.addr, amount);
      s.call("GraphHorizonStaking", "horizonWithdraw", [ix.addr, amount], null);
      s.horizonOn();
      s.principal(ix.addr, ix.addr, -amount);
      return;
    }
    s.direct(ix.addr, g.staking, g.abi.staking, "unstake", [amount], "Staking.unstake");
    ix.locked = { tokens: amount, untilBlock: s.host.block() + Number(g.thawingPeriod) };
    s.gr.touch();
  });
}

function withdrawLocked(s: GraphSim, ix: Indexer): Promise<void> {
  const amount = ix.locked?.tokens ?? 0n;
  ix.locked = null;
  const g = s.ctx;
  return s.action(
    () => {
      s.plan(g.staking, ix.addr, amount);
      s.direct(ix.addr, g.staking, g.abi.staking, "withdraw", [], "Staking.withdraw");
    },
    (ev) => s.principal(ix.addr, ix.addr, -sumOf(ev, "StakeWithdrawn", "tokens")),
  );
}

/** An indexer's stake decision of the day: withdraw a finished lock, stake more, or unstake some. */
export async function indexerStake(s: GraphSim, ix: Indexer, horizon: boolean): Promise<void> {
  const r = s.rng;
  if (ix.locked) {
    if (s.host.block() >= ix.locked.untilBlock && !horizon) await withdrawLocked(s, ix);
    return;
  }
  const staked = s.gr.stakeOf(ix.addr);
  if (r.next() < 0.6) await stake(s, ix.addr, tokens(r.int(1_000_000, 40_000_000)), horizon);
  // a legacy unstake only while its thawing ends (≈3.3 days) well before the switch
  else if (staked > 0n && (horizon || s.day() + 6 < s.horizonSwitchDay))
    await unstake(s, ix, (staked * BigInt(r.int(1, 15))) / 100n, horizon);
}

/** A new allocation of half the indexer's own stake on its deployment: legacy allocateFrom, or the SubgraphService's. */
export async function allocate(s: GraphSim, ix: Indexer, horizon: boolean): Promise<void> {
  ix.allocationCount++;
  const key = allocationKey(`${ix.addr}:${ix.allocationCount}`);
  const allocation = key.address.toLowerCase();
  const tokensAllocated = s.gr.stakeOf(ix.addr) / 2n;
  const proof = horizon ? null : await allocationProof(ix.addr as Hex, key);
  const g = s.ctx;
  await s.action(() => {
    if (horizon)
      s.call("SubgraphService", "startService", [ix.addr, allocation, ix.deployment, tokensAllocated], null);
    else
      s.direct(
        ix.addr,
        g.staking,
        g.abi.staking,
        "allocateFrom",
        [ix.addr, ix.deployment, tokensAllocated, allocation, ZERO_BYTES32, proof],
        "Staking.allocateFrom",
      );
  });
  ix.allocation = allocation;
  ix.allocatedDay = s.day();
  ix.allocatedEpoch = s.epochOf(s.host.block());
  ix.legacyAllocation = !horizon;
}

/**
 * Staking.closeAllocation with a POI (legacy): RewardsManager.takeRewards mints the rewards to the staking
 * contract (RewardsAssigned; HorizonRewardsAssigned from 7.2.1's RewardsManager), the delegators' share joins
 * the pool without an event, the indexer's is restaked (StakeDeposited) or pushed to its rewards destination,
 * then AllocationClosed. The amounts are the contracts': the settle step reads them from the logs.
 */
function legacyClose(s: GraphSim, ix: Indexer, reallocate: boolean): Promise<void> {
  const allocation = ix.allocation as Addr;
  ix.allocation = null;
  const g = s.ctx;
  const poi = keccak256(toHex(`${allocation}:${s.day()}`));
  return s.action(
    async () => {
      s.direct(
        ix.addr,
        g.staking,
        g.abi.staking,
        "closeAllocation",
        [allocation, poi],
        "Staking.closeAllocation",
      );
      if (reallocate) await allocate(s, ix, false);
    },
    (ev) => settleRewards(s, ix, ev, "StakeDeposited"),
  );
}

/** Rewards of a close: the indexer's part restaked (`restakeEvent`) or paid out, the rest the pool's. */
function settleRewards(s: GraphSim, ix: Indexer, ev: GraphEvent[], restakeEvent: string): void {
  const total = sumOf(ev, "RewardsAssigned", "amount") + sumOf(ev, "HorizonRewardsAssigned", "amount");
  const indexerKey = restakeEvent === "StakeDeposited" ? "indexer" : "serviceProvider";
  const restaked = sumOf(ev, restakeEvent, "tokens", (e) => lc(e.args[indexerKey]) === ix.addr);
  const paidOut = ix.destination
    ? sumOf(ev, "Transfer", "value", (e) => e.contract === "L2GraphToken" && lc(e.args.to) === ix.destination)
    : 0n;
  const pool = total - restaked - paidOut;
  if (pool < 0n)
    throw new Error(`rewards of ${ix.addr}: ${total} minted, ${restaked + paidOut} to the indexer`);
  s.credit(ix.addr, restaked + pool);
}

/**
 * An indexer closes its allocation and opens the next one on the same deployment in the same block (no block
 * without an allocation: every signalled deployment's rewards are minted). Legacy: above. Horizon: the
 * SubgraphService presents the POI (AllocationManager._presentPOI: takeRewards mints to it,
 * HorizonRewardsAssigned; the delegators' cut to the pool, TokensToDelegationPoolAdded; the indexer's to its
 * provision, HorizonStakeDeposited + ProvisionIncreased, or to its payments destination), closes it, and
 * starts the next.
 */
export async function closeAllocation(s: GraphSim, ix: Indexer): Promise<void> {
  if (!ix.allocation) return;
  if (ix.legacyAllocation) {
    // Staking._closeAllocation requires at least one epoch since the allocation was created
    if (s.epochOf(s.host.block()) <= ix.allocatedEpoch) return;
    await legacyClose(s, ix, true);
    return;
  }
  const allocation = ix.allocation;
  await s.action(
    async () => {
      const pool = s.hasDelegation(ix.addr);
      s.call(
        "SubgraphService",
        "presentPOI",
        [allocation, ix.feeCut[INDEXING_REWARDS], pool, ix.destination ?? ZERO],
        null,
      );
      s.call("SubgraphService", "closeAllocation", [allocation], null);
      await allocate(s, ix, true);
    },
    (ev) => settleRewards(s, ix, ev, "HorizonStakeDeposited"),
  );
}

/**
 * The Horizon switch, as on Arbitrum One: the open legacy allocations are closed first (the simulator closes
 * them; the real transition let them run), the governor upgrades the staking proxy to the Horizon
 * implementation and the RewardsManager proxy to 7.2.1's (HorizonRewardsAssigned), and sets the
 * SubgraphService on the RewardsManager and Curation; then the first Horizon staking event, every indexer's
 * delegation fee cuts (the delegators' share per payment type, from its legacy cuts), and a SubgraphService
 * allocation per indexer.
 */
export async function horizonSwitch(s: GraphSim): Promise<void> {
  const g = s.ctx;
  for (const ix of s.indexers) if (ix.allocation) await legacyClose(s, ix, false);
  await s.action(() => {
    const admin = (fn: string, args: unknown[]) =>
      s.direct(g.governor, g.proxyAdmin, g.abi.proxyAdmin, fn, args, `GraphProxyAdmin.${fn}`);
    admin("upgrade", [g.staking, g.horizonStakingImpl]);
    const init = encodeFunctionData({
      abi: s.abi.GraphHorizonStaking as Abi,
      functionName: "initializeSim",
      args: [s.simOwner, [s.hub, s.graphPayments, s.addr.SubgraphService]],
    });
    admin("acceptProxyAndCall", [g.horizonStakingImpl, g.staking, init]);
    admin("upgrade", [g.rewardsManager, g.rewardsManagerHorizonImpl]);
    admin("acceptProxy", [g.rewardsManagerHorizonImpl, g.rewardsManager]);
    s.direct(
      g.governor,
      g.rewardsManager,
      g.abi.rewards,
      "setSubgraphService",
      [s.addr.SubgraphService],
      "RewardsManager.setSubgraphService",
    );
    s.direct(
      g.governor,
      g.curation,
      g.abi.curation,
      "setSubgraphService",
      [s.addr.SubgraphService],
      "L2Curation.setSubgraphService",
    );
  });
  await stake(s, (s.indexers[0] as Indexer).addr, tokens(2_000_000), true);
  await s.action(() => {
    for (const ix of s.indexers) {
      ix.feeCut = [PPM - ix.queryFeeCut, PPM - ix.queryFeeCut, PPM - ix.indexingRewardCut];
      for (const type of [QUERY_FEE, INDEXING_FEE, INDEXING_REWARDS])
        s.call(
          "GraphHorizonStaking",
          "setDelegationFeeCut",
          [ix.addr, s.addr.SubgraphService, type, ix.feeCut[type] as bigint],
          null,
        );
    }
    s.gr.touch();
  });
  for (const ix of s.indexers) await allocate(s, ix, true);
}

export function legacySlash(s: GraphSim, indexer: Addr): Promise<void> {
  const amount = (s.gr.stakeOf(indexer) * 2n) / 100n;
  const reward = amount / 2n;
  const g = s.ctx;
  return s.action(
    () => {
      s.plan(g.staking, s.fisherman, reward);
      s.direct(
        g.slasher,
        g.staking,
        g.abi.staking,
        "slash",
        [indexer, amount, reward, s.fisherman],
        "Staking.slash",
      );
    },
    (ev) => {
      const e = ev.find((x) => x.event === "StakeSlashed");
      if (!e) throw new Error(`slash of ${indexer}: no StakeSlashed`);
      const t = e.args.tokens as bigint;
      s.gr.slash(indexer, t, e.args.reward as bigint);
      s.gr.principalDelta(indexer, indexer, -t);
    },
  );
}

/**
 * HorizonStaking.slash by the verifier: the provision first (the verifier's cut pushed with
 * VerifierTokensSent, the rest burned, ProvisionSlashed), then what the provision did not cover from the
 * delegation pool, burned (DelegationSlashed). The simulated provision slash is 0.5% of the indexer's own
 * stake; the slash asks for as much again from the pool (1% of its active delegation at most).
 */
export function horizonSlash(s: GraphSim, indexer: Addr): Promise<void> {
  return s.action(() => {
    const l = s.gr;
    const amount = (l.stakeOf(indexer) * 5n) / 1000n;
    const toVerifier = amount / 4n;
    let pool = 0n;
    for (const d of s.delegators) if (d.indexer === indexer) pool += d.delegated;
    const fromPool = pool / 100n < amount ? pool / 100n : amount;
    s.plan(s.ctx.staking, s.fisherman, toVerifier);
    s.call(
      "GraphHorizonStaking",
      "horizonSlash",
      [indexer, s.addr.SubgraphService, amount, toVerifier, s.fisherman, fromPool],
      null,
    );
    s.horizonOn();
    // VerifierTokensSent: the verifier's part is not burned; ProvisionSlashed and DelegationSlashed: all of it
    l.slash(indexer, amount + fromPool, toVerifier);
    l.principalDelta(indexer, indexer, -amount); // the delegators' principal is kept (docs/methodology.md)
  });
}
