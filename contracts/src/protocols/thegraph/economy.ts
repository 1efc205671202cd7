/**
 * The Graph on Arbitrum One (docs/protocols/thegraph.md): the real legacy protocol from npm (@graphprotocol/contracts
 * bytecode behind its proxies), then Horizon from the switch day (the Horizon emitters behind the same proxies).
 * Indexers stake, allocate and close allocations with rewards, delegators delegate, undelegate, withdraw and move,
 * gateways pay query and indexing fees, curators signal, GRT is bridged in and out and changes hands; an indexer is
 * slashed once in each period.
 *
 * Its epochs start at its own genesis (sim.ts anchorEpochs) and count the host's calendar blocks, its thaws and
 * rounds are in time, its price source is its own GRT/USD feed (its own path): its history is the same with or
 * without any other protocol.
 *
 * The ledger is booked from the receipts where the contracts compute the amounts (every GRT Transfer, bridge
 * burns, curation tax, rewards; each action's settle step reads its own logs), and at draft time where the amounts
 * are the simulator's; the USD values of fees, emission and burns from the receipts with the host's prices.
 */
import { type ProtocolLedger, ZERO } from "../../ledger.js";
import { planPriceUpdates } from "../../prices.js";
import type { ChainLog, DeployedContract, Deployer, Economy, EconomyTruth, Push, SimHost } from "../types.js";
import { delegatorDay } from "./delegation.js";
import { deployTheGraph } from "./deployment.js";
import { bridgeBurn, bridgeMint, payment, rebate, signal } from "./market.js";
import { type Addr, dayWithBlocks, E18, GraphSim, lc, tokens } from "./sim.js";
import type { GraphEvent } from "./simctx.js";
import {
  allocate,
  closeAllocation,
  horizonSlash,
  horizonSwitch,
  indexerStake,
  legacySlash,
  stake,
} from "./staking.js";

const DEAD = "0x000000000000000000000000000000000000dead";

/** Events of The Graph's contracts the subgraph handles (subgraph/scripts/datasources.ts): their hours have rows. */
const GRAPH_HANDLED = new Set([
  "StakeDeposited",
  "StakeWithdrawn",
  "StakeDelegated",
  "StakeDelegatedWithdrawn",
  "StakeSlashed",
  "RebateCollected",
  "DelegationParametersUpdated",
  "HorizonStakeDeposited",
  "HorizonStakeWithdrawn",
  "TokensDelegated",
  "DelegatedTokensWithdrawn",
  "ThawRequestsFulfilled",
  "ProvisionSlashed",
  "VerifierTokensSent",
  "DelegationSlashed",
  "TokensToDelegationPoolAdded",
  "DelegationFeeCutSet",
  "GraphPaymentCollected",
]);

export default function createTheGraphEconomy(): Economy {
  return new TheGraphEconomy();
}

class TheGraphEconomy implements Economy {
  readonly slug = "thegraph";

  private host!: SimHost;
  private s!: GraphSim;
  // schedule of the forced events
  private legacySlashDay = 0;
  private horizonSlashDay = -1;

  /** The legacy protocol, the Horizon emitters and its GRT/USD feed (deployment.ts); no part on a second network. */
  deploy(d: Deployer) {
    return deployTheGraph(d);
  }

  attach(
    host: SimHost,
    contracts: Record<string, DeployedContract>,
    simulator: Record<string, string> | undefined,
  ): void {
    this.host = host;
    this.s = new GraphSim(host, contracts, simulator);
    const days = host.days;
    const sw = this.s.horizonSwitchDay;
    // the slashes on days with blocks (the host's calendar): one in each period
    this.legacySlashDay = dayWithBlocks(
      host,
      Math.min(days - 1, Math.max(3, Math.floor(Math.min(sw, days) * 0.6))),
    );
    this.horizonSlashDay = dayWithBlocks(
      host,
      sw < days ? Math.min(days - 1, sw + Math.floor((days - sw) / 2)) : -1,
    );
  }

  async prepare(): Promise<void> {
    await this.s.ctx.init();
  }

  // -------------------------------------------------------------------------------------------------
  // The day's plan

