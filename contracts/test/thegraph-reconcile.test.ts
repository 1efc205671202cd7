import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, getAddress, type Hex, keccak256, parseEther, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAnvil } from "../../stack/src/anvil.js";
import { GND_FIXTURE_DEPLOYMENT, type GndTestRunner, startGndTestRunner } from "../../stack/src/gndtest.js";
import { freePort } from "../../stack/src/ports.js";
import type { ManagedProcess } from "../../stack/src/proc.js";
import type { Deployment } from "../../subgraph/scripts/manifest.js";
import { ChainClient } from "../src/chain/client.js";
import { type ActionResult, allocationKey, GraphActions } from "../src/protocols/thegraph/actions.js";
import {
  loadArtifact,
  loadRewardsManagerV5,
  mergeAbis,
  proxiedAbi,
  stakingAbi,
} from "../src/protocols/thegraph/artifacts.js";
import { deployGraphLegacy, type GraphLegacyDeployment } from "../src/protocols/thegraph/deploy.js";
import { GndEncoder, type GndScenario } from "../src/protocols/thegraph/gnd.js";
import type { GraphState } from "../src/protocols/thegraph/state.js";

/** Blocks per epoch: short, the scenario waits out the 28-epoch unbonding and thawing periods. */
const EPOCH_LENGTH = 10n;
const actor = (name: string): Address =>
  getAddress(`0x${keccak256(toHex(`thegraph-reconcile actor ${name}`)).slice(26)}`);
const A = actor("indexer A");
const B = actor("indexer B");
const INDEXERS = [A, B];
const D1 = actor("delegator 1");
const D2 = actor("delegator 2");
const D3 = actor("delegator 3");
const DELEGATORS = [D1, D2, D3];
const CURATOR = actor("curator");
const PAYER = actor("payer");
const DESTINATION = actor("rewards destination");
const FISHERMAN = actor("fisherman");
const HOLDER = actor("holder");
const SD1: Hex = keccak256(toHex("reconcile subgraph deployment 1"));
const POI: Hex = keccak256(toHex("reconcile proof of indexing"));

/** The indexed stocks the contracts' state defines, at one block. */
interface Stocks {
  staked: bigint;
  totalSupply: bigint;
  operators: Map<string, bigint>;
  stakingBalance: bigint;
}

async function stocksAt(s: GraphState, d: GraphLegacyDeployment, block: bigint): Promise<Stocks> {
  const operators = new Map<string, bigint>();
  let staked = 0n;
  for (const ix of INDEXERS) {
    const [stake, pool] = await Promise.all([s.stakes(ix, block), s.delegationPool(ix, block)]);
    let locked = 0n;
    for (const del of DELEGATORS) locked += (await s.delegation(ix, del, block)).tokensLocked;
    const total = stake.tokensStaked + pool.tokens + locked;
    if (total > 0n || stake.tokensStaked > 0n) operators.set(ix.toLowerCase(), total);
    staked += total;
  }
  return {
    staked,
    totalSupply: await s.totalSupply(block),
    operators,
    stakingBalance: await s.balanceOf(d.contracts.L2Staking.address, block),
  };
}

/**
 * Run twice: with 7.2.1's RewardsManager (HorizonRewardsAssigned) and with 5.3.3's (the 4-argument
 * RewardsAssigned Arbitrum One's RewardsManager emitted before Horizon), both behind the same proxy.
 */
