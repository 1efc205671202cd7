/**
 * Deploys The Graph's legacy protocol (npm `@graphprotocol/contracts` 7.2.1 bytecode) on a local anvil,
 * each upgradeable contract behind its real GraphProxy administered by the real GraphProxyAdmin, and
 * configures it as Arbitrum One (graph.arbitrum-one.yml, see params.ts) with time scaled by one factor.
 *
 * Roles that are contracts on Arbitrum One are plain accounts here: the token gateway (L2GraphTokenGateway
 * there) calls bridgeMint/bridgeBurn, the slasher (DisputeManager there) calls slash, the subgraph
 * availability oracle can deny rewards. The governor (the Graph Council there) deploys and owns everything.
 */
import { type Address, encodeFunctionData, getAddress, type Hex, keccak256, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { ChainClient } from "../../chain/client.js";
import {
  type ArtifactName,
  GRAPH_CONTRACTS_V5_VERSION,
  GRAPH_CONTRACTS_VERSION,
  linkBytecode,
  loadArtifact,
  loadRewardsManagerV5,
} from "./artifacts.js";
import { type GraphParams, scaledParams, type TimeScale } from "./params.js";

/** anvil's default mnemonic: the default roles are its accounts 0-3 (unlocked, funded). */
const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
const anvilAccount = (i: number): Address => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: i }).address;

/** Ethereum mainnet GraphToken, the L1 counterpart set on Arbitrum One's L2GraphToken (package addresses.json, chain 1). */
export const L1_GRAPH_TOKEN: Address = "0xc944E90C64B2c07662A292be6244BDf05Cda44a7";

export interface DeployedContract {
  address: Address;
  /** Block of the contract's deployment (for a proxy: the proxy's). */
  startBlock: number;
}
export interface ProxiedContract extends DeployedContract {
  /** The implementation the proxy delegates to. */
  implementation: Address;
}

export interface GraphRoles {
  governor: Address;
  gateway: Address;
  slasher: Address;
  availabilityOracle: Address;
}

export interface GraphLegacyDeployment {
  package: string;
  /** Package of the RewardsManager implementation when it is not `package`'s (GraphDeployOptions.rewardsManager). */
  rewardsManagerPackage?: string;
  params: GraphParams;
  scale: TimeScale;
  roles: GraphRoles;
  contracts: {
    Controller: DeployedContract;
    GraphProxyAdmin: DeployedContract;
    L2GraphToken: ProxiedContract;
    EpochManager: ProxiedContract;
    RewardsManager: ProxiedContract;
    L2Curation: ProxiedContract;
    /** The Staking proxy: L2Staking implementation, StakingExtension reached through its fallback. */
    L2Staking: ProxiedContract;
    GraphCurationToken: DeployedContract;
    LibExponential: DeployedContract;
    StakingExtension: DeployedContract;
  };
}

export interface GraphDeployOptions {
  rpcUrl: string;
  /** Blocks per epoch (default 100): sets the one time-scale factor 6646 / epochLength (params.ts). */
  epochLength?: bigint;
  /** Default: anvil accounts 0 (governor), 1 (gateway), 2 (slasher), 3 (availability oracle). */
  roles?: Partial<GraphRoles>;
  /**
   * RewardsManager implementation behind its proxy: "7.2.1" (default; emits HorizonRewardsAssigned) or "5.3.3"
   * (package alias gc-v5; emits the 4-argument RewardsAssigned, as Arbitrum One's RewardsManager did before
   * Horizon). Same initializer and setters; L2Staking 7.2.1 calls it through the same IRewardsManager functions.
   */
  rewardsManager?: "7.2.1" | "5.3.3";
  /**
   * RewardsManager.setIssuancePerBlock (wei per block) instead of the scaled Arbitrum One figure: the simulator
   * sets the published yearly issuance over its own block rate (docs/simulator.md, "Calibration").
   */
  issuancePerBlock?: bigint;
}

/** Names the Controller resolves (Managed.sol); keccak256 of the name is the registry key. */
const controllerId = (name: string): Hex => keccak256(toHex(name));