  plan(d: number, nb: number, push: Push): void {
    const s = this.s;
    const r = s.rng;
    // every action sets the ledger's clock to the block being drafted
    const at = (block: number, prio: number, run: () => void | Promise<void>): void =>
      push(block, prio, () => {
        s.gr.now = this.host.now();
        return run();
      });
    const anyBlock = () => r.int(0, nb - 1);
    const sw = s.horizonSwitchDay;

    if (d === 0) at(0, 0, () => this.genesis());
    if (d === sw) at(0, 0, () => horizonSwitch(s));
    // its price source: 2 to 6 answers of the GRT/USD feed a day
    planPriceUpdates(s.grtUsd, nb, at, (n) => s.transmit(n));
    const horizon = d >= sw;
    for (const ix of s.indexers) {
      const daysOpen = d - ix.allocatedDay;
      const slashDay = (d === this.legacySlashDay || d === this.horizonSlashDay) && ix === s.indexers[0];
      // no legacy close the day before the switch: the switch closes every legacy allocation an epoch later
      const beforeSwitch = d === sw - 1;
      if (slashDay || (daysOpen >= 1 && !beforeSwitch && r.next() < 0.45)) {
        const b = slashDay ? 0 : anyBlock();
        if (!beforeSwitch) at(b, 2, () => closeAllocation(s, ix));
        if (slashDay) at(b, 3, () => (horizon ? horizonSlash(s, ix.addr) : legacySlash(s, ix.addr)));
      }
      if (r.next() < 0.05 || (ix.locked && r.next() < 0.5))
        at(anyBlock(), 4, () => indexerStake(s, ix, horizon));
    }
    for (const del of s.delegators) {
      if (d >= del.joinDay && (d === del.joinDay || r.next() < (del.thawing ? 0.5 : 0.15)))
        at(anyBlock(), 4, () => delegatorDay(s, del, d === del.joinDay));
    }
    for (const g of s.gateways) {
      if (d < g.joinDay) continue;
      let n = 0;
      if (r.next() < Math.min(0.95, 0.4 + 0.1 * g.weight)) n = 1 + Math.floor(r.next() * 4 * g.weight);
      if (g === s.gateways[0] && d <= 2) n = Math.max(n, d === 1 ? 2 : 1);
      for (let i = 0; i < n; i++)
        at(anyBlock(), 6, () => (horizon ? payment(s, 0, g.addr) : rebate(s, g.addr)));
      const forcedType1 = d === sw && g === s.gateways[0];
      if (horizon && (forcedType1 || r.next() < 0.15)) at(anyBlock(), 6, () => payment(s, 1, g.addr));
    }
    for (const c of s.curators) if (r.next() < 0.12) at(anyBlock(), 7, () => signal(s, c));
    if (d === 1 || r.next() < 0.08) at(anyBlock(), 7, () => bridgeMint(s));
    if (d === 2 || r.next() < 0.06) at(anyBlock(), 7, () => bridgeBurn(s));
    const nTransfers = r.int(2, 10);
    for (let i = 0; i < nTransfers; i++)
      at(anyBlock(), 8, () => s.action(() => s.randomTransfers(r.int(1, 4))));
    if (d === 1) at(anyBlock(), 8, () => s.action(() => s.zeroTransfer()));
  }

  /**
   * Wall-clock mode: its feed's answer when the price sources answer, GRT transfers and a query fee (a rebate before
   * the switch, a payment after it) per block.
   */
  async realtime(n: number): Promise<void> {
    const s = this.s;
    s.gr.now = this.host.now();
    const perDay = this.host.priceTick(n);
    if (perDay !== null) {
      this.host.beginAction();
      s.transmit(perDay);
    }
    await s.action(() => s.randomTransfers(2));
    const gw = s.rng.pick(s.gateways).addr;
    await (s.gr.horizonActive ? payment(s, 0, gw) : rebate(s, gw));
  }

  // -------------------------------------------------------------------------------------------------
  // Genesis: token distribution and initial stake (day 0, 00:00:00)

  private async genesis(): Promise<void> {
    const s = this.s;
    const r = s.rng;
    const g = s.ctx;
    // its epoch clock starts here, and its price source with the path's first price
    await s.anchorEpochs();
    s.transmit(1, s.grtUsd.value);
    // Sizes calibrated to the real network (docs/simulator.md, "Calibration"): each of the few simulated operators
    // and delegators holds what a group of real ones holds. ≈10.8 B GRT at genesis, ≈26% staked. All GRT on
    // Arbitrum One arrives through the gateway (bridgeMint); indexers stake (the first stake sets the default
    // delegation parameters), set theirs and a rewards destination; curators signal on each indexer's deployment,
    // where it allocates half its stake. The exchange holds the rest of the 10.8 B (at least 1 B).
    const grants: [Addr, bigint][] = [];
    const selfStake = new Map<Addr, bigint>();
    for (const ix of s.indexers) {
      const self = tokens(r.int(300_000_000, 1_500_000_000));
      selfStake.set(ix.addr, self);
      grants.push([ix.addr, self + tokens(r.int(200_000, 4_000_000))]);
      ix.indexingRewardCut = BigInt(r.int(50_000, 300_000));
      ix.queryFeeCut = BigInt(r.int(50_000, 300_000));
    }
    for (const d of s.delegators)
      grants.push([d.addr, tokens(Math.min(400_000_000, r.pareto(4_000_000, 1.1)))]);
    for (const gw of s.gateways) grants.push([gw.addr, tokens(2_000_000)]);
    for (const c of s.curators) grants.push([c, tokens(r.int(100_000, 2_000_000))]);
    for (const h of s.holders) grants.push([h, tokens(Math.min(5_000_000, r.pareto(1_000, 1.0)))]);
    const granted = grants.reduce((a, [, v]) => a + v, 0n);
    const minExchange = tokens(1_000_000_000);
    const exchange = tokens(10_800_000_000) - granted;
    const rest = [exchange, minExchange].sort((x, y) => (x < y ? 1 : -1))[0] as bigint; // bigint max
    s.bridgeMintTo(s.exchange, rest);
    for (const [to, v] of grants) s.bridgeMintTo(to, v);
    for (const ix of s.indexers) {
      await stake(s, ix.addr, selfStake.get(ix.addr) as bigint, false);
      await s.action(() => {
        const params = [Number(ix.indexingRewardCut), Number(ix.queryFeeCut), 0];
        s.direct(
          ix.addr,
          g.staking,
          g.abi.staking,
          "setDelegationParameters",
          params,
          "Staking.setDelegationParameters",
        );
        if (ix.destination)
          s.direct(
            ix.addr,
            g.staking,
            g.abi.staking,
            "setRewardsDestination",
            [ix.destination],
            "Staking.setRewardsDestination",
          );
      });
    }
    for (const [i, ix] of s.indexers.entries())
      await signal(s, s.curators[i % s.curators.length] as Addr, ix.deployment);
    for (const ix of s.indexers) await allocate(s, ix, false);
  }

