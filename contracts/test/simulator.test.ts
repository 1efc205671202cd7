import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type Abi,
  type AbiEvent,
  createPublicClient,
  decodeEventLog,
  type Hex,
  http,
  type PublicClient,
  parseAbi,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as f from "../../api/src/metrics/formulas.js";
import { compileContracts } from "../src/compile.js";
import { type Deployment, deployContracts } from "../src/deploy.js";
import { economySlugs } from "../src/protocols/index.js";
import { STAKE_ABI } from "../src/protocols/singularitynet/contracts.js";
import type { GraphLegacyDeployment } from "../src/protocols/thegraph/deploy.js";
import { GraphContext } from "../src/protocols/thegraph/simctx.js";
import { GraphState } from "../src/protocols/thegraph/state.js";
import { Rpc } from "../src/rpc.js";
import { type GroundTruth, type ProtocolTruth, simulate } from "../src/simulate.js";

/** A protocol's part of a ground truth (every registered economy has one). */
function truthOf(gt: GroundTruth, slug: string): ProtocolTruth {
  const t = gt.protocols[slug];
  if (!t) throw new Error(`the ground truth has no ${slug}`);
  return t;
}

/** A protocol's section of a deployment. */
function sectionOf(d: Deployment, slug: string): Record<string, { address: Hex; startBlock: number }> {
  const s = d.protocols[slug];
  if (!s) throw new Error(`the deployment has no ${slug}`);
  return s;
}

/** The Graph's switch to Horizon in a ground truth (its milestone). */
function horizonSwitchTime(gt: GroundTruth): number {
  const t = truthOf(gt, "thegraph").milestones?.horizonSwitch;
  if (typeof t !== "number") throw new Error("The Graph never switched to Horizon");
  return t;
}

const ROOT = resolve(import.meta.dirname, "../..");
const ANVIL = join(ROOT, "node_modules/.bin/anvil");
const START = Date.UTC(2024, 0, 1) / 1000; // Monday 2024-01-01
// anvil writes the states of older blocks to a disk cache it never removes (~/.foundry/anvil/tmp by
// default): ours goes to a temporary folder, removed when the anvils have exited.
const ANVIL_CACHE = mkdtempSync(join(tmpdir(), "aitok-anvil-cache-"));
const DAYS = 21;
/**
 * A seed whose 21 days have every event the tests below require. Each protocol's history depends on the seed alone
 * (contracts/test/independence.test.ts), not on which other protocols are registered; of seeds 1 to 12, 2 and 3 have
 * every event (most lack a rejected SingularityNET stake).
 */
const SEED = 2;
const ZERO = "0x0000000000000000000000000000000000000000";
const TRANSFER = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/** Our emitter contracts, each declaring exactly the events of its real contract's ABI (abis/). */
const EMITTERS = [
  "LivepeerToken",
  "BondingManager",
  "Minter",
  "RoundsManager",
  "TicketBroker",
  "GraphPayments",
  "PaymentsEscrow",
] as const;
/** The subgraph's ABIs: the emitters', and The Graph's real contracts'. */
const REAL = [
  ...EMITTERS,
  "L2GraphToken",
  "GraphStaking",
  "RewardsManager",
  "L2Curation",
  "ChainlinkAggregator",
  "UniswapV3Pool",
] as const;
const abiOf = (name: string) => JSON.parse(readFileSync(join(ROOT, "abis", `${name}.json`), "utf8")) as Abi;
const topics = JSON.parse(readFileSync(join(ROOT, "abis/topics.json"), "utf8")) as Record<
  string,
  Record<string, Hex>
>;
const topicName = new Map<string, string>();
for (const events of Object.values(topics))
  for (const [sig, t] of Object.entries(events)) topicName.set(t, sig);
/** Every registered economy's ABIs (abis/<slug>/): their contracts' events are known too. */
const ECONOMY_ABIS = economySlugs().flatMap((slug) =>
  existsSync(join(ROOT, "abis", slug))
    ? readdirSync(join(ROOT, "abis", slug))
        .filter((f) => f.endsWith(".json"))
        .map((f) => `${slug}/${f.slice(0, -5)}`)
    : [],
);
const allEvents: AbiEvent[] = [...REAL, ...ECONOMY_ABIS].flatMap((n) =>
  abiOf(n).filter((x): x is AbiEvent => x.type === "event"),
);

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => res(port));
    });
    s.on("error", rej);
  });
}

