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
import { type CompiledContracts, type ContractName, compileContracts } from "./compile.js";

/** anvil's default mnemonic; account 0 deploys and owns every simulated contract. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
export const deployerAccount = () => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 0 });

export const LIVEPEER_CONTRACTS = [
  "LivepeerToken",
  "BondingManager",
  "Minter",
  "RoundsManager",
  "TicketBroker",
] as const;
export const THEGRAPH_CONTRACTS = [
  "L2GraphToken",
  "GraphStaking",
  "RewardsManager",
  "L2Curation",
  "GraphPayments",
] as const;
export type LivepeerContract = (typeof LIVEPEER_CONTRACTS)[number];
export type TheGraphContract = (typeof THEGRAPH_CONTRACTS)[number];

export interface ContractDeployment {
  address: Address;
  startBlock: number;
}

/** Same shape as subgraph/deployments/arbitrum-one.json (plus the simulator's own helper, optional). */
export interface Deployment {
  network: string;
  description?: string;
  /** graph-node history to keep (the manifest's indexerHints.prune). */
  prune?: "auto" | "never" | number;
  protocols: {
    livepeer: Record<LivepeerContract, ContractDeployment>;
    thegraph: Record<TheGraphContract, ContractDeployment>;
  };
  /**
   * Contracts the simulator drives that the subgraph does not index: SimHub (a helper that batches many
   * calls into one transaction) and The Graph's PaymentsEscrow (a real contract; its EscrowCollected is read
   * from the transaction of GraphPaymentCollected).
   */
  simulator?: { SimHub: ContractDeployment; owner: Address; PaymentsEscrow?: ContractDeployment };
}

export interface DeployOptions {
  rpcUrl: string;
  /** Manifest network name written into the deployment (default "local"). */
  network?: string;
}

/**
 * Deploys the ten indexed protocol contracts, The Graph's PaymentsEscrow and the SimHub on a local chain
 * (anvil) from anvil's account 0 and wires their permissions. Emits no indexed event. startBlock = the block of each contract's deployment.
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

  const LivepeerToken = await deploy("LivepeerToken");
  const BondingManager = await deploy("BondingManager", [LivepeerToken.address]);
  const Minter = await deploy("Minter");
  const RoundsManager = await deploy("RoundsManager");
  const TicketBroker = await deploy("TicketBroker");
  const L2GraphToken = await deploy("L2GraphToken");
  const GraphStaking = await deploy("GraphStaking", [L2GraphToken.address]);
  const RewardsManager = await deploy("RewardsManager", [L2GraphToken.address, GraphStaking.address]);
  const L2Curation = await deploy("L2Curation", [L2GraphToken.address]);
  const GraphPayments = await deploy("GraphPayments", [L2GraphToken.address, GraphStaking.address]);
  const deployment: Deployment = {
    network,
    description: "Local simulated contracts (contracts/sol), deployed by contracts/src/deploy.ts",
    // A local chain's whole history is small, and with gnd's reorg threshold of 10 `auto` kept 20 blocks
    // and pruned after nearly every write batch (docs/bench.md): keep everything, never prune.
    prune: "never",
    protocols: {
      livepeer: { LivepeerToken, BondingManager, Minter, RoundsManager, TicketBroker },
      thegraph: { L2GraphToken, GraphStaking, RewardsManager, L2Curation, GraphPayments },
    },
  };
  await send("GraphStaking", GraphStaking.address, "setCuration", [L2Curation.address]);
  const PaymentsEscrow = await deploy("PaymentsEscrow", [L2GraphToken.address, GraphPayments.address]);
  const SimHub = await deploy("SimHub");
  deployment.simulator = { SimHub, owner: account.address, PaymentsEscrow };
  await authorize(compiled, deployment, SimHub.address, send);
  return deployment;
}

type Sender = (name: ContractName, to: Address, functionName: string, args: unknown[]) => Promise<void>;

/**
 * Authorizes the hub on every contract, the protocol contracts on their token, and each contract on the
 * ones it calls as the real one does (GraphPayments on HorizonStaking, Staking on Curation, the escrow on
 * GraphPayments).
 */
