/**
 * The contracts' own state, read with eth_call (optionally at a past block): the ground truth that event-
 * derived numbers are reconciled against. Nothing here is computed from events.
 */
import type { Abi, Address, Hex, PublicClient } from "viem";
import { loadArtifact, stakingAbi } from "./artifacts.js";
import type { GraphLegacyDeployment } from "./deploy.js";
import type { GraphParams } from "./params.js";

export interface IndexerStake {
  tokensStaked: bigint;
  tokensAllocated: bigint;
  tokensLocked: bigint;
  tokensLockedUntil: bigint;
}
export interface DelegationPool {
  indexingRewardCut: bigint;
  queryFeeCut: bigint;
  updatedAtBlock: bigint;
  tokens: bigint;
  shares: bigint;
}
export interface Delegation {
  shares: bigint;
  tokensLocked: bigint;
  tokensLockedUntil: bigint;
}
export interface Allocation {
  indexer: Address;
  subgraphDeploymentID: Hex;
  tokens: bigint;
  createdAtEpoch: bigint;
  closedAtEpoch: bigint;
  collectedFees: bigint;
  accRewardsPerAllocatedToken: bigint;
  distributedRebates: bigint;
}
export interface CurationPool {
  tokens: bigint;
  gcs: Address;
}

const big = (what: string, v: unknown): bigint => {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(v);
  throw new Error(`${what}: expected an integer, got ${typeof v} ${String(v)}`);
};
const record = (what: string, v: unknown): Record<string, unknown> => {
  if (v && typeof v === "object") return v as Record<string, unknown>;
  throw new Error(`${what}: expected a struct, got ${String(v)}`);
};

export class GraphState {
  private readonly grt: Abi;
  private readonly staking: Abi;
  private readonly curation: Abi;
  private readonly rewards: Abi;
  private readonly epochs: Abi;
  private readonly controller: Abi;
  private readonly proxyAdmin: Abi;

  constructor(
    private readonly client: PublicClient,
    private readonly d: GraphLegacyDeployment,
  ) {
    this.grt = loadArtifact("L2GraphToken").abi;
    this.staking = stakingAbi();
    this.curation = loadArtifact("L2Curation").abi;
    this.rewards = loadArtifact("RewardsManager").abi;
    this.epochs = loadArtifact("EpochManager").abi;
    this.controller = loadArtifact("Controller").abi;
    this.proxyAdmin = loadArtifact("GraphProxyAdmin").abi;
  }

  private read(
    abi: Abi,
    address: Address,
    functionName: string,
    args: readonly unknown[],
    blockNumber?: bigint,
  ): Promise<unknown> {
    return this.client
      .readContract({
        abi,
        address,
        functionName,
        args,
        ...(blockNumber === undefined ? {} : { blockNumber }),
      })
      .catch((e: Error) => {
        const at = blockNumber === undefined ? "latest" : `block ${blockNumber}`;
        throw new Error(
          `eth_call ${functionName}(${args.map(String).join(", ")}) on ${address} at ${at}: ${e.message.split("\n")[0]}`,
        );
      });
  }
  private get c() {
    return this.d.contracts;
  }

  // -- L2GraphToken
  async totalSupply(block?: bigint): Promise<bigint> {
    return big(
      "totalSupply",
      await this.read(this.grt, this.c.L2GraphToken.address, "totalSupply", [], block),
    );
  }
  async balanceOf(account: Address, block?: bigint): Promise<bigint> {
    return big(
      "balanceOf",
      await this.read(this.grt, this.c.L2GraphToken.address, "balanceOf", [account], block),
    );
  }
  async allowance(owner: Address, spender: Address, block?: bigint): Promise<bigint> {
    const v = await this.read(this.grt, this.c.L2GraphToken.address, "allowance", [owner, spender], block);
    return big("allowance", v);
  }
  async isMinter(account: Address, block?: bigint): Promise<boolean> {
    return (await this.read(this.grt, this.c.L2GraphToken.address, "isMinter", [account], block)) === true;
  }
  async gateway(block?: bigint): Promise<Address> {
    return (await this.read(this.grt, this.c.L2GraphToken.address, "gateway", [], block)) as Address;
  }