describe.each(["7.2.1", "5.3.3"] as const)(
  "The Graph (RewardsManager %s): indexed stocks equal the real contracts' state after every action",
  (rewardsManager) => {
    const tmp = mkdtempSync(join(tmpdir(), "aitok-thegraph-reconcile-"));
    let anvil: { url: string; proc: ManagedProcess };
    let gnd: GndTestRunner | undefined;
    let d: GraphLegacyDeployment;
    let g: GraphActions;
    let s: GraphState;
    /** Blocks after which the stocks are compared, with the action that ended there. */
    const checkpoints: { block: bigint; action: string }[] = [];

    const act = async (action: string, fn: () => Promise<ActionResult>) => {
      const r = await fn();
      checkpoints.push({ block: r.receipt.blockNumber, action });
      return r;
    };

    beforeAll(async () => {
      anvil = await startAnvil({
        port: await freePort(),
        stateFile: join(tmp, "state.json"),
        cacheDir: join(tmp, "cache"),
        genesisTimestamp: Math.floor(Date.now() / 1000) - 86_400,
        logFile: join(tmp, "anvil.log"),
      });
      d = await deployGraphLegacy({ rpcUrl: anvil.url, epochLength: EPOCH_LENGTH, rewardsManager });
      g = new GraphActions(await ChainClient.connect(anvil.url), d);
      s = g.state;
    });

    afterAll(async () => {
      await anvil?.proc.stop();
      await gnd?.stop();
      rmSync(tmp, { recursive: true, force: true });
    });

    it("runs the economy on the real contracts", async () => {
      const funds: [Address, string][] = [
        [A, "1000000"],
        [B, "500000"],
        [D1, "200000"],
        [D2, "200000"],
        [D3, "100000"],
        [CURATOR, "50000"],
        [PAYER, "200000"],
        [HOLDER, "5000"],
      ];
      for (const [to, amount] of funds) await act("bridgeMint", () => g.bridgeMint(to, parseEther(amount)));
      await act("stake A", () => g.stake(A, parseEther("500000")));
      await act("stake B", () => g.stake(B, parseEther("200000")));
      await act("setDelegationParameters A", () => g.setDelegationParameters(A, 800_000, 900_000));
      await act("setDelegationParameters B", () => g.setDelegationParameters(B, 700_000, 800_000));
      await g.setRewardsDestination(B, DESTINATION);
      await act("delegate D1 → A", () => g.delegate(D1, A, parseEther("100000")));
      await act("delegate D2 → B", () => g.delegate(D2, B, parseEther("60000")));
      await act("delegate D3 → A", () => g.delegate(D3, A, parseEther("30000")));
      await act("signal", () => g.signal(CURATOR, SD1, parseEther("10000")));
      const allocations = [
        [A, allocationKey("reconcile A 1"), parseEther("400000")],
        [B, allocationKey("reconcile B 1"), parseEther("100000")],
      ] as const;
      for (const [indexer, key, tokens] of allocations)
        await act("allocate", () => g.allocate(indexer, { indexer, subgraphDeploymentID: SD1, tokens, key }));
      await g.advanceEpochs(2n);
      const [[, keyA], [, keyB]] = allocations;
      await act("collect A (restaked rebate)", () => g.collect(PAYER, parseEther("1000"), keyA.address));
      await act("collect B (rebate to the destination)", () =>
        g.collect(PAYER, parseEther("800"), keyB.address),
      );
      await act("close A (rewards restaked)", () => g.closeAllocation(A, keyA.address, POI));
      await act("close B (rewards to the destination)", () => g.closeAllocation(B, keyB.address, POI));
      await act("collect A after close", () => g.collect(PAYER, parseEther("300"), keyA.address));
      const half = (await s.delegation(A, D1)).shares / 2n;
      await act("undelegate D1 (half)", () => g.undelegate(D1, A, half));
      await act("undelegate D2 (all)", async () => g.undelegate(D2, B, (await s.delegation(B, D2)).shares));
      await act("unstake A", () => g.unstake(A, parseEther("50000")));
      await act("slash B", () => g.slash(B, parseEther("10000"), parseEther("5000"), FISHERMAN));
      await act("delegate D3 → A again", () => g.delegate(D3, A, parseEther("5000")));
      await g.advanceEpochs(d.params.delegationUnbondingPeriod + 1n);
      await g.advanceToBlock((await s.stakes(A)).tokensLockedUntil + 1n);
      await act("withdrawDelegated D1 (redelegated to B)", () => g.withdrawDelegated(D1, A, B));
      await act("withdrawDelegated D2", () => g.withdrawDelegated(D2, B));
      await act("withdraw A", () => g.withdraw(A));
      await act("bridgeBurn", () => g.bridgeBurn(HOLDER, parseEther("2000")));
      await act("transfer", () => g.transfer(HOLDER, D2, parseEther("1000")));
      expect(checkpoints.length).toBeGreaterThan(25);
      // the rewards event of this RewardsManager, with the amount minted
      const closes = await g.chain.client.getLogs({
        address: d.contracts.RewardsManager.address,
        fromBlock: 0n,
      });
      const names = closes.map((l) => g.decoder.decode(l).event).filter((e) => e.includes("RewardsAssigned"));
      expect(names).toEqual(
        Array(2).fill(rewardsManager === "5.3.3" ? "RewardsAssigned" : "HorizonRewardsAssigned"),
      );
    });

    it("the contracts' own definition holds: staked = the Staking contract's GRT balance", async () => {
      for (const c of checkpoints) {
        const st = await stocksAt(s, d, c.block);
        expect(st.staked, `${c.action} (block ${c.block})`).toBe(st.stakingBalance);
      }
    });

    it("every log through our mappings (gnd): staked, each operator's totalStake, totalSupply equal eth_call after every action; minted, burned, rewards, fees, slashes equal the receipts", async () => {
      const c = d.contracts;
      const deployment: Deployment = {
        network: "mainnet",
        description: "real Graph contracts on anvil (thegraph-reconcile.test.ts)",
        // time-travel queries at every checkpoint block: keep all history
        prune: "never",
        protocols: {
          livepeer: GND_FIXTURE_DEPLOYMENT.protocols.livepeer,
          thegraph: {
            L2GraphToken: { address: c.L2GraphToken.address.toLowerCase(), startBlock: 0 },
            GraphStaking: { address: c.L2Staking.address.toLowerCase(), startBlock: 0 },
            RewardsManager: { address: c.RewardsManager.address.toLowerCase(), startBlock: 0 },
            L2Curation: { address: c.L2Curation.address.toLowerCase(), startBlock: 0 },
            GraphPayments: { address: "0x2000000000000000000000000000000000000005", startBlock: 0 },
          },
        },
      };
      const encoder = new GndEncoder([
        { address: c.L2GraphToken.address, abi: proxiedAbi(loadArtifact("L2GraphToken").abi) },
        { address: c.L2Staking.address, abi: proxiedAbi(stakingAbi()) },
        {
          address: c.RewardsManager.address,
          abi: proxiedAbi(mergeAbis(loadArtifact("RewardsManager").abi, loadRewardsManagerV5().abi)),
        },
        { address: c.L2Curation.address, abi: proxiedAbi(loadArtifact("L2Curation").abi) },
      ]);
      const client = g.chain.client;
      const logs = await client.getLogs({
        address: [
          c.L2GraphToken.address,
          c.L2Staking.address,
          c.RewardsManager.address,
          c.L2Curation.address,
        ],
        fromBlock: 0n,
        toBlock: "latest",
      });
      const scenario: GndScenario = {
        name: `The Graph legacy protocol, real contracts (@graphprotocol/contracts 7.2.1, RewardsManager ${rewardsManager}): stocks vs eth_call`,
        blocks: [],
        assertions: [],
      };
      /** chain block → scenario block number */
      const numbering = new Map<bigint, number>();
      let lastTs = 0;
      for (const log of logs) {
        const n = log.blockNumber as bigint;
        let block = scenario.blocks[scenario.blocks.length - 1];
        if (!numbering.has(n)) {
          const ts = Math.max(Number((await client.getBlock({ blockNumber: n })).timestamp), lastTs + 1);
          lastTs = ts;
          block = { number: scenario.blocks.length + 1, timestamp: ts, events: [] };
          scenario.blocks.push(block);
          numbering.set(n, block.number);
        }
        const e = encoder.encode(log);
        if (e && block) block.events.push(e);
      }
      for (const cp of checkpoints) {
        const n = numbering.get(cp.block);
        if (n === undefined) throw new Error(`${cp.action}: block ${cp.block} has no indexed log`);
        const st = await stocksAt(s, d, cp.block);
        const operators = [...st.operators.entries()]
          .sort((x, y) => (x[0] < y[0] ? -1 : 1))
          .map(([address, totalStake]) => ({ address, totalStake: totalStake.toString() }));
        scenario.assertions.push({
          query: `{ protocol(id: "thegraph", block: { number: ${n} }) { staked totalSupply } operators(block: { number: ${n} }, orderBy: address) { address totalStake } }`,
          expected: {
            protocol: { staked: st.staked.toString(), totalSupply: st.totalSupply.toString() },
            operators,
          },
        });
      }
      // Flows whose amounts come from contract math, from the receipts decoded with the package ABIs (viem),
      // independently of the mappings: mints and burns (bridge, delegation and curation taxes, protocol tax,
      // un-rebated query fees, slashes), indexing rewards, the indexers' query fees after tax and curation, slashes.
      const decoded = logs.map((l) => g.decoder.decode(l));
      const sum = (pred: (e: (typeof decoded)[number]) => boolean, field: string) =>
        decoded.filter(pred).reduce((acc, e) => acc + (e.args[field] as bigint), 0n);
      const token = c.L2GraphToken.address;
      const isRewards = (e: (typeof decoded)[number]) =>
        e.event === "RewardsAssigned" || e.event === "HorizonRewardsAssigned";
      const perIndexer = INDEXERS.map((ix) => {
        const of = (e: (typeof decoded)[number]) => String(e.args.indexer).toLowerCase() === ix.toLowerCase();
        return {
          address: ix.toLowerCase(),
          cumulativeRewards: sum((e) => isRewards(e) && of(e), "amount").toString(),
          cumulativeFees: sum((e) => e.event === "RebateCollected" && of(e), "queryFees").toString(),
          cumulativeSlashed: sum((e) => e.event === "StakeSlashed" && of(e), "tokens").toString(),
        };
      }).sort((x, y) => (x.address < y.address ? -1 : 1));
      const isTransfer = (e: (typeof decoded)[number]) =>
        e.address.toLowerCase() === token.toLowerCase() && e.event === "Transfer";
      const ZERO = "0x0000000000000000000000000000000000000000";
      const flows = {
        cumulativeMinted: sum((e) => isTransfer(e) && e.args.from === ZERO, "value").toString(),
        cumulativeBurned: sum((e) => isTransfer(e) && e.args.to === ZERO, "value").toString(),
        cumulativeGrossEmission: sum(isRewards, "amount").toString(),
      };
      expect(BigInt(flows.cumulativeGrossEmission)).toBeGreaterThan(0n);
      expect(perIndexer.every((o) => BigInt(o.cumulativeFees) > 0n)).toBe(true);
      scenario.assertions.push({
        query: `{ protocol(id: "thegraph") { cumulativeMinted cumulativeBurned cumulativeGrossEmission } operators(orderBy: address) { address cumulativeRewards cumulativeFees cumulativeSlashed } }`,
        expected: { protocol: flows, operators: perIndexer },
      });
      // a closing block (gnd convention)
      scenario.blocks.push({ number: scenario.blocks.length + 1, timestamp: lastTs + 86_400, events: [] });
      const file = join(tmp, `thegraph-real-reconcile-${rewardsManager}.json`);
      writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
      if (process.env.AITOK_RECONCILE_SCENARIO)
        writeFileSync(
          `${process.env.AITOK_RECONCILE_SCENARIO}.${rewardsManager}.json`,
          JSON.stringify(scenario, null, 2),
        );

      gnd = await startGndTestRunner(deployment);
      const { code, output, passed } = await gnd.run(file);
      if (code !== 0) console.error(`gnd test exited with ${code}:\n${output}`);
      expect(code, output).toBe(0);
      expect(passed, output).toBe(true);
      expect(scenario.assertions.length).toBe(checkpoints.length + 1);
    });
  },
);
