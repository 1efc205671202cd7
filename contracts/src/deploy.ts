/**
 * Deploys the local chain: the host's contracts (the SimHub, the ETH/USD feed) from anvil's account 0, then every
 * registered economy's (contracts/src/protocols/<slug>/), each from a deployer account of its own, so that its
 * addresses do not depend on which other protocols are deployed. Writes the deployment in the shape of
 * subgraph/deployments/*.json plus what the simulator drives.
 */
import {
  type Abi,
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  type PublicClient,
  toHex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { PriceSource } from "../../subgraph/scripts/manifest.js";
import { ChainClient } from "./chain/client.js";
import { type CompiledContracts, compileContracts } from "./compile.js";
import { ETH } from "./prices.js";
import { loadEconomies } from "./protocols/index.js";
import type { Deployer, Economy } from "./protocols/types.js";

/** anvil's default mnemonic; account 0 deploys the host's contracts and sends the SimHub transactions. */
export const ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
export const deployerAccount = () => mnemonicToAccount(ANVIL_MNEMONIC, { addressIndex: 0 });

/** The deployer account of an economy (Deployer.owner): the same on every network, a function of its slug. */
export function economyOwner(slug: string): Address {
  return getAddress(`0x${keccak256(toHex(`ai-tokenomics deployer: ${slug}`)).slice(26)}`);
}

export interface ContractDeployment {
  address: Address;
  startBlock: number;
}

/** Same shape as subgraph/deployments/arbitrum-one.json (plus what the simulator drives, optional). */
export interface Deployment {
  network: string;
  description?: string;
  /** graph-node history to keep (the manifest's indexerHints.prune). */
  prune?: "auto" | "never" | number;
  protocols: Record<string, Record<string, ContractDeployment>>;
  /** Price sources (subgraph/deployments/*.json, docs/methodology.md "Prices"): the host's and the economies'. */
  prices?: { maxAgeSeconds: number; sources: PriceSource[] };
  /**
   * What the simulator drives that the subgraph does not index: the SimHub (a helper that batches many calls into
   * one transaction, for the emitter contracts), the ETH/USD feed, and per economy its extras.
   */
  simulator?: {
    SimHub: ContractDeployment;
    owner: Address;
    /** The host's Chainlink-style ETH/USD feed (contracts/sol/PriceFeed.sol). */
    EthUsdFeed?: Address;
    /** Per registered economy (contracts/src/protocols/<slug>/): the addresses it drives but the subgraph does not index. */
    protocols?: Record<string, Record<string, string>>;
  };
}

export interface DeployOptions {
  rpcUrl: string;
  /** Manifest network name written into the deployment (default "local"). */
  network?: string;
  /** Only these registered economies (slugs; default every one): e.g. a bench, or the independence test. */
  protocols?: string[];
}

/** The feeds' 24-hour heartbeat (Arbitrum One ETH/USD, GRT/USD) and an hour's grace. */
const MAX_PRICE_AGE_SECONDS = 90_000;

/**
 * Deploys the SimHub and the ETH/USD feed from anvil's account 0, then every registered economy (or those of
 * `protocols`) in slug order, each from its own account (Economy.deploy with Deployer.owner = economyOwner(slug)).
 * Emits no indexed event except the real contracts' own configuration events. startBlock = the block of each
 * contract's (proxy's) deployment.
 */
export async function deployContracts({
  rpcUrl,
  network = "local",
  protocols,
}: DeployOptions): Promise<Deployment> {
  const compiled = await compileContracts();
  const account = deployerAccount().address;
  const chain = await ChainClient.connect(rpcUrl, network);
  const host = await economyDeployer({
    rpcUrl,
    network,
    primary: true,
    compiled,
    chain,
    owner: account,
    hub: null,
  });
  const own = async (name: string, args: unknown[] = []) => {
    const c = host.compiled(name);
    return host.deploy(account, name, c.abi as Abi, c.bytecode as Hex, args);
  };
  const SimHub = await own("SimHub");
  // Prices: a Chainlink-style ETH/USD feed (the chain's native asset); each economy adds its token's sources
  const EthUsd = await own("PriceFeed", [8, "ETH / USD"]);
  await host.send(
    account,
    EthUsd.address,
    host.compiled("PriceFeed").abi,
    "setAuthorized",
    [SimHub.address, true],
    "PriceFeed.setAuthorized",
  );

  const out = await deployEconomies(await loadEconomies(protocols), (slug) =>
    economyDeployer({
      rpcUrl,
      network,
      primary: true,
      compiled,
      chain,
      owner: economyOwner(slug),
      hub: SimHub.address,
    }),
  );
  return {
    network,
    description:
      "Local chain: the SimHub and the ETH/USD feed, then every registered economy's contracts (contracts/src/" +
      "protocols/<slug>/: emitters from contracts/sol, and the real bytecode published on npm where there is one), " +
      "deployed by contracts/src/deploy.ts",
    // A local chain's whole history is small, and with gnd's reorg threshold of 10 `auto` kept 20 blocks
    // and pruned after nearly every write batch (docs/bench.md): keep everything, never prune.
    prune: "never",
    protocols: out.protocols,
    prices: {
      maxAgeSeconds: MAX_PRICE_AGE_SECONDS,
      sources: [
        { name: "Chainlink ETH/USD (local)", kind: "chainlink", ...EthUsd, asset: ETH, decimals: 8 },
        ...out.prices,
      ],
    },
    simulator: { SimHub, owner: account, EthUsdFeed: EthUsd.address, protocols: out.extras },
  };
}

/** Every economy's deploy(), in order, each with its own Deployer; those with no part on this network skipped. */
export async function deployEconomies(economies: Economy[], deployer: (slug: string) => Promise<Deployer>) {
  const protocols: Record<string, Record<string, ContractDeployment>> = {};
  const extras: Record<string, Record<string, string>> = {};
  const bridged: string[] = [];
  const prices: PriceSource[] = [];
  for (const e of economies) {
    const d = await deployer(e.slug);
    const res = await e.deploy(d);
    if (!res) continue;
    protocols[e.slug] = res.contracts;
    if (res.simulator) extras[e.slug] = res.simulator;
    if (res.bridged) bridged.push(e.slug);
    if (res.prices) prices.push(...res.prices);
  }
  return { protocols, extras, bridged, prices };
}

/**
 * What an economy's deploy step gets (contracts/src/protocols/types.ts Deployer), on the main chain or another:
 * its owner account funded with ETH (anvil impersonates every sender).
 */
export async function economyDeployer(o: {
  rpcUrl: string;
  network: string;
  primary: boolean;
  compiled: CompiledContracts;
  chain: ChainClient;
  owner: Address;
  hub: Address | null;
}): Promise<Deployer> {
  const client = o.chain.client as PublicClient;
  await o.chain.ensureEth(o.owner, 10n ** 24n);
  return {
    rpcUrl: o.rpcUrl,
    network: o.network,
    primary: o.primary,
    owner: o.owner,
    hub: o.hub,
    compiled: (name) => {
      const c = o.compiled[name];
      if (!c) throw new Error(`no compiled contract ${name} in contracts/sol`);
      return c;
    },
    deploy: (from, label, abi, bytecode, args = []) => o.chain.deploy(from, label, abi, bytecode, args),
    send: async (from, to, abi, functionName, args, label) => {
      const r = await o.chain.send({
        from,
        to,
        data: encodeFunctionData({ abi, functionName, args }),
        label,
      });
      return Number(r.blockNumber);
    },
    read: async <T>(to: Address, abi: Abi, functionName: string, args: unknown[] = []) =>
      (await client.readContract({ address: to, abi, functionName, args })) as T,
  };
}

/** The deployment's simulator part; a deployment written by an older version has none: start a new chain. */
export function simulatorParts(deployment: Deployment): Required<NonNullable<Deployment["simulator"]>> {
  const s = deployment.simulator;
  if (!s?.SimHub || !s.EthUsdFeed || !s.protocols)
    throw new Error(
      "this deployment was written by an older version of the simulator (no ETH/USD feed or economy extras): " +
        "start a new chain (npm start -- --fresh)",
    );
  return s as Required<NonNullable<Deployment["simulator"]>>;
}
