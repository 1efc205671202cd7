/**
 * The Graph on the main local chain, deployed from the economy's own account (Deployer.owner, the governor): the real
 * legacy protocol (npm @graphprotocol/contracts 7.2.1 bytecode behind its proxies, RewardsManager of 5.3.3 until the
 * Horizon switch; deploy.ts), the Horizon emitters the switch installs (contracts/sol/: GraphHorizonStaking,
 * GraphPayments, PaymentsEscrow, SubgraphService) with 7.2.1's RewardsManager implementation, and its price source,
 * a Chainlink-style GRT/USD feed. The SimHub calls the emitters and the feed.
 */
import type { Abi, Address, Hex } from "viem";
import type { Deployer, EconomyDeployment } from "../types.js";
import { linkBytecode, loadArtifact } from "./artifacts.js";
import { deployGraphLegacy } from "./deploy.js";

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

export async function deployTheGraph(d: Deployer): Promise<EconomyDeployment | null> {
  if (!d.primary) return null;
  const hub = d.hub;
  if (!hub) throw new Error("thegraph: the Horizon emitters need the host's SimHub (Deployer.hub)");
  const g = await deployGraphLegacy({
    rpcUrl: d.rpcUrl,
    epochLength: GRAPH_EPOCH_LENGTH,
    rewardsManager: "5.3.3",
    issuancePerBlock: GRAPH_ISSUANCE_PER_BLOCK,
    roles: { governor: d.owner },
  });
  const own = (name: string, args: unknown[] = []) => {
    const c = d.compiled(name);
    return d.deploy(d.owner, name, c.abi as Abi, c.bytecode as Hex, args);
  };
  const authorize = (name: string, to: Address, who: Address) =>
    d.send(d.owner, to, d.compiled(name).abi as Abi, "setAuthorized", [who, true], `${name}.setAuthorized`);
  const c = g.contracts;
  const grt = c.L2GraphToken.address;
  const staking = c.L2Staking.address;
  const GraphPayments = await own("GraphPayments", [grt, staking]);
  const PaymentsEscrow = await own("PaymentsEscrow", [grt, GraphPayments.address]);
  const SubgraphService = await own("SubgraphService", [
    grt,
    staking,
    c.RewardsManager.address,
    c.L2Curation.address,
  ]);
  const horizonStaking = await own("GraphHorizonStaking", [grt]);
  const rm = loadArtifact("RewardsManager");
  const rmHorizon = await d.deploy(d.owner, "RewardsManager 7.2.1 implementation", rm.abi, linkBytecode(rm));
  const GrtUsd = await own("PriceFeed", [8, "GRT / USD"]);
  await authorize("GraphPayments", GraphPayments.address, PaymentsEscrow.address);
  await authorize("GraphPayments", GraphPayments.address, hub);
  await authorize("PaymentsEscrow", PaymentsEscrow.address, hub);
  await authorize("SubgraphService", SubgraphService.address, hub);
  await authorize("PriceFeed", GrtUsd.address, hub);
  const at = (x: { address: Address; startBlock: number }) => ({
    address: x.address,
    startBlock: x.startBlock,
  });
  return {
    contracts: {
      L2GraphToken: at(c.L2GraphToken),
      GraphStaking: at(c.L2Staking),
      RewardsManager: at(c.RewardsManager),
      L2Curation: at(c.L2Curation),
      GraphPayments,
    },
    // what the economy drives (simctx.ts): roles, the EpochManager, the Horizon implementations and emitters, the
    // scaled parameters, its feed, the SimHub and the owner of the Horizon emitters
    simulator: {
      package: g.package,
      rewardsManagerPackage: g.rewardsManagerPackage ?? g.package,
      epochLength: String(GRAPH_EPOCH_LENGTH),
      thawingPeriod: String(g.params.thawingPeriod),
      params: JSON.stringify(Object.fromEntries(Object.entries(g.params).map(([k, v]) => [k, String(v)]))),
      governor: g.roles.governor,
      gateway: g.roles.gateway,
      slasher: g.roles.slasher,
      owner: d.owner,
      Controller: c.Controller.address,
      GraphProxyAdmin: c.GraphProxyAdmin.address,
      EpochManager: c.EpochManager.address,
      HorizonStakingImplementation: horizonStaking.address,
      RewardsManagerHorizonImplementation: rmHorizon.address,
      SubgraphService: SubgraphService.address,
      PaymentsEscrow: PaymentsEscrow.address,
      SimHub: hub,
      GrtUsdFeed: GrtUsd.address,
    },
    prices: [
      {
        name: "Chainlink GRT/USD (local)",
        kind: "chainlink",
        address: GrtUsd.address,
        startBlock: GrtUsd.startBlock,
        asset: grt,
        decimals: 8,
      },
    ],
  };
}
