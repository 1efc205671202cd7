import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Abi } from "viem";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  type PublicClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { PriceSource } from "../../subgraph/scripts/manifest.js";
import { ChainClient } from "./chain/client.js";
import { type CompiledContracts, type ContractName, compileContracts } from "./compile.js";
import { loadEconomies } from "./protocols/index.js";
import type { LivepeerContract } from "./protocols/livepeer/params.js";
import { linkBytecode, loadArtifact } from "./protocols/thegraph/artifacts.js";
import { deployGraphLegacy } from "./protocols/thegraph/deploy.js";
import type { Deployer } from "./protocols/types.js";

/** anvil's default mnemonic; account 0 deploys and owns every simulated contract. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
export const deployerAccount = () => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 0 });

export { LIVEPEER_CONTRACTS, type LivepeerContract } from "./protocols/livepeer/params.js";
export const THEGRAPH_CONTRACTS = [
  "L2GraphToken",
  "GraphStaking",
  "RewardsManager",
  "L2Curation",
  "GraphPayments",
] as const;
export type TheGraphContract = (typeof THEGRAPH_CONTRACTS)[number];

export interface ContractDeployment {
  address: Address;
  startBlock: number;
}

/** The Graph on the local chain: the real legacy protocol and what the simulator needs to drive it. */
export interface GraphSimDeployment {
  /** Package of the legacy bytecode, and of the RewardsManager before the Horizon switch. */
  package: string;
  rewardsManagerPackage: string;
  epochLength: string;
  /** Scaled parameters (params.ts) as decimal strings. */
  params: Record<string, string>;
  governor: Address;
  gateway: Address;
  slasher: Address;
  Controller: Address;
  GraphProxyAdmin: Address;
  EpochManager: Address;
  /** Implementations the Horizon switch installs behind the staking and RewardsManager proxies. */
  HorizonStakingImplementation: Address;
  RewardsManagerHorizonImplementation: Address;
  SubgraphService: Address;
}

/** The price sources of the local chain and what the simulator drives them with. */
export interface PriceSimDeployment {
  /** Chainlink-style feeds (contracts/sol/PriceFeed.sol), 8 decimals. */
  EthUsdFeed: Address;
  GrtUsdFeed: Address;
  /** The real Uniswap v3 factory and the LPT/WETH 0.3% pool it created; its token0 is LPT when lptIsToken0. */
  UniswapV3Factory: Address;
  LptWethPool: Address;
  lptIsToken0: boolean;
  WETH: Address;
  PoolDriver: Address;
}

/** Same shape as subgraph/deployments/arbitrum-one.json (plus what the simulator drives, optional). */
export interface Deployment {
  network: string;
  description?: string;
  /** graph-node history to keep (the manifest's indexerHints.prune). */
  prune?: "auto" | "never" | number;
  protocols: {
    livepeer: Record<LivepeerContract, ContractDeployment>;
    thegraph: Record<TheGraphContract, ContractDeployment>;
  } & Record<string, Record<string, ContractDeployment>>;
  /** Price sources (subgraph/deployments/*.json, docs/methodology.md "Prices"). */
  prices?: { maxAgeSeconds: number; sources: PriceSource[] };
  /**
   * Contracts the simulator drives that the subgraph does not index: SimHub (a helper that batches many
   * calls into one transaction, for the emitter contracts), The Graph's PaymentsEscrow (its EscrowCollected is
   * read from the transaction of GraphPaymentCollected) and the real The Graph deployment's roles and parts.
   */
  simulator?: {
    SimHub: ContractDeployment;
    owner: Address;
    PaymentsEscrow?: ContractDeployment;
    graph?: GraphSimDeployment;
    prices?: PriceSimDeployment;
    /** Per registered economy (contracts/src/protocols/<slug>/): the addresses it drives but the subgraph does not index. */
    protocols?: Record<string, Record<string, string>>;
  };
}

