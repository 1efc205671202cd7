/**
 * The Graph's payers, curators and bridge: query fees (legacy Staking.collect rebates, Horizon GraphPayments from
 * a gateway's escrow) and indexing fees, curation signal, and GRT bridged in and out through the gateway.
 */
import type { Hex } from "viem";
import { ZERO } from "../../ledger.js";
import {
  type Addr,
  type GraphSim,
  INDEXING_FEE,
  type Indexer,
  PPM,
  QUERY_FEE,
  sumOf,
  tokens,
} from "./sim.js";

// parts per million (graphprotocol/contracts packages/contracts/config/graph.arbitrum-one.yml;
// packages/horizon/ignition/configs/protocol.default.json5 protocolPaymentCut)
const GRAPH_CURATION_PERCENTAGE = 100_000n; // legacy Staking curation fees; the SubgraphService's curation cut
const GRAPH_PROTOCOL_PAYMENT_CUT = 10_000n; // GraphPayments
/** PPMMath.mulPPM (rounds down) and mulPPMRoundUp. */
const mulPPM = (a: bigint, ppm: bigint) => (a * ppm) / PPM;
const mulPPMRoundUp = (a: bigint, ppm: bigint) => a - mulPPM(a, PPM - ppm);

/**
 * Legacy query fees: the asset holder (the AllocationExchange that redeems the gateways' vouchers, funded by
 * them) calls Staking.collect on the indexer's open allocation: 1% protocol tax burned, 10% curation fees to
 * Curation, exponential rebates (the part above the curve burned), the delegators' share to the pool, the
 * indexer's restaked or paid out (RebateCollected). Contract math: the settle step reads the amounts.
 */
export function rebate(s: GraphSim, gateway: Addr): Promise<void> {
  const ix = s.pickIndexer();
  const allocation = ix.allocation;
  if (!allocation || !ix.legacyAllocation) return Promise.resolve();
  const tokensIn = tokens(Math.min(500_000, s.rng.pareto(50, 1.3)));
  const holder = s.allocationExchange;
  const g = s.ctx;
  return s.action(
    () => {
      if (s.bal(holder) < tokensIn) {
        // the gateway funds the exchange that redeems its vouchers
        s.topUp(gateway, tokensIn, tokens(2_000_000));
        s.transfer(gateway, holder, s.bal(gateway));
      }
      s.approve(holder, g.staking);
      s.plan(holder, g.staking, tokensIn);
      s.direct(holder, g.staking, g.abi.staking, "collect", [tokensIn, allocation], "Staking.collect");
    },
    (ev) => {
      const rc = ev.find((e) => e.event === "RebateCollected");
      if (!rc) throw new Error(`Staking.collect on ${allocation}: no RebateCollected`);
      const a = rc.args as Record<string, bigint>;
      const l = s.gr;
      l.f.burnedFeeTax += a.protocolTax as bigint;
      l.fee(holder, a.tokens as bigint, a.protocolTax as bigint, a.curationFees as bigint);
      const restaked = sumOf(ev, "StakeDeposited", "tokens");
      s.credit(ix.addr, (a.delegationRewards as bigint) + restaked);
    },
  );
}

/**
 * A Horizon payment from a gateway's escrow: type 0 query fees (SubgraphService.collect → GraphTallyCollector →
 * PaymentsEscrow.collect → GraphPayments.collect, then the curators' cut pushed to Curation and booked), type
 * 1 indexing fees (a RecurringCollector; no data service cut). GraphPayments: 1% protocol cut burned, the data
 * service cut, the delegation pool's cut (feeCut of the payment type), the rest restaked (stakeTo) or pushed to
 * the receiver's destination. The gateway deposits into the escrow first when its balance there is short.
 */