async function authorize(_c: CompiledContracts, d: Deployment, hub: Address, send: Sender): Promise<void> {
  const lp = d.protocols.livepeer;
  const g = d.protocols.thegraph;
  const escrow = d.simulator?.PaymentsEscrow?.address;
  const grants: [ContractName, Address, Address][] = [
    ["LivepeerToken", lp.LivepeerToken.address, lp.BondingManager.address],
    ["L2GraphToken", g.L2GraphToken.address, g.GraphStaking.address],
    ["L2GraphToken", g.L2GraphToken.address, g.RewardsManager.address],
    ["L2GraphToken", g.L2GraphToken.address, g.L2Curation.address],
    ["L2GraphToken", g.L2GraphToken.address, g.GraphPayments.address],
    ["GraphStaking", g.GraphStaking.address, g.GraphPayments.address],
    ["L2Curation", g.L2Curation.address, g.GraphStaking.address],
  ];
  if (escrow) {
    grants.push(["L2GraphToken", g.L2GraphToken.address, escrow]);
    grants.push(["GraphPayments", g.GraphPayments.address, escrow]);
    grants.push(["PaymentsEscrow", escrow, hub]);
  }
  for (const name of LIVEPEER_CONTRACTS) grants.push([name, lp[name].address, hub]);
  for (const name of THEGRAPH_CONTRACTS) grants.push([name, g[name].address, hub]);
  for (const [name, to, who] of grants) await send(name, to, "setAuthorized", [who, true]);
}

/**
 * Deploys the simulator's own contracts (SimHub, PaymentsEscrow) for a deployment that has none. A
 * deployment with a SimHub but no PaymentsEscrow was written by an older version, whose contracts the
 * simulator no longer drives: start a new chain (`--fresh`).
 */
export async function ensureHub(rpcUrl: string, deployment: Deployment): Promise<Address> {
  if (deployment.simulator?.SimHub && !deployment.simulator.PaymentsEscrow)
    throw new Error(
      "this deployment was written by an older version of the simulator (no PaymentsEscrow): start a new chain",
    );
  if (deployment.simulator?.SimHub) return deployment.simulator.SimHub.address;
  const compiled = await compileContracts();
  const account = deployerAccount();
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ transport }) as PublicClient;
  const chainId = await publicClient.getChainId();
  const chain = {
    id: chainId,
    name: deployment.network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  } as const;
  const wallet = createWalletClient({ account, chain, transport });
  const deployOne = async (name: ContractName, args: unknown[]): Promise<ContractDeployment> => {
    const c = compiled[name];
    const hash = await wallet.deployContract({ abi: c.abi, bytecode: c.bytecode, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (!receipt.contractAddress) throw new Error(`deploying ${name} failed`);
    return { address: receipt.contractAddress, startBlock: Number(receipt.blockNumber) };
  };
  const g = deployment.protocols.thegraph;
  const PaymentsEscrow = await deployOne("PaymentsEscrow", [g.L2GraphToken.address, g.GraphPayments.address]);
  const SimHub = await deployOne("SimHub", []);
  const send: Sender = async (name, to, functionName, args) => {
    const data = encodeFunctionData({ abi: compiled[name].abi, functionName, args });
    const h = await wallet.sendTransaction({ to, data: data as Hex });
    const r = await publicClient.waitForTransactionReceipt({ hash: h, pollingInterval: 50 });
    if (r.status !== "success") throw new Error(`${name}.${functionName} failed`);
  };
  deployment.simulator = { SimHub, owner: account.address, PaymentsEscrow };
  await authorize(compiled, deployment, SimHub.address, send);
  return SimHub.address;
}