async function startAnvil(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(
    ANVIL,
    [
      "--port",
      String(port),
      "--timestamp",
      String(START - 30 * 86400),
      "--cache-path",
      join(ANVIL_CACHE, String(port)),
      "--order",
      "fifo",
      "--silent",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  proc.stderr?.on("data", (b: Buffer) => process.stderr.write(`anvil: ${b}`));
  proc.on("exit", (code, sig) => {
    if (code !== null && code !== 0) process.stderr.write(`anvil on ${port} exited: ${code} ${sig}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  const rpc = new Rpc(url);
  for (let i = 0; i < 100; i++) {
    try {
      await rpc.call("eth_chainId");
      return { url, proc };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  proc.kill();
  throw new Error("anvil did not start");
}

// after every suite's anvil has exited
afterAll(() => rmSync(ANVIL_CACHE, { recursive: true, force: true }));

interface Log {
  address: Hex;
  topics: Hex[];
  data: Hex;
  blockNumber: Hex;
  transactionHash: Hex;
  logIndex: Hex;
}

describe("simulator on a real anvil", () => {
  let anvil: { url: string; proc: ChildProcess };
  let deployment: Deployment;
  let gt: GroundTruth;
  let rpc: Rpc;
  let logs: Log[];
  let graphCtx: GraphContext;
  const blockTime = new Map<number, number>();
  const started: ChildProcess[] = [];

  beforeAll(async () => {
    anvil = await startAnvil();
    started.push(anvil.proc);
    rpc = new Rpc(anvil.url);
    deployment = await deployContracts({ rpcUrl: anvil.url });
    const head0 = Number(await rpc.call<Hex>("eth_blockNumber"));
    gt = await simulate({
      rpcUrl: anvil.url,
      deployment,
      seed: SEED,
      days: DAYS,
      startTime: START,
    });
    // the simulation's logs (the deployment's configuration events are before)
    logs = await rpc.call<Log[]>("eth_getLogs", [
      { fromBlock: `0x${(head0 + 1).toString(16)}`, toBlock: "latest" },
    ]);
    const compiled = await compileContracts();
    const extras = deployment.simulator?.protocols?.thegraph ?? {};
    graphCtx = new GraphContext(
      sectionOf(deployment, "thegraph"),
      (name) => extras[name] ?? "",
      (name) => compiled[name] as (typeof compiled)[string],
      (to, abi, functionName, args) => rpc.read(to, abi, functionName, args),
    );
    const head = Number(await rpc.call<Hex>("eth_blockNumber"));
    const blocks = await rpc.batch<{ number: Hex; timestamp: Hex }>(
      Array.from({ length: head + 1 }, (_, i) => ({
        method: "eth_getBlockByNumber",
        params: [`0x${i.toString(16)}`, false],
      })),
    );
    for (const b of blocks) blockTime.set(Number(b.number), Number(b.timestamp));
  });

  afterAll(async () => {
    await Promise.all(
      started.map(
        (p) =>
          new Promise<void>((done) => {
            if (p.exitCode !== null || p.signalCode !== null) return done();
            p.once("exit", () => done());
            p.kill();
          }),
      ),
    );
  });

  const ts = (l: Log) => blockTime.get(Number(l.blockNumber)) as number;
  const dayIndex = (l: Log) => Math.floor((ts(l) - START) / 86400);
  /** A log decoded with the subgraph's ABIs; null for the real contracts' events the subgraph has no ABI entry for. */
  const decode = (l: Log) => {
    try {
      return decodeEventLog({ abi: allEvents, topics: l.topics as [Hex], data: l.data, strict: true });
    } catch {
      return null;
    }
  };

  it("the emitters declare exactly the real events; The Graph's real ABIs and the Horizon emitter cover the subgraph's", async () => {
    const compiled = await compileContracts();
    const sigs = (abi: Abi) =>
      abi
        .filter((x): x is AbiEvent => x.type === "event")
        .map((e) => `${e.name}(${e.inputs.map((i) => `${i.type}${i.indexed ? " indexed" : ""}`).join(",")})`)
        .sort();
    for (const name of EMITTERS) expect(sigs(compiled[name]?.abi ?? []), name).toEqual(sigs(abiOf(name)));
    expect(sigs(compiled.SimHub.abi)).toEqual([]);
    const real = {
      L2GraphToken: sigs(graphCtx.abi.grt),
      RewardsManager: sigs(graphCtx.abi.rewards),
      L2Curation: sigs(graphCtx.abi.curation),
      // the staking proxy: L2Staking + StakingExtension 7.2.1, then the Horizon implementation
      GraphStaking: sigs(graphCtx.abi.staking),
    };
    const older = [
      // L2Staking's query-fee events before the exponential-rebates upgrade (2022-11 to 2023-09): in no 7.2.1 ABI
      "AllocationCollected(address indexed,bytes32 indexed,uint256,uint256,address indexed,address,uint256,uint256)",
      "RebateClaimed(address indexed,bytes32 indexed,address indexed,uint256,uint256,uint256,uint256,uint256)",
      // a RewardsManager later than 7.2.1 (the subgraph's ABI is Arbitrum One's current one)
      "RewardsDeniedDueToEligibility(address indexed,address indexed,uint256)",
      "RewardsReclaimed(bytes32 indexed,uint256,address indexed,address indexed,bytes32)",
      // HorizonStaking events the simulated Horizon period does not emit (provisions are not simulated)
      "ProvisionCreated(address indexed,address indexed,uint256,uint32,uint64)",
      "ProvisionThawed(address indexed,address indexed,uint256)",
      "TokensDeprovisioned(address indexed,address indexed,uint256)",
      "DelegationSlashingSkipped(address indexed,address indexed,uint256)",
    ];
    for (const [name, have] of Object.entries(real))
      for (const sig of sigs(abiOf(name)))
        if (!older.includes(sig)) expect(have, `${name}: ${sig}`).toContain(sig);
    for (const sig of sigs(compiled.GraphHorizonStaking.abi))
      expect(sigs(abiOf("GraphStaking"))).toContain(sig);
  });

  it("writes a deployment shaped like arbitrum-one.json", () => {
    expect(Object.keys(sectionOf(deployment, "livepeer")).sort()).toEqual(
      ["BondingManager", "LivepeerToken", "Minter", "RoundsManager", "TicketBroker"].sort(),
    );
    for (const p of Object.values(deployment.protocols))
      for (const c of Object.values(p)) {
        expect(c.address).toMatch(/^0x[0-9a-fA-F]{40}$/);
        expect(c.startBlock).toBeGreaterThan(0);
      }
  });

  it("emits only known events, as many as the ground truth says", async () => {
    expect(logs.length).toBe(gt.events);
    // the subgraph's events, The Graph's real contracts' others (Approval, AllocationCreated, ...), or an event
    // of a registered economy's own emitter contracts (contracts/sol/<slug>/: e.g. Builders' BuilderPoolCreated)
    const emitterEvents = Object.values(await compileContracts()).flatMap((c) =>
      c.abi.filter((x): x is AbiEvent => x.type === "event"),
    );
    const known = (l: Log) => {
      if (decode(l) !== null || graphCtx.decode(l) !== null) return true;
      try {
        decodeEventLog({ abi: emitterEvents, topics: l.topics as [Hex], data: l.data, strict: true });
        return true;
      } catch {
        return false;
      }
    };
    for (const l of logs) expect(known(l), l.topics[0]).toBe(true);
    const seen = new Set(logs.map((l) => topicName.get(l.topics[0] as string)));
    for (const sig of [
      "RewardsAssigned(address,address,uint256,uint256)",
      "HorizonRewardsAssigned(address,address,uint256)",
      "StakeDeposited(address,uint256)",
      "SetRewardsDestination(address,address)",
      "AllocationClosed(address,bytes32,uint256,uint256,address,address,bytes32,bool)",
      "Collected(bytes32,uint256)",
      "TokensToDelegationPoolAdded(address,address,uint256)",
      "ProvisionIncreased(address,address,uint256)",
      "DelegationFeeCutSet(address,address,uint8,uint256)",
      "DelegationSlashed(address,address,uint256)",
      "ThawRequestCreated(uint8,address,address,address,uint256,uint64,bytes32,uint256)",
      "ThawRequestsFulfilled(uint8,address,address,address,uint256,uint256)",
      "Deposit(address,address,address,uint256)",
      "EscrowCollected(uint8,address,address,address,uint256,address)",
      "TranscoderSlashed(address,address,uint256,uint256)",
      "TreasuryReward(address,address,uint256)",
      "EarningsClaimed(address,address,uint256,uint256,uint256,uint256)",
      "Rebond(address,address,uint256,uint256)",
      "WithdrawStake(address,uint256,uint256,uint256)",
      "StakeSlashed(address,uint256,uint256,address)",
      "ProvisionSlashed(address,address,uint256)",
      "VerifierTokensSent(address,address,address,uint256)",
      "BridgeMinted(address,uint256)",
      "BridgeBurned(address,uint256)",
      "Signalled(address,bytes32,uint256,uint256,uint256)",
      "DepositFunded(address,uint256)",
      "HorizonStakeDeposited(address,uint256)",
      "TokensDelegated(address,address,address,uint256,uint256)",
      "DelegatedTokensWithdrawn(address,address,address,uint256)",
      "StakeDelegatedWithdrawn(address,address,uint256)",
      "RebateCollected(address,address,bytes32,address,uint256,uint256,uint256,uint256,uint256,uint256,uint256)",
      // SingularityNET's released TokenStake (the real bytecode): every path of a staking window
      "OpenForStake(uint256,address,uint256,uint256,uint256,uint256)",
      "SubmitStake(uint256,address,uint256)",
      "WithdrawStake(uint256,address,uint256)",
      "RejectStake(uint256,address,address,uint256)",
      "AddReward(address,uint256,address,uint256,uint256,uint256)",
      "RequestForClaim(uint256,address,bool)",
      "ClaimStake(uint256,address,uint256)",
    ])
      expect(seen.has(sig), sig).toBe(true);
  });

  it("covers the required edge cases", () => {
    const times = [...blockTime.values()].filter((t) => t >= START && t < gt.endTime);
    expect(times).toContain(START); // 00:00:00
    expect(times).toContain(START + 2 * 86400 - 1); // 23:59:59 of day 1
    const activeDays = new Set(times.map((t) => Math.floor((t - START) / 86400)));
    expect(activeDays.size).toBeLessThan(DAYS); // some empty days
    expect([...blockTime.values()]).toContain(gt.endTime + 3600); // the closing block
    const transfers = logs.filter((l) => l.topics[0] === TRANSFER);
    expect(transfers.some((l) => BigInt(l.data) === 0n)).toBe(true); // a zero-amount transfer
    const byBlock = new Map<string, { mint: boolean; burn: boolean }>();
    for (const l of transfers) {
      const k = `${l.address}:${l.blockNumber}`;
      const v = byBlock.get(k) ?? { mint: false, burn: false };
      if (BigInt(l.topics[1] as Hex) === 0n) v.mint = true;
      if (BigInt(l.topics[2] as Hex) === 0n) v.burn = true;
      byBlock.set(k, v);
    }
    expect([...byBlock.values()].some((v) => v.mint && v.burn)).toBe(true);
    const perTx = new Map<string, number>();
    for (const l of logs) perTx.set(l.transactionHash, (perTx.get(l.transactionHash) ?? 0) + 1);
    expect(Math.max(...perTx.values())).toBeGreaterThan(5);
    // GraphPaymentCollected with payment types 0 and 1 (indexing rewards do not go through GraphPayments)
    const types = new Set(
      logs
        .filter((l) => topicName.get(l.topics[0] as string)?.startsWith("GraphPaymentCollected"))
        .map((l) => Number(BigInt(l.topics[1] as Hex))),
    );
    expect([...types].sort()).toEqual([0, 1]);
    // a payer paying twice in a day and again the next day (Livepeer)
    const lpDaily = truthOf(gt, "livepeer").daily;
    expect(lpDaily[1]?.payers).toBeGreaterThan(0);
    expect(lpDaily[2]?.payers).toBeGreaterThan(0);
  });

  it("has gap-free daily rows with stocks carried over empty days", () => {
    for (const p of Object.values(gt.protocols)) {
      expect(p.daily.map((r) => r.timestamp)).toEqual(
        Array.from({ length: DAYS }, (_, i) => START + i * 86400),
      );
      for (let i = 1; i < p.daily.length; i++) {
        const r = p.daily[i] as (typeof p.daily)[number];
        const prev = p.daily[i - 1] as (typeof p.daily)[number];
        expect(BigInt(r.totalSupply)).toBe(BigInt(prev.totalSupply) + BigInt(r.minted) - BigInt(r.burned));
        expect(BigInt(r.cumulativeFees)).toBe(BigInt(prev.cumulativeFees) + BigInt(r.fees));
      }
      expect(p.weekly.map((w) => w.date)).toEqual(["2024-01-01", "2024-01-08", "2024-01-15"]);
      expect(p.monthly.map((m) => m.date)).toEqual(["2024-01-01"]);
    }
  });

  for (const slug of ["livepeer", "thegraph"] as const) {
    it(`${slug}: minted, burned, transfers and holders per day match the chain's Transfer logs`, async () => {
      const truth = truthOf(gt, slug);
      const token = truth.token.address.toLowerCase();
      const minted = new Array<bigint>(DAYS).fill(0n);
      const burned = new Array<bigint>(DAYS).fill(0n);
      const volume = new Array<bigint>(DAYS).fill(0n);
      const count = new Array<number>(DAYS).fill(0);
      const balances = new Map<string, bigint>();
      for (const l of logs) {
        if (l.address.toLowerCase() !== token || l.topics[0] !== TRANSFER) continue;
        const d = dayIndex(l);
        if (d < 0 || d >= DAYS) continue;
        const from = `0x${(l.topics[1] as Hex).slice(26)}`;
        const to = `0x${(l.topics[2] as Hex).slice(26)}`;
        const v = BigInt(l.data);
        if (from !== ZERO && to !== ZERO) {
          // transferVolume excludes mints and burns (docs/metrics.md)
          volume[d] = (volume[d] as bigint) + v;
          count[d] = (count[d] as number) + 1;
        }
        if (from === ZERO) minted[d] = (minted[d] as bigint) + v;
        else balances.set(from, (balances.get(from) ?? 0n) - v);
        if (to === ZERO) burned[d] = (burned[d] as bigint) + v;
        else balances.set(to, (balances.get(to) ?? 0n) + v);
      }
      expect(truth.daily.map((r) => BigInt(r.minted))).toEqual(minted);
      expect(truth.daily.map((r) => BigInt(r.burned))).toEqual(burned);
      expect(truth.daily.map((r) => BigInt(r.transferVolume))).toEqual(volume);
      expect(truth.daily.map((r) => r.transferCount)).toEqual(count);
      const last = truth.daily[DAYS - 1] as (typeof truth.daily)[number];
      expect(last.holders).toBe([...balances.values()].filter((v) => v > 0n).length);
      const supply = await rpc.call<Hex>("eth_call", [{ to: token, data: "0x18160ddd" }, "latest"]);
      expect(BigInt(supply)).toBe(BigInt(last.totalSupply));
    });
  }

  it("emission, fees, burn causes and slashes per day match the decoded events", () => {
    const zero = () => new Array<bigint>(DAYS).fill(0n);
    const lp = { ge: zero(), tr: zero(), fees: zero(), dep: zero(), sl: zero() };
    const g = {
      ge: zero(),
      fees: zero(),
      tax: zero(),
      cur: zero(),
      bridge: zero(),
      ctax: zero(),
      sl: zero(),
    };
    const add = (arr: bigint[], d: number, v: bigint) => {
      arr[d] = (arr[d] as bigint) + v;
    };
    for (const l of logs) {
      const d = dayIndex(l);
      if (d < 0 || d >= DAYS || l.topics[0] === TRANSFER) continue;
      const ev = decode(l);
      if (!ev) continue;
      const a = ev.args as unknown as Record<string, bigint | number>;
      switch (ev.eventName) {
        case "Reward":
          add(lp.ge, d, a.amount as bigint);
          break;
        case "TreasuryReward":
          add(lp.ge, d, a.amount as bigint);
          add(lp.tr, d, a.amount as bigint);
          break;
        case "WinningTicketRedeemed":
          add(lp.fees, d, a.faceValue as bigint);
          break;
        case "DepositFunded":
          add(lp.dep, d, a.amount as bigint);
          break;
        case "TranscoderSlashed":
          add(lp.sl, d, a.penalty as bigint);
          break;
        case "RewardsAssigned":
        case "HorizonRewardsAssigned":
          add(g.ge, d, a.amount as bigint);
          break;
        case "RebateCollected":
          add(g.fees, d, a.tokens as bigint);
          add(g.tax, d, a.protocolTax as bigint);
          add(g.cur, d, a.curationFees as bigint);
          break;
        case "GraphPaymentCollected":
          if (Number(a.paymentType) !== 2) {
            add(g.fees, d, a.tokens as bigint);
            add(g.cur, d, a.tokensDataService as bigint);
          }
          add(g.tax, d, a.tokensProtocol as bigint);
          break;
        case "BridgeBurned":
          add(g.bridge, d, a.amount as bigint);
          break;
        case "Signalled":
          add(g.ctax, d, a.curationTax as bigint);
          break;
        case "StakeSlashed":
        case "ProvisionSlashed":
        case "DelegationSlashed":
          add(g.sl, d, a.tokens as bigint);
          break;
      }
    }
    const col = (slug: "livepeer" | "thegraph", f: string) =>
      truthOf(gt, slug).daily.map((r) => BigInt((r as unknown as Record<string, string>)[f] as string));
    expect(col("livepeer", "grossEmission")).toEqual(lp.ge);
    expect(col("livepeer", "treasuryEmission")).toEqual(lp.tr);
    expect(col("livepeer", "fees")).toEqual(lp.fees);
    expect(col("livepeer", "depositsFunded")).toEqual(lp.dep);
    expect(col("livepeer", "slashed")).toEqual(lp.sl);
    expect(col("thegraph", "grossEmission")).toEqual(g.ge);
    expect(col("thegraph", "fees")).toEqual(g.fees);
    expect(col("thegraph", "burnedFeeTax")).toEqual(g.tax);
    expect(col("thegraph", "curationFees")).toEqual(g.cur);
    expect(col("thegraph", "burnedBridge")).toEqual(g.bridge);
    expect(col("thegraph", "burnedCurationTax")).toEqual(g.ctax);
    expect(col("thegraph", "slashed")).toEqual(g.sl);
    expect(lp.sl.some((v) => v > 0n)).toBe(true);
    // the legacy slash is before the Horizon switch, the Horizon one after
    const switchDay = Math.floor((horizonSwitchTime(gt) - START) / 86400);
    const names = logs.map((l) => ({ d: dayIndex(l), n: topicName.get(l.topics[0] as string) ?? "" }));
    expect(names.some((x) => x.n.startsWith("StakeSlashed") && x.d < switchDay)).toBe(true);
    expect(names.some((x) => x.n.startsWith("ProvisionSlashed") && x.d >= switchDay)).toBe(true);
  });

  it("thegraph: staked is the GRT the staking contract holds at the end of every day (its balance, from the chain's Transfer logs)", () => {
    // The staking contract holds nothing but stake: indexers' stake, delegation pools (with their shares of
    // rewards and fees) and undelegated tokens not withdrawn yet (docs/metrics.md, staked).
    const staking = (
      sectionOf(deployment, "thegraph").GraphStaking as { address: Hex }
    ).address.toLowerCase();
    const token = truthOf(gt, "thegraph").token.address.toLowerCase();
    const balance = new Array<bigint>(DAYS).fill(0n);
    let b = 0n;
    let day = 0;
    for (const l of logs) {
      if (l.address.toLowerCase() !== token || l.topics[0] !== TRANSFER) continue;
      const d = dayIndex(l);
      while (day < d && day < DAYS) balance[day++] = b;
      const v = BigInt(l.data);
      if (`0x${(l.topics[1] as Hex).slice(26)}` === staking) b -= v;
      if (`0x${(l.topics[2] as Hex).slice(26)}` === staking) b += v;
    }
    while (day < DAYS) balance[day++] = b;
    expect(truthOf(gt, "thegraph").daily.map((r) => BigInt(r.staked))).toEqual(balance);
  });

  it("thegraph: the staking contract's stake state (real getters, read by GraphState) adds up to staked and its balance", async () => {
    // GraphStaking keeps tokensStaked, the pools' tokens and locked delegations (docs/simulator.md, "GraphStaking:
    // the stake state it keeps"): at the end, their sum over every indexer is the last day's staked.
    const staking = (sectionOf(deployment, "thegraph").GraphStaking as { address: Hex }).address;
    const client = createPublicClient({ transport: http(anvil.url) }) as PublicClient;
    const state = new GraphState(client, {
      contracts: {
        L2Staking: { address: staking },
        L2GraphToken: { address: truthOf(gt, "thegraph").token.address },
      },
    } as unknown as GraphLegacyDeployment);
    const indexers = new Set<string>();
    const locked = new Set<string>();
    for (const l of logs) {
      if (l.address.toLowerCase() !== staking.toLowerCase()) continue;
      const e = decode(l);
      if (!e) continue;
      const a = e.args as unknown as Record<string, string>;
      const ix = a.indexer ?? a.serviceProvider;
      if (ix) indexers.add(ix.toLowerCase());
      if (e.eventName === "StakeDelegatedLocked") locked.add(`${ix}/${a.delegator}`.toLowerCase());
    }
    let sum = 0n;
    for (const ix of indexers) {
      sum += (await state.stakes(ix as Hex)).tokensStaked + (await state.delegationPool(ix as Hex)).tokens;
    }
    for (const key of locked) {
      const [ix, d] = key.split("/") as [Hex, Hex];
      sum += (await state.delegation(ix, d)).tokensLocked;
    }
    const last = truthOf(gt, "thegraph").daily[DAYS - 1];
    expect(sum).toBe(BigInt(last?.staked ?? "-1"));
    expect(sum).toBe(await state.balanceOf(staking));
  });

  it("singularitynet: the real TokenStake's balances (its getter) add up to staked; it holds them and the reward pool's rest", async () => {
    // balances[staker] is what the staker may take out (principal and added rewards): the subgraph's Staker.stake
    const stake = deployment.protocols.singularitynet?.TokenStake?.address as Hex;
    const truth = gt.protocols.singularitynet;
    if (!stake || !truth) throw new Error("the simulation has no SingularityNET TokenStake");
    const client = createPublicClient({ transport: http(anvil.url) }) as PublicClient;
    const stakers = new Set<Hex>();
    for (const l of logs) {
      if (l.address.toLowerCase() !== stake.toLowerCase()) continue;
      const e = decode(l);
      const staker = (e?.args as { staker?: Hex } | undefined)?.staker;
      if (staker) stakers.add(staker);
    }
    expect(stakers.size).toBeGreaterThan(0);
    let sum = 0n;
    for (const s of stakers)
      sum += (await client.readContract({
        address: stake,
        abi: STAKE_ABI,
        functionName: "balances",
        args: [s],
      })) as bigint;
    const last = truth.daily[DAYS - 1];
    expect(sum).toBe(BigInt(last?.staked ?? "-1"));
    const held = (await client.readContract({
      address: truth.token.address as Hex,
      abi: parseAbi(["function balanceOf(address) view returns (uint256)"]),
      functionName: "balanceOf",
      args: [stake],
    })) as bigint;
    expect(held >= sum).toBe(true);
  });

  it("thegraph: every escrowed GraphPaymentCollected names the escrow as payer and is followed by EscrowCollected", () => {
    const escrow = (deployment.simulator?.protocols?.thegraph?.PaymentsEscrow ?? "").toLowerCase();
    const name = (l: Log | undefined) => (l ? (topicName.get(l.topics[0] as string) ?? "") : "");
    let n = 0;
    logs.forEach((l, i) => {
      if (!name(l).startsWith("GraphPaymentCollected")) return;
      n++;
      expect(`0x${(l.topics[2] as Hex).slice(26)}`).toBe(escrow);
      const next = logs[i + 1];
      expect(name(next)).toMatch(/^EscrowCollected/);
      expect(next?.transactionHash).toBe(l.transactionHash);
    });
    expect(n).toBeGreaterThan(0);
  });

  it("thegraph: delegators redelegate in both periods (legacy withdrawDelegated to a new indexer, Horizon redelegate)", () => {
    const byTx = new Map<string, string[]>();
    for (const l of logs) {
      const n = topicName.get(l.topics[0] as string);
      if (n) byTx.set(l.transactionHash, [...(byTx.get(l.transactionHash) ?? []), n.split("(")[0] as string]);
    }
    const txs = [...byTx.values()];
    // legacy: the withdrawal and the new delegation in one transaction
    expect(txs.some((n) => n.includes("StakeDelegatedWithdrawn") && n.includes("StakeDelegated"))).toBe(true);
    // Horizon: the thaw request fulfilled and TokensDelegated, without DelegatedTokensWithdrawn
    expect(
      txs.some(
        (n) =>
          n.includes("ThawRequestsFulfilled") &&
          n.includes("TokensDelegated") &&
          !n.includes("DelegatedTokensWithdrawn"),
      ),
    ).toBe(true);
  });

  it("after Horizon, each delegation withdrawal emits one event: legacy or Horizon, never both", () => {
    const after = logs.filter((l) => ts(l) >= horizonSwitchTime(gt));
    const legacy = after.filter((l) =>
      topicName.get(l.topics[0] as string)?.startsWith("StakeDelegatedWithdrawn"),
    );
    const horizon = after.filter((l) =>
      topicName.get(l.topics[0] as string)?.startsWith("DelegatedTokensWithdrawn"),
    );
    expect(horizon.length).toBeGreaterThan(0);
    const key = (l: (typeof logs)[number]) => `${l.transactionHash}:${l.topics[1]}:${l.topics.at(-1)}`;
    const horizonKeys = new Set(horizon.map((l) => `${l.transactionHash}:${l.topics[1]}:${l.topics[3]}`));
    for (const l of legacy)
      expect(horizonKeys.has(key(l)), `legacy withdrawal ${key(l)} doubled`).toBe(false);
  });

  it("is deterministic: the same seed gives the same ground truth", async () => {
    const other = await startAnvil();
    started.push(other.proc);
    const d2 = await deployContracts({ rpcUrl: other.url });
    const gt2 = await simulate({
      rpcUrl: other.url,
      deployment: d2,
      seed: SEED,
      days: DAYS,
      startTime: START,
    });
    expect(gt2).toEqual(gt);
    other.proc.kill();
  });

  it("refuses a startTime not after the chain head", async () => {
    await expect(
      simulate({ rpcUrl: anvil.url, deployment, seed: 1, days: 2, startTime: START }),
    ).rejects.toThrow(/is not after the chain's latest block timestamp/);
  });
});

/**
 * The default economy (what `npm start` simulates). Its figures against the published ones are calibration targets
 * (contracts/src/protocols/<slug>/calibration.json), read through the gateway by tests/calibration.e2e.test.ts.
 */
describe("the default economy", () => {
  let anvil: { url: string; proc: ChildProcess };
  let gt: GroundTruth;

  beforeAll(async () => {
    anvil = await startAnvil();
    const deployment = await deployContracts({ rpcUrl: anvil.url });
    // what `npm start` simulates: every option at its default (90 days, seed 1, 5 operators, 30 stakers, 10 payers)
    gt = await simulate({ rpcUrl: anvil.url, deployment, seed: 1, startTime: START });
  });

  afterAll(async () => {
    if (!anvil || anvil.proc.exitCode !== null || anvil.proc.signalCode !== null) return;
    await new Promise<void>((done) => {
      anvil.proc.once("exit", () => done());
      anvil.proc.kill();
    });
  });

  // issue 12: the default scorecard answers "do fees cover incentives?" for Livepeer too (ETH against LPT in USD)
  for (const protocol of ["livepeer", "thegraph"] as const)
    it(`${protocol}: every fee and reward of the scorecard's window has a price, so incentive coverage has a number`, () => {
      const win = truthOf(gt, protocol).daily.slice(-30);
      const sum = (k: "feesUnpriced" | "grossEmissionUnpriced" | "feesUsd" | "grossEmissionUsd") =>
        win.reduce((a, d) => a + BigInt(d[k]), 0n);
      expect(sum("feesUnpriced")).toBe(0n);
      expect(sum("grossEmissionUnpriced")).toBe(0n);
      const coverage = f.incentiveCoverageUsd(sum("feesUsd"), sum("grossEmissionUsd"));
      expect(coverage).not.toBeNull();
      expect(coverage as number).toBeGreaterThan(0);
    });
});