export function payment(s: GraphSim, type: 0 | 1, gateway: Addr): Promise<void> {
  return s.action(() => {
    const r = s.rng;
    const l = s.gr;
    const tokensIn = tokens(Math.min(500_000, r.pareto(type === INDEXING_FEE ? 500 : 50, 1.3)));
    const ix = s.pickIndexer();
    const ss = s.addr.SubgraphService.toLowerCase();
    const collector = type === QUERY_FEE ? s.tallyCollector : s.recurringCollector;
    const escrow = s.addr.PaymentsEscrow.toLowerCase();
    const key = `${gateway}:${collector}:${ix.addr}`;
    if ((s.escrow.get(key) ?? 0n) < tokensIn) {
      const deposit = tokensIn * 5n;
      s.topUp(gateway, deposit, tokens(2_000_000));
      s.approve(gateway, escrow);
      s.plan(gateway, escrow, deposit);
      s.call("PaymentsEscrow", "deposit", [gateway, collector, ix.addr, deposit], null);
      s.escrow.set(key, (s.escrow.get(key) ?? 0n) + deposit);
    }
    s.escrow.set(key, (s.escrow.get(key) ?? 0n) - tokensIn);
    const tokensProtocol = mulPPMRoundUp(tokensIn, GRAPH_PROTOCOL_PAYMENT_CUT);
    let rest = tokensIn - tokensProtocol;
    const tokensDataService = type === QUERY_FEE ? mulPPMRoundUp(rest, GRAPH_CURATION_PERCENTAGE) : 0n;
    rest -= tokensDataService;
    const tokensDelegationPool = s.hasDelegation(ix.addr) ? mulPPMRoundUp(rest, ix.feeCut[type]) : 0n;
    rest -= tokensDelegationPool;
    s.plan(escrow, ZERO, tokensIn);
    if (rest > 0n && ix.destination) s.plan(ZERO, ix.destination, rest);
    s.credit(ix.addr, tokensDelegationPool + (ix.destination ? 0n : rest));
    const paid = {
      paymentType: type,
      receiver: ix.addr,
      dataService: ss,
      tokens: tokensIn,
      tokensProtocol,
      tokensDataService,
      tokensDelegationPool,
      receiverDestination: ix.destination ?? ZERO,
    };
    s.call("PaymentsEscrow", "collect", [gateway, collector, paid], null);
    if (tokensDataService > 0n)
      // the SubgraphService pushes the curators' cut to Curation and books it
      s.call("SubgraphService", "collectCurationFees", [ix.deployment, tokensDataService], null);
    l.f.burnedFeeTax += tokensProtocol;
    l.fee(gateway, tokensIn, tokensProtocol, tokensDataService);
  });
}

/** L2Curation.mint by a curator on an indexer's deployment: 1% curation tax burned (Signalled). */
export function signal(s: GraphSim, curator: Addr, deployment?: Hex): Promise<void> {
  const r = s.rng;
  const amount = tokens(r.int(1_000, 100_000));
  const sd = deployment ?? (r.pick(s.indexers) as Indexer).deployment;
  const g = s.ctx;
  return s.action(() => {
    s.topUp(curator, amount, tokens(100_000));
    s.approve(curator, g.curation);
    s.plan(curator, ZERO, amount);
    s.direct(curator, g.curation, g.abi.curation, "mint", [sd, amount, 0n], "L2Curation.mint");
  });
}

export function bridgeMint(s: GraphSim): Promise<void> {
  const r = s.rng;
  const to = r.next() < 0.5 ? s.exchange : r.pick(s.holders);
  const amount = tokens(Math.min(50_000_000, r.pareto(10_000, 1.1)));
  return s.action(() => s.bridgeMintTo(to, amount));
}

/** L2GraphToken.bridgeBurn by the gateway (the holder approved it, as for an outbound transfer). */
export function bridgeBurn(s: GraphSim): Promise<void> {
  const r = s.rng;
  const from = r.next() < 0.5 ? s.exchange : r.pick(s.holders);
  const bal = s.bal(from);
  const amount = from === s.exchange ? tokens(r.int(10_000, 5_000_000)) : bal / BigInt(r.int(1, 4));
  if (amount === 0n || amount > bal) return Promise.resolve();
  const g = s.ctx;
  return s.action(() => {
    s.approve(from, g.gateway);
    s.plan(from, ZERO, amount);
    s.direct(g.gateway, g.grt, g.abi.grt, "bridgeBurn", [from, amount], "GRT.bridgeBurn");
  });
}