  // -------------------------------------------------------------------------------------------------
  // Receipts

  /**
   * Every log: The Graph's are decoded, valued (fees, emission and burns at the prices set before them), booked
   * where they alone say the amount (every GRT Transfer, bridge burns, curation tax, rewards; the hours with an
   * event the subgraph handles) and kept for the settle steps of their actions.
   */
  onLog(log: ChainLog): void {
    const s = this.s;
    const e = s.ctx.decode(log);
    if (!e) return;
    s.gr.now = this.host.now();
    this.value(e);
    this.book(e);
    s.keep(log.txIndex, e);
  }

  private value(e: GraphEvent): void {
    const l = this.s.gr;
    const usd = (amount: bigint) => this.host.usd(l.token, amount);
    const a = e.args;
    if (e.contract === "L2GraphToken" && e.event === "Transfer") {
      const to = lc(a.to);
      if (to !== ZERO && to !== DEAD) return;
      const amount = a.value as bigint;
      const v = usd(amount);
      if (v === null) l.f.burnedUnpriced += amount;
      else l.f.burnedUsd += v;
    } else if (e.event === "RewardsAssigned" || e.event === "HorizonRewardsAssigned") {
      const amount = a.amount as bigint;
      const v = usd(amount);
      if (v === null) l.f.grossEmissionUnpriced += amount;
      else l.f.grossEmissionUsd += v;
    } else if (e.event === "RebateCollected") fee(l, usd, a.tokens as bigint, a.protocolTax as bigint);
    else if (e.event === "GraphPaymentCollected" && (a.paymentType === 0n || a.paymentType === 1n))
      fee(l, usd, a.tokens as bigint, a.tokensProtocol as bigint);
  }

  /** The context-free part of the ledger: what a log alone says. The rest is each action's. */
  private book(e: GraphEvent): void {
    const l = this.s.gr;
    const a = e.args;
    if (e.contract === "L2GraphToken" && e.event === "Transfer")
      l.transfer(lc(a.from), lc(a.to), a.value as bigint);
    else if (e.event === "BridgeBurned") l.f.burnedBridge += a.amount as bigint;
    else if (e.event === "Signalled") l.f.burnedCurationTax += a.curationTax as bigint;
    else if (e.event === "RewardsAssigned" || e.event === "HorizonRewardsAssigned")
      l.f.grossEmission += a.amount as bigint;
    else if (GRAPH_HANDLED.has(e.event)) l.touch();
  }

  afterBlock(ts: number): void {
    this.s.settleBlock();
    this.s.gr.snapshot(ts);
  }

  progress(): string {
    return `GRT supply ${(this.s.gr.supply / E18).toLocaleString("en-US")}`;
  }

  truth(): EconomyTruth {
    const l = this.s.gr;
    return {
      ledger: l,
      token: { address: l.token, symbol: "GRT", decimals: 18 },
      feeAsset: l.token,
      milestones: { horizonSwitch: l.horizonSince },
    };
  }
}

/** A fee's USD value and its protocol tax's, or the fee as unpriced. */
function fee(l: ProtocolLedger, usd: (amount: bigint) => bigint | null, tokens: bigint, tax: bigint): void {
  const v = usd(tokens);
  const taxUsd = usd(tax);
  if (v === null || taxUsd === null) l.f.feesUnpriced += tokens;
  else {
    l.f.feesUsd += v;
    l.f.protocolTaxUsd += taxUsd;
  }
}
