/**
 * The Graph's legacy protocol from its published bytecode (@graphprotocol/contracts 7.2.1) on a real anvil:
 * every action runs on the real contracts, and the test checks (1) the exact event sequence of its receipt,
 * decoded with the package's ABIs, and (2) that the contracts' own state, read with eth_call before and after
 * the action's block, moved by what the events say. Expected amounts come from the action's inputs and the
 * parameters read from the contracts, never from constants of the expected result.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, getAddress, type Hex, keccak256, parseEther, toHex, zeroAddress } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil } from "../../stack/src/anvil.js";
import { freePort } from "../../stack/src/ports.js";
import type { ManagedProcess } from "../../stack/src/proc.js";
import { ChainClient } from "../src/chain/client.js";
import { type ActionResult, allocationKey, GraphActions } from "../src/protocols/thegraph/actions.js";
import { deployGraphLegacy, type GraphLegacyDeployment } from "../src/protocols/thegraph/deploy.js";
import { type DecodedEvent, formatEvents } from "../src/protocols/thegraph/events.js";
import { ARBITRUM_ONE, scaledParams } from "../src/protocols/thegraph/params.js";
import type { GraphState } from "../src/protocols/thegraph/state.js";

const PPM = 1_000_000n;
/**
 * Blocks per epoch in this test: 10 (time factor 664.6) rather than the module's default 100, because anvil's
 * cost per mined block grows with the chain and the test waits out 28-epoch unbonding and thawing periods.
 */
const EPOCH_LENGTH = 10n;
const ZERO = zeroAddress;
const actor = (name: string): Address =>
  getAddress(`0x${keccak256(toHex(`thegraph-real actor ${name}`)).slice(26)}`);
const A = actor("indexer A");
const B = actor("indexer B");
const D1 = actor("delegator 1");
const D2 = actor("delegator 2");
const CURATOR = actor("curator");
const PAYER = actor("payer");
const DESTINATION = actor("rewards destination");
const FISHERMAN = actor("fisherman");
const HOLDER = actor("holder");
const SD1: Hex = keccak256(toHex("subgraph deployment 1"));
const POI: Hex = keccak256(toHex("a proof of indexing"));
const ALLOC_A = allocationKey("thegraph-real A 1");
const ALLOC_B = allocationKey("thegraph-real B 1");

/** An expected event: `Contract.Event` and the arguments to compare (addresses in any case). */
type Expected = [name: string, args?: Record<string, unknown>];

const norm = (v: unknown): unknown =>
  typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : v;

/** Observed events reduced to the expected names and argument keys, for one readable diff on failure. */
function expectEvents(label: string, events: DecodedEvent[], expected: Expected[]): void {
  const view = events.map((e, i) => {
    const keys = Object.keys(expected[i]?.[1] ?? {});
    return [`${e.contract}.${e.event}`, Object.fromEntries(keys.map((k) => [k, norm(e.args[k])]))];
  });
  const want = expected.map(([name, args]) => [
    name,
    Object.fromEntries(Object.entries(args ?? {}).map(([k, v]) => [k, norm(v)])),
  ]);
  expect(view, `${label}: observed\n${formatEvents(events)}`).toEqual(want);
}

const grtTransfers = (events: DecodedEvent[]) =>
  events.filter((e) => e.contract === "L2GraphToken" && e.event === "Transfer");
/** Σ minted − Σ burned by the GRT Transfers of one receipt. */
const supplyChange = (events: DecodedEvent[]): bigint =>
  grtTransfers(events).reduce((s, e) => {
    const value = e.args.value as bigint;
    if (e.args.from === ZERO) return s + value;
    if (e.args.to === ZERO) return s - value;
    return s;
  }, 0n);