export interface DeployOptions {
  rpcUrl: string;
  /** Manifest network name written into the deployment (default "local"). */
  network?: string;
}

/**
 * Blocks per epoch of the local The Graph deployment. The simulator mines ≈34 blocks a simulated day, so 4 makes
 * an epoch ≈3 hours and the 28-epoch allocation and delegation-unbonding periods ≈3.3 days; the thawing period
 * scales with it (186,092 × 4 / 6646 = 112 blocks). docs/simulator.md, "The Graph on the local chain".
 */
export const GRAPH_EPOCH_LENGTH = 4n;
/**
 * Indexing rewards per block: 3% of the genesis supply (10.8 B GRT) a year over the simulator's ≈34.1 blocks a
 * day (GGP-0013, docs/simulator.md "Calibration"); 26,030 GRT.
 */
export const GRAPH_ISSUANCE_PER_BLOCK = 26_030n * 10n ** 18n;

/**
 * Deploys every registered economy's contracts (contracts/src/protocols/<slug>/: Livepeer's emitters first, the
 * others last), The Graph's real legacy protocol (npm @graphprotocol/contracts 7.2.1
 * bytecode behind its proxies, RewardsManager of 5.3.3 until the Horizon switch; src/protocols/thegraph/deploy.ts) with
 * the Horizon emitters the switch installs, and the SimHub, from anvil's account 0. Emits no indexed event
 * except the real contracts' own configuration events. startBlock = the block of each contract's (proxy's)
 * deployment.
 */
