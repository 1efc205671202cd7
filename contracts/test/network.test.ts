/**
 * The second-network host (contracts/src/network.ts) on a real anvil, with a tiny test economy of its own (not
 * registered): a token bridged in (minted on receive, burned on send) and moved between holders. Its ground
 * truth must equal what the chain's own Transfer logs add up to, day by day, and the economies without a part on
 * the network (deploy returns null) must not run there.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, decodeEventLog, type Hex, parseAbi } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { anvilBinary, rpc } from "../../stack/src/anvil.js";
import { ProtocolLedger } from "../src/ledger.js";
import {
  createNetworkSimulator,
  deployNetwork,
  type NetworkDeployment,
  type NetworkGroundTruth,
} from "../src/network.js";
import type { ChainLog, DeployedContract, Deployer, Economy, Push, SimHost } from "../src/protocols/types.js";

const START = Date.UTC(2024, 0, 1) / 1000;
const DAYS = 4;
const TOKEN_ABI = parseAbi([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "event Mint(address indexed to, uint256 amount)",
  "event Burn(address indexed burner, uint256 amount)",
  "function mint(address to, uint256 amount)",
  "function burnFrom(address from, uint256 amount)",
  "function transfer(address to, uint256 amount) returns (bool)",
]);
const ZERO = "0x0000000000000000000000000000000000000000";

/** A bridged token: bridge mints to holders, holders transfer, bridge burns (sends back). */
class BridgedTestEconomy implements Economy {
  readonly slug = "bridgetest";
  deployedOn: boolean[] = [];
  attachedPrimary: boolean | undefined;
  private host!: SimHost;
  private token!: Address;
  private owner!: Address;
  readonly ledger = new ProtocolLedger(ZERO);
  private readonly pending = new Map<string, bigint>();

  async deploy(d: Deployer) {
    this.deployedOn.push(d.primary);
    if (d.primary) return null;
    const c = d.compiled("LivepeerToken");
    const token = await d.deploy(d.owner, "bridgetest token", c.abi, c.bytecode);
    return { contracts: { Token: token }, simulator: { owner: d.owner }, bridged: true };
  }
  attach(host: SimHost, contracts: Record<string, DeployedContract>, simulator?: Record<string, string>) {
    this.host = host;
    this.attachedPrimary = host.primary;
    this.token = (contracts.Token as DeployedContract).address;
    this.owner = simulator?.owner as Address;
    (this.ledger as { token: string }).token = this.token.toLowerCase();
  }
  private bal(a: Address): bigint {
    return this.ledger.balanceOf(a.toLowerCase()) + (this.pending.get(a) ?? 0n);
  }
  plan(day: number, blocks: number, push: Push): void {
    const r = this.host.rng(`day-${day}`);
    const holders = [0, 1, 2, 3].map((i) => this.host.account(`holder-${i}`));
    for (let i = 0; i < 6; i++) {
      const kind = r.int(0, 2);
      const who = r.pick(holders);
      const to = r.pick(holders);
      const amount = BigInt(r.int(1, 1000)) * 10n ** 18n;
      push(r.int(0, blocks - 1), 0, () => {
        const have = this.bal(who);
        if (kind === 0 || have === 0n) {
          this.host.send(this.owner, this.token, TOKEN_ABI, "mint", [who, amount], "bridge mint");
          this.pending.set(who, (this.pending.get(who) ?? 0n) + amount);
        } else if (kind === 1) {
          const a = have / 2n;
          this.host.send(who, this.token, TOKEN_ABI, "transfer", [to, a], "transfer");
          this.pending.set(who, (this.pending.get(who) ?? 0n) - a);
          this.pending.set(to, (this.pending.get(to) ?? 0n) + a);
        } else {
          const a = have / 3n;
          this.host.send(this.owner, this.token, TOKEN_ABI, "burnFrom", [who, a], "bridge burn");
          this.pending.set(who, (this.pending.get(who) ?? 0n) - a);
        }
      });
    }
  }
  realtime(): void {} // (wall-clock mode: contracts/test/realtime.test.ts, with the registered economies)
  onLog(log: ChainLog): void {
    if (log.address.toLowerCase() !== this.token.toLowerCase()) return;
    const d = decodeEventLog({
      abi: TOKEN_ABI,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: false,
    });
    if (d.eventName !== "Transfer") return;
    const a = d.args as { from: string; to: string; value: bigint };
    this.ledger.now = this.host.now();
    this.ledger.transfer(a.from.toLowerCase(), a.to.toLowerCase(), a.value);
    if (a.from === ZERO) this.ledger.f.mintedBridge += a.value;
    if (a.to === ZERO) this.ledger.f.burnedBridge += a.value;
  }
  afterBlock(ts: number): void {
    this.pending.clear();
    this.ledger.snapshot(ts);
  }
  progress(): string {
    return `TEST supply ${this.ledger.supply}`;
  }
  truth() {
    return {
      ledger: this.ledger,
      token: { address: this.token.toLowerCase(), symbol: "TEST", decimals: 18 },
      feeAsset: this.token.toLowerCase(),
    };
  }
}