describe("The Graph legacy protocol from @graphprotocol/contracts bytecode", () => {
  const tmp = mkdtempSync(join(tmpdir(), "aitok-thegraph-real-"));
  let anvil: { url: string; proc: ManagedProcess };
  let d: GraphLegacyDeployment;
  let g: GraphActions;
  let s: GraphState;
  let chain: ChainClient;
  const observed: { action: string; events: DecodedEvent[] }[] = [];

  /** Runs an action, remembers its events, checks the GRT supply moved by what its Transfers say. */
  const act = async (action: string, run: () => Promise<ActionResult>) => {
    const r = await run();
    observed.push({ action, events: r.events });
    const block = r.receipt.blockNumber;
    const delta = (await s.totalSupply(block)) - (await s.totalSupply(block - 1n));
    expect(delta, `${action}: totalSupply change vs minted − burned in its Transfers`).toBe(
      supplyChange(r.events),
    );
    return { ...r, block, before: block - 1n };
  };

  beforeAll(async () => {
    anvil = await startAnvil({
      port: await freePort(),
      stateFile: join(tmp, "state.json"),
      cacheDir: join(tmp, "cache"),
      genesisTimestamp: Math.floor(Date.now() / 1000),
      logFile: join(tmp, "anvil.log"),
    });
    d = await deployGraphLegacy({ rpcUrl: anvil.url, epochLength: EPOCH_LENGTH });
    chain = await ChainClient.connect(anvil.url);
    g = new GraphActions(chain, d);
    s = g.state;
  });

  afterAll(async () => {
    await anvil?.proc.stop();
    rmSync(tmp, { recursive: true, force: true });
    // AITOK_THEGRAPH_EVENTS=<file>: writes the observed sequences (docs/simulator.md's table comes from it).
    const out = process.env.AITOK_THEGRAPH_EVENTS;
    if (out)
      writeFileSync(out, observed.map((o) => `## ${o.action}\n${formatEvents(o.events)}\n`).join("\n"));
  });

  it("deploys behind GraphProxy, configured as Arbitrum One with time scaled by one factor", async () => {
    const expected = scaledParams(EPOCH_LENGTH).params;
    expect(d.params).toEqual(expected);
    expect(await s.parameters(), "parameters read back from the contracts").toEqual(expected);
    // one factor: the issuance of one epoch is Arbitrum One's
    expect(d.params.issuancePerBlock * d.params.epochLength).toBe(
      ARBITRUM_ONE.issuancePerBlock * ARBITRUM_ONE.epochLength,
    );
    // and the thawing period is Arbitrum One's in the same factor, to the nearest block
    const thawingError =
      d.params.thawingPeriod * ARBITRUM_ONE.epochLength - ARBITRUM_ONE.thawingPeriod * EPOCH_LENGTH;
    expect(2n * (thawingError < 0n ? -thawingError : thawingError)).toBeLessThanOrEqual(
      ARBITRUM_ONE.epochLength,
    );
    expect(await s.paused()).toBe(false);
    const c = d.contracts;
    for (const name of [
      "L2GraphToken",
      "EpochManager",
      "RewardsManager",
      "L2Curation",
      "L2Staking",
    ] as const) {
      expect(await s.proxyImplementation(c[name].address), `${name} proxy implementation`).toBe(
        c[name].implementation,
      );
    }
    for (const [name, address] of [
      ["GraphToken", c.L2GraphToken.address],
      ["Staking", c.L2Staking.address],
      ["RewardsManager", c.RewardsManager.address],
      ["Curation", c.L2Curation.address],
      ["EpochManager", c.EpochManager.address],
      ["GraphTokenGateway", d.roles.gateway],
    ] as const)
      expect(await s.contractProxy(name, keccak256(toHex(name))), `Controller entry ${name}`).toBe(address);
    expect(await s.isMinter(c.RewardsManager.address)).toBe(true);
    expect(await s.isMinter(d.roles.governor), "the deployer renounced minting").toBe(false);
    expect(await s.gateway()).toBe(d.roles.gateway);
    expect(await s.isSlasher(d.roles.slasher)).toBe(true);
    expect(await s.totalSupply()).toBe(0n);
  });

  it("bridgeMint from the gateway: Transfer from 0x0, BridgeMinted", async () => {
    const funds: [Address, bigint][] = [
      [A, parseEther("1000000")],
      [B, parseEther("500000")],
      [D1, parseEther("200000")],
      [D2, parseEther("200000")],
      [CURATOR, parseEther("50000")],
      [PAYER, parseEther("200000")],
      [HOLDER, parseEther("1000")],
    ];
    for (const [to, amount] of funds) {
      const r = await act("bridgeMint", () => g.bridgeMint(to, amount));
      expectEvents("bridgeMint", r.events, [
        ["L2GraphToken.Transfer", { from: ZERO, to, value: amount }],
        ["L2GraphToken.BridgeMinted", { account: to, amount }],
      ]);
      expect(await s.balanceOf(to, r.block)).toBe(amount);
    }
  });

  it("stake (first): Transfer, Approval, DelegationParametersUpdated(1e6, 1e6), StakeDeposited", async () => {
    for (const [indexer, tokens] of [
      [A, parseEther("500000")],
      [B, parseEther("200000")],
    ] as const) {
      const r = await act("stake (first)", () => g.stake(indexer, tokens));
      expectEvents("stake (first)", r.events, [
        ["L2GraphToken.Transfer", { from: indexer, to: d.contracts.L2Staking.address, value: tokens }],
        ["L2GraphToken.Approval", { owner: indexer, spender: d.contracts.L2Staking.address, value: 0n }],
        ["L2Staking.DelegationParametersUpdated", { indexer, indexingRewardCut: PPM, queryFeeCut: PPM }],
        ["L2Staking.StakeDeposited", { indexer, tokens }],
      ]);
      expect(await s.indexerStakedTokens(indexer, r.block)).toBe(tokens);
    }
  });

  it("stake (again): no DelegationParametersUpdated", async () => {
    const tokens = parseEther("50000");
    const r = await act("stake (again)", () => g.stake(A, tokens));
    expectEvents("stake (again)", r.events, [
      ["L2GraphToken.Transfer", { from: A, to: d.contracts.L2Staking.address, value: tokens }],
      ["L2GraphToken.Approval", { owner: A, value: 0n }],
      ["L2Staking.StakeDeposited", { indexer: A, tokens }],
    ]);
    const before = await s.indexerStakedTokens(A, r.before);
    expect((await s.stakes(A, r.block)).tokensStaked).toBe(before + tokens);
  });

  it("setDelegationParameters: DelegationParametersUpdated with the cuts kept by the indexer", async () => {
    for (const [indexer, rewardCut, feeCut] of [
      [A, 800_000, 900_000],
      [B, 700_000, 800_000],
    ] as const) {
      const r = await act("setDelegationParameters", () =>
        g.setDelegationParameters(indexer, rewardCut, feeCut),
      );
      expectEvents("setDelegationParameters", r.events, [
        [
          "L2Staking.DelegationParametersUpdated",
          { indexer, indexingRewardCut: BigInt(rewardCut), queryFeeCut: BigInt(feeCut) },
        ],
      ]);
      const pool = await s.delegationPool(indexer, r.block);
      expect([pool.indexingRewardCut, pool.queryFeeCut]).toEqual([BigInt(rewardCut), BigInt(feeCut)]);
    }
  });

  it("delegate: the delegation tax is burned before StakeDelegated", async () => {
    for (const [delegator, indexer, tokens] of [
      [D1, A, parseEther("100000")],
      [D2, B, parseEther("60000")],
    ] as const) {
      const r = await act("delegate", () => g.delegate(delegator, indexer, tokens));
      const tax = (d.params.delegationTaxPercentage * tokens) / PPM;
      expect(tax, "the delegation tax is not zero (initialize leaves it at 0)").toBeGreaterThan(0n);
      const before = await s.delegationPool(indexer, r.before);
      const after = await s.delegationPool(indexer, r.block);
      const shares = after.shares - before.shares;
      expectEvents("delegate", r.events, [
        ["L2GraphToken.Transfer", { from: delegator, to: d.contracts.L2Staking.address, value: tokens }],
        ["L2GraphToken.Approval", { owner: delegator, value: 0n }],
        ["L2GraphToken.Transfer", { from: d.contracts.L2Staking.address, to: ZERO, value: tax }],
        ["L2Staking.StakeDelegated", { indexer, delegator, tokens: tokens - tax, shares }],
      ]);
      expect(after.tokens - before.tokens, "pool tokens").toBe(tokens - tax);
      expect((await s.delegation(indexer, delegator, r.block)).shares).toBe(shares);
    }
  });

  it("signal (L2Curation.mint): curation tax burned, GCS minted from the clone, Signalled", async () => {
    const tokens = parseEther("10000");
    const r = await act("signal", () => g.signal(CURATOR, SD1, tokens));
    const tax = tokens - ((PPM - d.params.curationTaxPercentage) * tokens) / PPM;
    const pool = await s.curationPool(SD1, r.block);
    const signal = await s.curatorSignal(CURATOR, SD1, r.block);
    expectEvents("signal", r.events, [
      ["L2GraphToken.Transfer", { from: CURATOR, to: d.contracts.L2Curation.address, value: tokens }],
      ["L2GraphToken.Approval", { owner: CURATOR, value: 0n }],
      ["L2GraphToken.Transfer", { from: d.contracts.L2Curation.address, to: ZERO, value: tax }],
      ["GraphCurationToken.Transfer", { from: ZERO, to: CURATOR, value: signal }],
      [
        "L2Curation.Signalled",
        { curator: CURATOR, subgraphDeploymentID: SD1, tokens, signal, curationTax: tax },
      ],
    ]);
    expect(r.events[3]?.address.toLowerCase(), "the GCS event comes from pools(sd).gcs").toBe(
      pool.gcs.toLowerCase(),
    );
    expect(pool.tokens).toBe(tokens - tax);
  });

  it("allocate: AllocationCreated with the current epoch", async () => {
    for (const [indexer, key, tokens] of [
      [A, ALLOC_A, parseEther("400000")],
      [B, ALLOC_B, parseEther("100000")],
    ] as const) {
      const r = await act("allocate", () =>
        g.allocate(indexer, { indexer, subgraphDeploymentID: SD1, tokens, key }),
      );
      expectEvents("allocate", r.events, [
        [
          "L2Staking.AllocationCreated",
          {
            indexer,
            subgraphDeploymentID: SD1,
            epoch: await s.currentEpoch(r.block),
            tokens,
            allocationID: key.address,
          },
        ],
      ]);
      expect((await s.stakes(indexer, r.block)).tokensAllocated).toBe(tokens);
      expect(await s.allocationState(key.address, r.block)).toBe(1);
    }
    await g.advanceEpochs(2n);
  });

  it("collect (restaking): taxes, curation fees, then StakeDeposited of the rebate before RebateCollected", async () => {
    const tokens = parseEther("1000");
    const r = await act("collect (restake)", () => g.collect(PAYER, tokens, ALLOC_A.address));
    const staking = d.contracts.L2Staking.address;
    const protocolTax = tokens - ((PPM - d.params.protocolPercentage) * tokens) / PPM;
    const afterTax = tokens - protocolTax;
    const curationFees = afterTax - ((PPM - d.params.curationPercentage) * afterTax) / PPM;
    const queryFees = afterTax - curationFees;
    // the rebate (exponential formula) as the contract recorded it
    const alloc0 = await s.allocation(ALLOC_A.address, r.before);
    const alloc1 = await s.allocation(ALLOC_A.address, r.block);
    const rebate = alloc1.distributedRebates - alloc0.distributedRebates;
    const pool0 = await s.delegationPool(A, r.before);
    const delegationRewards = rebate - (pool0.queryFeeCut * rebate) / PPM;
    const indexerRebate = rebate - delegationRewards;
    const unrebated = queryFees - rebate;
    expect(rebate, "a rebate was paid").toBeGreaterThan(0n);
    expectEvents("collect (restake)", r.events, [
      ["L2GraphToken.Transfer", { from: PAYER, to: staking, value: tokens }],
      ["L2GraphToken.Approval", { owner: PAYER, value: 0n }],
      ["L2GraphToken.Transfer", { from: staking, to: ZERO, value: protocolTax }],
      ["L2GraphToken.Transfer", { from: staking, to: d.contracts.L2Curation.address, value: curationFees }],
      ["L2Curation.Collected", { subgraphDeploymentID: SD1, tokens: curationFees }],
      ...(unrebated > 0n
        ? [["L2GraphToken.Transfer", { from: staking, to: ZERO, value: unrebated }] as Expected]
        : []),
      ["L2Staking.StakeDeposited", { indexer: A, tokens: indexerRebate }],
      [
        "L2Staking.RebateCollected",
        {
          assetHolder: PAYER,
          indexer: A,
          allocationID: ALLOC_A.address,
          tokens,
          protocolTax,
          curationFees,
          queryFees,
          queryRebates: indexerRebate,
          delegationRewards,
        },
      ],
    ]);
    const pool1 = await s.delegationPool(A, r.block);
    expect(pool1.tokens - pool0.tokens, "delegators' share of the rebate").toBe(delegationRewards);
    expect((await s.indexerStakedTokens(A, r.block)) - (await s.indexerStakedTokens(A, r.before))).toBe(
      indexerRebate,
    );
  });

  it("closeAllocation (restaking): mint, HorizonRewardsAssigned, StakeDeposited of the indexer's share, AllocationClosed", async () => {
    const predicted = await s.pendingRewards(ALLOC_A.address, "pending");
    const r = await act("closeAllocation (restake)", () => g.closeAllocation(A, ALLOC_A.address, POI));
    const staking = d.contracts.L2Staking.address;
    const pool0 = await s.delegationPool(A, r.before);
    const indexerShare = (pool0.indexingRewardCut * predicted) / PPM;
    expect(predicted, "rewards accrued").toBeGreaterThan(0n);
    expectEvents("closeAllocation (restake)", r.events, [
      ["L2GraphToken.Transfer", { from: ZERO, to: staking, value: predicted }],
      [
        "RewardsManager.HorizonRewardsAssigned",
        { indexer: A, allocationID: ALLOC_A.address, amount: predicted },
      ],
      ["L2Staking.StakeDeposited", { indexer: A, tokens: indexerShare }],
      [
        "L2Staking.AllocationClosed",
        {
          indexer: A,
          subgraphDeploymentID: SD1,
          epoch: await s.currentEpoch(r.block),
          tokens: parseEther("400000"),
          allocationID: ALLOC_A.address,
          sender: A,
          poi: POI,
          isPublic: false,
        },
      ],
    ]);
    const pool1 = await s.delegationPool(A, r.block);
    expect(pool1.tokens - pool0.tokens, "delegators' share: no event, only in delegationPools").toBe(
      predicted - indexerShare,
    );
    expect((await s.indexerStakedTokens(A, r.block)) - (await s.indexerStakedTokens(A, r.before))).toBe(
      indexerShare,
    );
    expect((await s.stakes(A, r.block)).tokensAllocated).toBe(0n);
  });

  it("setRewardsDestination: SetRewardsDestination", async () => {
    const r = await act("setRewardsDestination", () => g.setRewardsDestination(B, DESTINATION));
    expectEvents("setRewardsDestination", r.events, [
      ["L2Staking.SetRewardsDestination", { indexer: B, destination: DESTINATION }],
    ]);
    expect(await s.rewardsDestination(B, r.block)).toBe(DESTINATION);
  });

  it("closeAllocation (rewards destination): a GRT Transfer to the destination instead of StakeDeposited", async () => {
    const predicted = await s.pendingRewards(ALLOC_B.address, "pending");
    const r = await act("closeAllocation (destination)", () => g.closeAllocation(B, ALLOC_B.address, POI));
    const staking = d.contracts.L2Staking.address;
    const pool0 = await s.delegationPool(B, r.before);
    const indexerShare = (pool0.indexingRewardCut * predicted) / PPM;
    expect(predicted).toBeGreaterThan(0n);
    expectEvents("closeAllocation (destination)", r.events, [
      ["L2GraphToken.Transfer", { from: ZERO, to: staking, value: predicted }],
      [
        "RewardsManager.HorizonRewardsAssigned",
        { indexer: B, allocationID: ALLOC_B.address, amount: predicted },
      ],
      ["L2GraphToken.Transfer", { from: staking, to: DESTINATION, value: indexerShare }],
      ["L2Staking.AllocationClosed", { indexer: B, allocationID: ALLOC_B.address, sender: B, poi: POI }],
    ]);
    expect((await s.delegationPool(B, r.block)).tokens - pool0.tokens).toBe(predicted - indexerShare);
    expect(await s.indexerStakedTokens(B, r.block)).toBe(await s.indexerStakedTokens(B, r.before));
    expect(await s.balanceOf(DESTINATION, r.block)).toBe(indexerShare);
  });

  it("collect (rewards destination, fees above the rebate curve): unrebated part burned, rebate to the destination", async () => {
    const tokens = parseEther("80000");
    const destination0 = await s.balanceOf(DESTINATION);
    const r = await act("collect (destination)", () => g.collect(PAYER, tokens, ALLOC_B.address));
    const staking = d.contracts.L2Staking.address;
    const protocolTax = tokens - ((PPM - d.params.protocolPercentage) * tokens) / PPM;
    const afterTax = tokens - protocolTax;
    const curationFees = afterTax - ((PPM - d.params.curationPercentage) * afterTax) / PPM;
    const queryFees = afterTax - curationFees;
    const rebate =
      (await s.allocation(ALLOC_B.address, r.block)).distributedRebates -
      (await s.allocation(ALLOC_B.address, r.before)).distributedRebates;
    const pool0 = await s.delegationPool(B, r.before);
    const delegationRewards = rebate - (pool0.queryFeeCut * rebate) / PPM;
    const unrebated = queryFees - rebate;
    expect(unrebated, "fees far above λ × allocated stake leave an unrebated part").toBeGreaterThan(0n);
    expectEvents("collect (destination)", r.events, [
      ["L2GraphToken.Transfer", { from: PAYER, to: staking, value: tokens }],
      ["L2GraphToken.Approval", { owner: PAYER }],
      ["L2GraphToken.Transfer", { from: staking, to: ZERO, value: protocolTax }],
      ["L2GraphToken.Transfer", { from: staking, to: d.contracts.L2Curation.address, value: curationFees }],
      ["L2Curation.Collected", { subgraphDeploymentID: SD1, tokens: curationFees }],
      ["L2GraphToken.Transfer", { from: staking, to: ZERO, value: unrebated }],
      ["L2GraphToken.Transfer", { from: staking, to: DESTINATION, value: rebate - delegationRewards }],
      [
        "L2Staking.RebateCollected",
        {
          indexer: B,
          tokens,
          protocolTax,
          curationFees,
          queryFees,
          queryRebates: rebate - delegationRewards,
          delegationRewards,
        },
      ],
    ]);
    expect((await s.balanceOf(DESTINATION, r.block)) - destination0).toBe(rebate - delegationRewards);
    expect((await s.delegationPool(B, r.block)).tokens - pool0.tokens).toBe(delegationRewards);
  });

  let lockedD1 = 0n;
  let lockedD2 = 0n;
  it("undelegate: StakeDelegatedLocked until the current epoch + the unbonding period", async () => {
    for (const [delegator, indexer, part] of [
      [D1, A, 2n],
      [D2, B, 1n],
    ] as const) {
      const shares = (await s.delegation(indexer, delegator)).shares / part;
      const r = await act("undelegate", () => g.undelegate(delegator, indexer, shares));
      const pool0 = await s.delegationPool(indexer, r.before);
      const tokens = (shares * pool0.tokens) / pool0.shares;
      const until = (await s.currentEpoch(r.block)) + d.params.delegationUnbondingPeriod;
      expectEvents("undelegate", r.events, [
        ["L2Staking.StakeDelegatedLocked", { indexer, delegator, tokens, shares, until }],
      ]);
      expect(pool0.tokens - (await s.delegationPool(indexer, r.block)).tokens).toBe(tokens);
      const del = await s.delegation(indexer, delegator, r.block);
      expect([del.tokensLocked, del.tokensLockedUntil]).toEqual([tokens, until]);
      if (delegator === D1) lockedD1 = tokens;
      else lockedD2 = tokens;
    }
    await expect(g.withdrawDelegated(D2, B), "withdrawing before the unbonding period").rejects.toThrow(
      /!tokens/,
    );
  });

  let thawing = 0n;
  it("unstake: StakeLocked until the block + the thawing period", async () => {
    const tokens = parseEther("100000");
    const r = await act("unstake", () => g.unstake(A, tokens));
    const st = await s.stakes(A, r.block);
    expectEvents("unstake", r.events, [
      ["L2Staking.StakeLocked", { indexer: A, tokens, until: r.block + d.params.thawingPeriod }],
    ]);
    expect([st.tokensLocked, st.tokensLockedUntil]).toEqual([tokens, r.block + d.params.thawingPeriod]);
    thawing = tokens;
  });

  it("withdrawDelegated to a new indexer (redelegation): StakeDelegatedWithdrawn, tax burned, StakeDelegated", async () => {
    const until = (await s.delegation(A, D1)).tokensLockedUntil;
    await g.advanceToEpoch(until);
    const r = await act("withdrawDelegated (redelegate)", () => g.withdrawDelegated(D1, A, B));
    const tax = (d.params.delegationTaxPercentage * lockedD1) / PPM;
    const poolB0 = await s.delegationPool(B, r.before);
    const poolB1 = await s.delegationPool(B, r.block);
    expectEvents("withdrawDelegated (redelegate)", r.events, [
      ["L2Staking.StakeDelegatedWithdrawn", { indexer: A, delegator: D1, tokens: lockedD1 }],
      ["L2GraphToken.Transfer", { from: d.contracts.L2Staking.address, to: ZERO, value: tax }],
      [
        "L2Staking.StakeDelegated",
        { indexer: B, delegator: D1, tokens: lockedD1 - tax, shares: poolB1.shares - poolB0.shares },
      ],
    ]);
    expect(poolB1.tokens - poolB0.tokens).toBe(lockedD1 - tax);
  });

  it("withdrawDelegated: StakeDelegatedWithdrawn, then the GRT Transfer to the delegator", async () => {
    const r = await act("withdrawDelegated", () => g.withdrawDelegated(D2, B));
    expectEvents("withdrawDelegated", r.events, [
      ["L2Staking.StakeDelegatedWithdrawn", { indexer: B, delegator: D2, tokens: lockedD2 }],
      ["L2GraphToken.Transfer", { from: d.contracts.L2Staking.address, to: D2, value: lockedD2 }],
    ]);
    expect((await s.delegation(B, D2, r.block)).tokensLocked).toBe(0n);
  });

  it("withdraw (indexer stake after thawing): Transfer, StakeWithdrawn", async () => {
    await g.advanceToBlock((await s.stakes(A)).tokensLockedUntil);
    const r = await act("withdraw", () => g.withdraw(A));
    expectEvents("withdraw", r.events, [
      ["L2GraphToken.Transfer", { from: d.contracts.L2Staking.address, to: A, value: thawing }],
      ["L2Staking.StakeWithdrawn", { indexer: A, tokens: thawing }],
    ]);
    expect((await s.indexerStakedTokens(A, r.before)) - (await s.indexerStakedTokens(A, r.block))).toBe(
      thawing,
    );
  });

  it("slash from the slasher role: burn, reward to the beneficiary, StakeSlashed", async () => {
    const stake = await s.indexerStakedTokens(A);
    const tokens = stake / 40n; // 2.5%, the disputes' slashing percentage on Arbitrum One
    const reward = tokens / 2n;
    const r = await act("slash", () => g.slash(A, tokens, reward, FISHERMAN));
    const staking = d.contracts.L2Staking.address;
    expectEvents("slash", r.events, [
      ["L2GraphToken.Transfer", { from: staking, to: ZERO, value: tokens - reward }],
      ["L2GraphToken.Transfer", { from: staking, to: FISHERMAN, value: reward }],
      ["L2Staking.StakeSlashed", { indexer: A, tokens, reward, beneficiary: FISHERMAN }],
    ]);
    expect(stake - (await s.indexerStakedTokens(A, r.block))).toBe(tokens);
    expect(await s.balanceOf(FISHERMAN, r.block)).toBe(reward);
  });

  it("bridgeBurn from the gateway (burnFrom): Approval to 0, Transfer to 0x0, BridgeBurned", async () => {
    const amount = parseEther("400");
    const r = await act("bridgeBurn", () => g.bridgeBurn(HOLDER, amount));
    expectEvents("bridgeBurn", r.events, [
      ["L2GraphToken.Approval", { owner: HOLDER, spender: d.roles.gateway, value: 0n }],
      ["L2GraphToken.Transfer", { from: HOLDER, to: ZERO, value: amount }],
      ["L2GraphToken.BridgeBurned", { account: HOLDER, amount }],
    ]);
    expect((await s.balanceOf(HOLDER, r.before)) - (await s.balanceOf(HOLDER, r.block))).toBe(amount);
  });

  it("contract state reconciles with every GRT Transfer on the chain", async () => {
    const head = await chain.blockNumber();
    const logs = await chain.client.getLogs({
      address: d.contracts.L2GraphToken.address,
      fromBlock: BigInt(d.contracts.L2GraphToken.startBlock),
      toBlock: head,
    });
    const transfers = g.decoder.decodeAll(logs).filter((e) => e.event === "Transfer");
    const balances = new Map<string, bigint>();
    let supply = 0n;
    for (const e of transfers) {
      const [from, to, value] = [
        String(e.args.from).toLowerCase(),
        String(e.args.to).toLowerCase(),
        e.args.value as bigint,
      ];
      if (from === ZERO) supply += value;
      else balances.set(from, (balances.get(from) ?? 0n) - value);
      if (to === ZERO) supply -= value;
      else balances.set(to, (balances.get(to) ?? 0n) + value);
    }
    expect(await s.totalSupply(head), "totalSupply = Σ minted − Σ burned").toBe(supply);
    for (const [account, balance] of balances)
      expect(await s.balanceOf(account as Address, head), `balanceOf(${account})`).toBe(balance);
    // the Staking contract holds exactly the indexers' stakes, the pools and the locked delegations
    let held = 0n;
    for (const indexer of [A, B]) {
      held += (await s.stakes(indexer, head)).tokensStaked + (await s.delegationPool(indexer, head)).tokens;
      for (const delegator of [D1, D2]) held += (await s.delegation(indexer, delegator, head)).tokensLocked;
    }
    expect(await s.balanceOf(d.contracts.L2Staking.address, head)).toBe(held);
  });
});