export async function deployContracts({ rpcUrl, network = "local" }: DeployOptions): Promise<Deployment> {
  const compiled = await compileContracts();
  const account = deployerAccount();
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ transport }) as PublicClient;
  const chainId = await publicClient.getChainId();
  const chain = {
    id: chainId,
    name: network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  } as const;
  const wallet = createWalletClient({ account, chain, transport });

  const deploy = async (name: ContractName, args: unknown[] = []): Promise<ContractDeployment> => {
    const c = compiled[name];
    const hash = await wallet.deployContract({ abi: c.abi, bytecode: c.bytecode, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success" || !receipt.contractAddress) throw new Error(`deploying ${name} failed`);
    return { address: receipt.contractAddress, startBlock: Number(receipt.blockNumber) };
  };
  const send = async (name: ContractName, to: Address, functionName: string, args: unknown[]) => {
    const data = encodeFunctionData({ abi: compiled[name].abi, functionName, args });
    const hash = await wallet.sendTransaction({ to, data });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (receipt.status !== "success") throw new Error(`${name}.${functionName} failed`);
  };

  // every registered economy (contracts/src/protocols/<slug>/) deploys its own contracts: those with deployFirst
  // (Livepeer) before the host's, so that every address of the existing deployments stays the same; the rest after
  const economies = await loadEconomies();
  const chainG = await ChainClient.connect(rpcUrl, network);
  const deployer = economyDeployer({ rpcUrl, network, primary: true, compiled, chain: chainG, publicClient });
  const firstProtocols: Record<string, Record<string, ContractDeployment>> = {};
  const economyProtocols: Record<string, Record<string, ContractDeployment>> = {};
  const economySim: Record<string, Record<string, string>> = {};
  const deployEconomy = async (e: (typeof economies)[number], into: typeof economyProtocols) => {
    const out = await e.deploy(deployer);
    if (!out) return;
    into[e.slug] = out.contracts;
    if (out.simulator) economySim[e.slug] = out.simulator;
  };
  for (const e of economies) if (e.deployFirst) await deployEconomy(e, firstProtocols);
  // the Uniswap LPT/WETH pool of the price sources trades Livepeer's token
  const LivepeerToken = firstProtocols.livepeer?.LivepeerToken;
  if (!LivepeerToken) throw new Error("no livepeer LivepeerToken deployed: the LPT/WETH pool needs it");

  const g = await deployGraphLegacy({
    rpcUrl,
    epochLength: GRAPH_EPOCH_LENGTH,
    rewardsManager: "5.3.3",
    issuancePerBlock: GRAPH_ISSUANCE_PER_BLOCK,
    roles: { governor: account.address },
  });
  const c = g.contracts;
  const grt = c.L2GraphToken.address;
  const staking = c.L2Staking.address;
  const GraphPayments = await deploy("GraphPayments", [grt, staking]);
  const PaymentsEscrow = await deploy("PaymentsEscrow", [grt, GraphPayments.address]);
  const SubgraphService = await deploy("SubgraphService", [
    grt,
    staking,
    c.RewardsManager.address,
    c.L2Curation.address,
  ]);
  const horizonStaking = await deploy("GraphHorizonStaking", [grt]);
  const rmHorizon = await chainG.deploy(
    account.address,
    "RewardsManager 7.2.1 implementation",
    loadArtifact("RewardsManager").abi,
    linkBytecode(loadArtifact("RewardsManager")),
  );
  const SimHub = await deploy("SimHub");

  // Prices: Chainlink-style ETH/USD and GRT/USD feeds, and the real Uniswap v3 core (npm @uniswap/v3-core 1.0.1:
  // factory, and the pool its createPool deploys) with an LPT/WETH 0.3% pool, as on Arbitrum One.
  const EthUsd = await deploy("PriceFeed", [8, "ETH / USD"]);
  const GrtUsd = await deploy("PriceFeed", [8, "GRT / USD"]);
  const WETH = await deploy("WETH");
  const PoolDriver = await deploy("PoolDriver");
  const uni = loadUniswap();
  const factory = await chainG.deploy(
    account.address,
    "UniswapV3Factory",
    uni.factory.abi,
    uni.factory.bytecode,
  );
  const created = await chainG.send({
    from: account.address,
    to: factory.address,
    data: encodeFunctionData({
      abi: uni.factory.abi,
      functionName: "createPool",
      args: [LivepeerToken.address, WETH.address, 3000],
    }),
    label: "UniswapV3Factory.createPool",
  });
  const poolAddress = (await publicClient.readContract({
    address: factory.address,
    abi: uni.factory.abi,
    functionName: "getPool",
    args: [LivepeerToken.address, WETH.address, 3000],
  })) as Address;
  // the block createPool deployed it in (viem's getBlockNumber is cached: it gave an older block, varying by run)
  const pool = { address: poolAddress, startBlock: Number(created.blockNumber) };
  const lptIsToken0 = BigInt(LivepeerToken.address) < BigInt(WETH.address);
  await chainG.send({
    from: account.address,
    to: pool.address,
    data: encodeFunctionData({
      abi: uni.pool.abi,
      functionName: "initialize",
      args: [sqrtPriceX96(INITIAL_PRICES.lptEth, lptIsToken0)],
    }),
    label: "UniswapV3Pool.initialize",
  });
  await send("PoolDriver", PoolDriver.address, "setPool", [pool.address, true]);

  for (const [name, to, who] of [
    ["GraphPayments", GraphPayments.address, PaymentsEscrow.address],
    ["GraphPayments", GraphPayments.address, SimHub.address],
    ["PaymentsEscrow", PaymentsEscrow.address, SimHub.address],
    ["SubgraphService", SubgraphService.address, SimHub.address],
    ["PriceFeed", EthUsd.address, SimHub.address],
    ["PriceFeed", GrtUsd.address, SimHub.address],
    ["WETH", WETH.address, SimHub.address],
    ["PoolDriver", PoolDriver.address, SimHub.address],
  ] as [ContractName, Address, Address][])
    await send(name, to, "setAuthorized", [who, true]);
  // the economies whose emitters the SimHub calls (Economy.batched) authorize it
  for (const e of economies) await e.authorize?.(deployer, SimHub.address);
  for (const e of economies) if (!e.deployFirst) await deployEconomy(e, economyProtocols);

  // what the thegraph economy drives (contracts/src/protocols/thegraph/simctx.ts): roles, the EpochManager, the
  // Horizon implementations and emitters, the scaled parameters, and the SimHub the Horizon emitters authorize
  economySim.thegraph = {
    package: g.package,
    rewardsManagerPackage: g.rewardsManagerPackage ?? g.package,
    epochLength: String(GRAPH_EPOCH_LENGTH),
    thawingPeriod: String(g.params.thawingPeriod),
    params: JSON.stringify(Object.fromEntries(Object.entries(g.params).map(([k, v]) => [k, String(v)]))),
    governor: g.roles.governor,
    gateway: g.roles.gateway,
    slasher: g.roles.slasher,
    owner: account.address,
    Controller: c.Controller.address,
    GraphProxyAdmin: c.GraphProxyAdmin.address,
    EpochManager: c.EpochManager.address,
    HorizonStakingImplementation: horizonStaking.address,
    RewardsManagerHorizonImplementation: rmHorizon.address,
    SubgraphService: SubgraphService.address,
    PaymentsEscrow: PaymentsEscrow.address,
    SimHub: SimHub.address,
  };
  const at = (x: { address: Address; startBlock: number }): ContractDeployment => ({
    address: x.address,
    startBlock: x.startBlock,
  });
  return {
    network,
    description:
      "Local chain: Livepeer's emitter contracts (contracts/sol) and The Graph's real contracts from npm " +
      "@graphprotocol/contracts 7.2.1, deployed by contracts/src/deploy.ts",
    // A local chain's whole history is small, and with gnd's reorg threshold of 10 `auto` kept 20 blocks
    // and pruned after nearly every write batch (docs/bench.md): keep everything, never prune.
    prune: "never",
    protocols: {
      ...(firstProtocols as { livepeer: Record<LivepeerContract, ContractDeployment> }),
      thegraph: {
        L2GraphToken: at(c.L2GraphToken),
        GraphStaking: at(c.L2Staking),
        RewardsManager: at(c.RewardsManager),
        L2Curation: at(c.L2Curation),
        GraphPayments,
      },
      ...economyProtocols,
    },
    prices: {
      // the feeds' 24-hour heartbeat (Arbitrum One ETH/USD, GRT/USD) and an hour's grace
      maxAgeSeconds: 90_000,
      sources: [
        {
          name: "Chainlink ETH/USD (local)",
          kind: "chainlink",
          ...at(EthUsd),
          asset: ETH_ASSET,
          decimals: 8,
        },
        {
          name: "Chainlink GRT/USD (local)",
          kind: "chainlink",
          ...at(GrtUsd),
          asset: c.L2GraphToken.address,
          decimals: 8,
        },
        {
          name: "Uniswap v3 LPT/WETH 0.3% (local)",
          kind: "uniswapV3",
          ...pool,
          asset: LivepeerToken.address,
          quote: "ETH",
          assetIsToken0: lptIsToken0,
          assetDecimals: 18,
          quoteDecimals: 18,
        },
      ],
    },
    simulator: {
      SimHub,
      owner: account.address,
      protocols: economySim,
      PaymentsEscrow,
      prices: {
        EthUsdFeed: EthUsd.address,
        GrtUsdFeed: GrtUsd.address,
        UniswapV3Factory: factory.address,
        LptWethPool: pool.address,
        lptIsToken0,
        WETH: WETH.address,
        PoolDriver: PoolDriver.address,
      },
      graph: {
        package: g.package,
        rewardsManagerPackage: g.rewardsManagerPackage ?? g.package,
        epochLength: String(GRAPH_EPOCH_LENGTH),
        params: Object.fromEntries(Object.entries(g.params).map(([k, v]) => [k, String(v)])),
        governor: g.roles.governor,
        gateway: g.roles.gateway,
        slasher: g.roles.slasher,
        Controller: c.Controller.address,
        GraphProxyAdmin: c.GraphProxyAdmin.address,
        EpochManager: c.EpochManager.address,
        HorizonStakingImplementation: horizonStaking.address,
        RewardsManagerHorizonImplementation: rmHorizon.address,
        SubgraphService: SubgraphService.address,
      },
    },
  };
}

/** What an economy's deploy step gets (contracts/src/protocols/types.ts Deployer), on the main chain or another. */
export function economyDeployer(o: {
  rpcUrl: string;
  network: string;
  primary: boolean;
  compiled: CompiledContracts;
  chain: ChainClient;
  publicClient: PublicClient;
}): Deployer {
  return {
    rpcUrl: o.rpcUrl,
    network: o.network,
    primary: o.primary,
    owner: deployerAccount().address,
    compiled: (name) => {
      const c = o.compiled[name];
      if (!c) throw new Error(`no compiled contract ${name} in contracts/sol`);
      return c;
    },
    deploy: (from, label, abi, bytecode, args = []) => o.chain.deploy(from, label, abi, bytecode, args),
    send: async (from, to, abi, functionName, args, label) => {
      await o.chain.send({ from, to, data: encodeFunctionData({ abi, functionName, args }), label });
    },
    read: async <T>(to: Address, abi: Abi, functionName: string, args: unknown[] = []) =>
      (await o.publicClient.readContract({ address: to, abi, functionName, args })) as T,
  };
}

/** ETH as a priced asset: the zero address (as the fee asset of Livepeer). */
export const ETH_ASSET = "0x0000000000000000000000000000000000000000";

/** Prices at the start of the simulated history: ETH/USD, GRT/USD (8 decimals) and LPT in ETH (18 decimals). */
export const INITIAL_PRICES = {
  ethUsd: 2_500_00000000n,
  grtUsd: 15000000n,
  lptEth: 4_000_000_000_000_000n,
};

const Q96 = 2n ** 96n;

/** Integer square root (floor), by Newton's method. */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new Error("isqrt of a negative number");
  if (n < 2n) return n;
  let x = n;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2n;
  }
  return x;
}