  // -- Staking (L2Staking + StakingExtension through the proxy)
  private st(fn: string, args: readonly unknown[], block?: bigint) {
    return this.read(this.staking, this.c.L2Staking.address, fn, args, block);
  }
  /** Staking.getIndexerStakedTokens: the indexer's own stake (tokensStaked, incl. locked, excl. delegation). */
  async indexerStakedTokens(indexer: Address, block?: bigint): Promise<bigint> {
    return big("getIndexerStakedTokens", await this.st("getIndexerStakedTokens", [indexer], block));
  }
  async stakes(indexer: Address, block?: bigint): Promise<IndexerStake> {
    const s = record("stakes", await this.st("stakes", [indexer], block));
    return {
      tokensStaked: big("tokensStaked", s.tokensStaked),
      tokensAllocated: big("tokensAllocated", s.tokensAllocated),
      tokensLocked: big("tokensLocked", s.tokensLocked),
      tokensLockedUntil: big("tokensLockedUntil", s.tokensLockedUntil),
    };
  }
  async delegationPool(indexer: Address, block?: bigint): Promise<DelegationPool> {
    const p = record("delegationPools", await this.st("delegationPools", [indexer], block));
    return {
      indexingRewardCut: big("indexingRewardCut", p.indexingRewardCut),
      queryFeeCut: big("queryFeeCut", p.queryFeeCut),
      updatedAtBlock: big("updatedAtBlock", p.updatedAtBlock),
      tokens: big("tokens", p.tokens),
      shares: big("shares", p.shares),
    };
  }
  async delegation(indexer: Address, delegator: Address, block?: bigint): Promise<Delegation> {
    const x = record("getDelegation", await this.st("getDelegation", [indexer, delegator], block));
    return {
      shares: big("shares", x.shares),
      tokensLocked: big("tokensLocked", x.tokensLocked),
      tokensLockedUntil: big("tokensLockedUntil", x.tokensLockedUntil),
    };
  }
  async allocation(allocationID: Address, block?: bigint): Promise<Allocation> {
    const a = record("getAllocation", await this.st("getAllocation", [allocationID], block));
    return {
      indexer: a.indexer as Address,
      subgraphDeploymentID: a.subgraphDeploymentID as Hex,
      tokens: big("tokens", a.tokens),
      createdAtEpoch: big("createdAtEpoch", a.createdAtEpoch),
      closedAtEpoch: big("closedAtEpoch", a.closedAtEpoch),
      collectedFees: big("collectedFees", a.collectedFees),
      accRewardsPerAllocatedToken: big("accRewardsPerAllocatedToken", a.accRewardsPerAllocatedToken),
      distributedRebates: big("distributedRebates", a.distributedRebates),
    };
  }
  /** 0 Null, 1 Active, 2 Closed (IStakingBase.AllocationState in 7.2.1). */
  async allocationState(allocationID: Address, block?: bigint): Promise<number> {
    return Number(big("getAllocationState", await this.st("getAllocationState", [allocationID], block)));
  }
  async rewardsDestination(indexer: Address, block?: bigint): Promise<Address> {
    return (await this.st("rewardsDestination", [indexer], block)) as Address;
  }
  async isSlasher(account: Address, block?: bigint): Promise<boolean> {
    return (await this.st("slashers", [account], block)) === true;
  }

  // -- Curation, rewards, epochs
  async curationPool(subgraphDeploymentID: Hex, block?: bigint): Promise<CurationPool> {
    const v = await this.read(
      this.curation,
      this.c.L2Curation.address,
      "pools",
      [subgraphDeploymentID],
      block,
    );
    // a struct getter returns its fields as a tuple
    const [tokens, , gcs] = v as [bigint, number, Address];
    return { tokens: big("pools.tokens", tokens), gcs };
  }
  async curatorSignal(curator: Address, subgraphDeploymentID: Hex, block?: bigint): Promise<bigint> {
    const v = await this.read(
      this.curation,
      this.c.L2Curation.address,
      "getCuratorSignal",
      [curator, subgraphDeploymentID],
      block,
    );
    return big("getCuratorSignal", v);
  }
  /** RewardsManager.getRewards(staking, allocationID): rewards the allocation would get if closed at `block`. */
  async pendingRewards(allocationID: Address, block?: bigint | "pending"): Promise<bigint> {
    const args = [this.c.L2Staking.address, allocationID] as const;
    const address = this.c.RewardsManager.address;
    if (block === "pending") {
      const v = await this.client.readContract({
        abi: this.rewards,
        address,
        functionName: "getRewards",
        args,
        blockTag: "pending",
      });
      return big("getRewards", v);
    }
    return big("getRewards", await this.read(this.rewards, address, "getRewards", args, block));
  }
  async currentEpoch(block?: bigint): Promise<bigint> {
    return big(
      "currentEpoch",
      await this.read(this.epochs, this.c.EpochManager.address, "currentEpoch", [], block),
    );
  }
  /** First block of the current epoch. */
  async currentEpochBlock(block?: bigint): Promise<bigint> {
    const v = await this.read(this.epochs, this.c.EpochManager.address, "currentEpochBlock", [], block);
    return big("currentEpochBlock", v);
  }

  // -- Governance and configuration
  async paused(block?: bigint): Promise<boolean> {
    return (await this.read(this.controller, this.c.Controller.address, "paused", [], block)) === true;
  }
  async contractProxy(name: string, id: Hex, block?: bigint): Promise<Address> {
    const v = await this.read(this.controller, this.c.Controller.address, "getContractProxy", [id], block);
    if (typeof v !== "string") throw new Error(`getContractProxy(${name}): not an address`);
    return v as Address;
  }
  async proxyImplementation(proxy: Address, block?: bigint): Promise<Address> {
    const v = await this.read(
      this.proxyAdmin,
      this.c.GraphProxyAdmin.address,
      "getProxyImplementation",
      [proxy],
      block,
    );
    return v as Address;
  }

  /** Every configured parameter, as the contracts report it: compare with deployment.params. */
  async parameters(block?: bigint): Promise<GraphParams> {
    const get = async (name: keyof GraphParams): Promise<[string, bigint]> => {
      const [abi, address] =
        name === "epochLength"
          ? [this.epochs, this.c.EpochManager.address]
          : name === "issuancePerBlock"
            ? [this.rewards, this.c.RewardsManager.address]
            : name === "curationTaxPercentage" || name === "minimumCurationDeposit"
              ? [this.curation, this.c.L2Curation.address]
              : [this.staking, this.c.L2Staking.address];
      return [name, big(name, await this.read(abi, address, name, [], block))];
    };
    const names = Object.keys(this.d.params) as (keyof GraphParams)[];
    return Object.fromEntries(await Promise.all(names.map(get))) as unknown as GraphParams;
  }
}