/** An economy that lives on the main network only. */
class MainOnlyEconomy implements Economy {
  readonly slug = "mainonly";
  deployedOn: boolean[] = [];
  async deploy(d: Deployer) {
    this.deployedOn.push(d.primary);
    if (!d.primary) return null;
    throw new Error("not deployed on a main chain in this test");
  }
  attach(): void {
    throw new Error("mainonly must not be attached on the second network");
  }
  plan(): void {}
  realtime(): void {}
  onLog(): void {}
  afterBlock(): void {}
  progress(): string {
    return "";
  }
  truth(): never {
    throw new Error("no truth");
  }
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

let anvil: ChildProcess;
let url: string;
const cache = mkdtempSync(join(tmpdir(), "aitok-network-test-"));
let econ: BridgedTestEconomy;
let mainOnly: MainOnlyEconomy;
let deployment: NetworkDeployment;
let gt: NetworkGroundTruth;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  anvil = spawn(
    anvilBinary(),
    [
      ...["--port", String(port), "--chain-id", "31338", "--timestamp", String(START - 86400)],
      ...["--order", "fifo", "--gas-limit", "1000000000", "--code-size-limit", "100000", "--silent"],
      ...["--cache-path", cache],
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; ; i++) {
    try {
      await rpc(url, "eth_chainId");
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  econ = new BridgedTestEconomy();
  mainOnly = new MainOnlyEconomy();
  deployment = await deployNetwork({ rpcUrl: url, network: "local-b", economies: [econ, mainOnly] });
  const sim = await createNetworkSimulator({
    rpcUrl: url,
    deployment,
    seed: 3,
    days: DAYS,
    startTime: START,
    economies: [econ, mainOnly],
  });
  gt = await sim.run();
}, 120_000);

afterAll(async () => {
  anvil?.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 300));
  rmSync(cache, { recursive: true, force: true });
});

describe("a second local network", () => {
  it("deploys only the economies with a part there, bridged, with the deployment file's shape", () => {
    expect(econ.deployedOn).toEqual([false]);
    expect(mainOnly.deployedOn).toEqual([false]);
    expect(Object.keys(deployment.protocols)).toEqual(["bridgetest"]);
    expect(deployment).toMatchObject({ network: "local-b", prune: "never", bridgedSupply: ["bridgetest"] });
    expect(econ.attachedPrimary).toBe(false);
  });

  it("writes a ground truth of the main simulator's format, every day, no prices", () => {
    expect(gt.network).toBe("local-b");
    expect(gt.days).toBe(DAYS);
    expect(gt.prices).toEqual({});
    expect(Object.keys(gt.protocols)).toEqual(["bridgetest"]);
    expect(gt.protocols.bridgetest?.daily.map((d) => d.date)).toEqual([
      "2024-01-01",
      "2024-01-02",
      "2024-01-03",
      "2024-01-04",
    ]);
    expect(gt.blocks).toBeGreaterThan(DAYS * 4);
  });

  it("its ground truth equals the chain's Transfer logs, day by day", async () => {
    const token = deployment.protocols.bridgetest?.Token?.address as Address;
    const logs = await rpc<{ topics: Hex[]; data: Hex; blockNumber: Hex }[]>(url, "eth_getLogs", [
      { address: token, fromBlock: "0x0", toBlock: "latest" },
    ]);
    const tsOf = new Map<string, number>();
    const perDay = new Map<string, { minted: bigint; burned: bigint; count: number }>();
    let supply = 0n;
    const supplyAt = new Map<string, bigint>();
    for (const l of logs) {
      let ts = tsOf.get(l.blockNumber);
      if (ts === undefined) {
        const b = await rpc<{ timestamp: Hex }>(url, "eth_getBlockByNumber", [l.blockNumber, false]);
        ts = Number(b.timestamp);
        tsOf.set(l.blockNumber, ts);
      }
      const d = decodeEventLog({ abi: TOKEN_ABI, topics: l.topics as [Hex, ...Hex[]], data: l.data });
      if (d.eventName !== "Transfer") continue;
      const date = new Date(ts * 1000).toISOString().slice(0, 10);
      const row = perDay.get(date) ?? { minted: 0n, burned: 0n, count: 0 };
      if (d.args.from === ZERO) {
        row.minted += d.args.value;
        supply += d.args.value;
      } else if (d.args.to === ZERO) {
        row.burned += d.args.value;
        supply -= d.args.value;
      } else row.count++;
      perDay.set(date, row);
      supplyAt.set(date, supply);
    }
    let last = 0n;
    const t = gt.protocols.bridgetest;
    expect(t).toBeDefined();
    for (const day of t?.daily ?? []) {
      const row = perDay.get(day.date) ?? { minted: 0n, burned: 0n, count: 0 };
      last = supplyAt.get(day.date) ?? last;
      expect([day.date, day.minted, day.burned, day.transferCount, day.totalSupply]).toEqual([
        day.date,
        String(row.minted),
        String(row.burned),
        row.count,
        String(last),
      ]);
      expect(day.mintedBridge).toBe(day.minted);
    }
    expect(supply).toBeGreaterThan(0n);
  });

  it("runs on its own chain and closes the run with an empty block an hour into the next day", async () => {
    const head = Number.parseInt(await rpc<string>(url, "eth_blockNumber"), 16);
    expect(head).toBeGreaterThanOrEqual(gt.blocks);
    const b = await rpc<{ timestamp: Hex }>(url, "eth_getBlockByNumber", ["latest", false]);
    // the closing empty block, an hour into the day after the run
    expect(Number(b.timestamp)).toBe(START + DAYS * 86400 + 3600);
    expect(Number.parseInt(await rpc<string>(url, "eth_chainId"), 16)).toBe(31338);
  });
});