export async function deployGraphLegacy(opts: GraphDeployOptions): Promise<GraphLegacyDeployment> {
  const chain = await ChainClient.connect(opts.rpcUrl);
  const scaled = scaledParams(opts.epochLength);
  const scale = scaled.scale;
  const params =
    opts.issuancePerBlock === undefined
      ? scaled.params
      : { ...scaled.params, issuancePerBlock: opts.issuancePerBlock };
  const roles: GraphRoles = {
    governor: getAddress(opts.roles?.governor ?? anvilAccount(0)),
    gateway: getAddress(opts.roles?.gateway ?? anvilAccount(1)),
    slasher: getAddress(opts.roles?.slasher ?? anvilAccount(2)),
    availabilityOracle: getAddress(opts.roles?.availabilityOracle ?? anvilAccount(3)),
  };
  const gov = roles.governor;

  const deploy = (name: ArtifactName, args: readonly unknown[] = [], bytecode?: Hex) => {
    const a = loadArtifact(name);
    return chain.deploy(gov, name, a.abi, bytecode ?? linkBytecode(a), args);
  };
  const call = async (name: ArtifactName, to: Address, functionName: string, args: readonly unknown[]) => {
    const data = encodeFunctionData({ abi: loadArtifact(name).abi, functionName, args });
    await chain.send({ from: gov, to, data, label: `${name}.${functionName}` });
  };

  const Controller = await deploy("Controller");
  const GraphProxyAdmin = await deploy("GraphProxyAdmin");

  /** Implementation, then GraphProxy(impl, admin) (sets it pending), then admin.acceptProxyAndCall(init). */
  const deployProxied = async (
    name: ArtifactName,
    init: { functionName: string; args: readonly unknown[] },
    bytecode?: Hex,
  ): Promise<ProxiedContract> => {
    const impl = await deploy(name, [], bytecode);
    const proxy = await deploy("GraphProxy", [impl.address, GraphProxyAdmin.address]);
    const initData = encodeFunctionData({ abi: loadArtifact(name).abi, ...init });
    await call("GraphProxyAdmin", GraphProxyAdmin.address, "acceptProxyAndCall", [
      impl.address,
      proxy.address,
      initData,
    ]);
    return { ...proxy, implementation: impl.address };
  };

  const controller = Controller.address;
  const L2GraphToken = await deployProxied("L2GraphToken", { functionName: "initialize", args: [gov] });
  const EpochManager = await deployProxied("EpochManager", {
    functionName: "initialize",
    args: [controller, params.epochLength],
  });
  const RewardsManager = await deployProxied(
    "RewardsManager",
    { functionName: "initialize", args: [controller] },
    opts.rewardsManager === "5.3.3" ? loadRewardsManagerV5().bytecode : undefined,
  );
  const GraphCurationToken = await deploy("GraphCurationToken");
  const L2Curation = await deployProxied("L2Curation", {
    functionName: "initialize",
    args: [
      controller,
      GraphCurationToken.address,
      params.curationTaxPercentage,
      params.minimumCurationDeposit,
    ],
  });
  const LibExponential = await deploy("LibExponential");
  const StakingExtension = await deploy("StakingExtension");
  const stakingCode = linkBytecode(loadArtifact("L2Staking"), {
    "contracts/staking/libs/Exponential.sol:LibExponential": LibExponential.address,
  });
  const L2Staking = await deployProxied(
    "L2Staking",
    {
      functionName: "initialize",
      args: [
        controller,
        params.minimumIndexerStake,
        params.thawingPeriod,
        params.protocolPercentage,
        params.curationPercentage,
        params.maxAllocationEpochs,
        params.delegationUnbondingPeriod,
        params.delegationRatio,
        {
          alphaNumerator: params.alphaNumerator,
          alphaDenominator: params.alphaDenominator,
          lambdaNumerator: params.lambdaNumerator,
          lambdaDenominator: params.lambdaDenominator,
        },
        StakingExtension.address,
      ],
    },
    stakingCode,
  );

  // Controller registry as graph.arbitrum-one.yml (GNS and DisputeManager are not deployed here; the
  // gateway role stands in for L2GraphTokenGateway).
  const registry: [string, Address][] = [
    ["Curation", L2Curation.address],
    ["EpochManager", EpochManager.address],
    ["RewardsManager", RewardsManager.address],
    ["Staking", L2Staking.address],
    ["GraphToken", L2GraphToken.address],
    ["GraphTokenGateway", roles.gateway],
  ];
  for (const [name, address] of registry)
    await call("Controller", controller, "setContractProxy", [controllerId(name), address]);
  // The Controller's constructor pauses the protocol.
  await call("Controller", controller, "setPaused", [false]);
  for (const [name, c] of [
    ["L2Curation", L2Curation],
    ["L2Staking", L2Staking],
    ["RewardsManager", RewardsManager],
  ] as const)
    await call(name, c.address, "syncAllContracts", []);

  // L2GraphToken: the RewardsManager mints, the deployer gives up minting (all other GRT arrives through the
  // gateway); bridge configuration as configureL2Bridge does it.
  await call("L2GraphToken", L2GraphToken.address, "addMinter", [RewardsManager.address]);
  await call("L2GraphToken", L2GraphToken.address, "renounceMinter", []);
  await call("L2GraphToken", L2GraphToken.address, "setGateway", [roles.gateway]);
  await call("L2GraphToken", L2GraphToken.address, "setL1Address", [L1_GRAPH_TOKEN]);

  // L2Staking calls: the delegation tax (initialize leaves it at 0) and the slasher role.
  const staking = "StakingExtension"; // both setters live in the extension, reached through the proxy
  await call(staking, L2Staking.address, "setDelegationTaxPercentage", [params.delegationTaxPercentage]);
  await call(staking, L2Staking.address, "setSlasher", [roles.slasher, true]);

  await call("RewardsManager", RewardsManager.address, "setIssuancePerBlock", [params.issuancePerBlock]);
  await call("RewardsManager", RewardsManager.address, "setSubgraphAvailabilityOracle", [
    roles.availabilityOracle,
  ]);

  return {
    package: `@graphprotocol/contracts@${GRAPH_CONTRACTS_VERSION}`,
    ...(opts.rewardsManager === "5.3.3"
      ? { rewardsManagerPackage: `@graphprotocol/contracts@${GRAPH_CONTRACTS_V5_VERSION}` }
      : {}),
    params,
    scale,
    roles,
    contracts: {
      Controller,
      GraphProxyAdmin,
      L2GraphToken,
      EpochManager,
      RewardsManager,
      L2Curation,
      L2Staking,
      GraphCurationToken,
      LibExponential,
      StakingExtension,
    },
  };
}