/**
 * sqrtPriceX96 of a pool pricing the asset at `priceE18` (quote per asset, 18 decimals, both tokens 18 decimals):
 * token1 per token0 = price when the asset is token0, its inverse otherwise; floor(sqrt(ratio) × 2^96).
 */
export function sqrtPriceX96(priceE18: bigint, assetIsToken0: boolean): bigint {
  const E18 = 10n ** 18n;
  // ratio = token1/token0; sqrtPriceX96 = sqrt(ratio × 2^192)
  return assetIsToken0 ? isqrt((priceE18 * Q96 * Q96) / E18) : isqrt((E18 * Q96 * Q96) / priceE18);
}

function loadUniswap(): { factory: { abi: Abi; bytecode: Hex }; pool: { abi: Abi } } {
  const dir = join(
    dirname(createRequire(import.meta.url).resolve("@uniswap/v3-core/package.json")),
    "artifacts/contracts",
  );
  const read = (name: string) =>
    JSON.parse(readFileSync(join(dir, `${name}.sol`, `${name}.json`), "utf8")) as { abi: Abi; bytecode: Hex };
  return { factory: read("UniswapV3Factory"), pool: { abi: read("UniswapV3Pool").abi } };
}

/** The deployment's simulator part; a deployment written by an older version has none: start a new chain. */
export function simulatorParts(deployment: Deployment): Required<NonNullable<Deployment["simulator"]>> {
  const s = deployment.simulator;
  if (!s?.SimHub || !s.PaymentsEscrow || !s.graph || !s.prices)
    throw new Error(
      "this deployment was written by an older version of the simulator (no real The Graph contracts): " +
        "start a new chain (npm start -- --fresh)",
    );
  return s as Required<NonNullable<Deployment["simulator"]>>;
}
