/**
 * Real actions on the real contracts: each sends one transaction from the acting account (impersonated on
 * anvil, funded with ETH for gas on first use) and returns its receipt with the logs decoded by the
 * package's ABIs. Token approvals an action needs are sent first as their own transaction (ERC-20 approve),
 * so the returned events are exactly the action's.
 */
import {
  type Abi,
  type Address,
  encodeFunctionData,
  encodePacked,
  type Hex,
  keccak256,
  type PrivateKeyAccount,
  type TransactionReceipt,
  toHex,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ChainClient } from "../../chain/client.js";
import { loadArtifact, stakingAbi } from "./artifacts.js";
import type { GraphLegacyDeployment } from "./deploy.js";
import { type DecodedEvent, EventDecoder } from "./events.js";
import { GraphState } from "./state.js";

export interface ActionResult {
  receipt: TransactionReceipt;
  /** The transaction's logs, in order, decoded. */
  events: DecodedEvent[];
}

/** A deterministic allocation key: the allocation ID is its address; it signs the allocation proof. */
export function allocationKey(label: string): PrivateKeyAccount {
  return privateKeyToAccount(keccak256(toHex(`ai-tokenomics allocation key: ${label}`)));
}

/**
 * The proof `allocate` checks (Staking._allocate): an EIP-191 signed message of the 32-byte
 * keccak256(abi.encodePacked(indexer, allocationID)), signed by the allocation ID's key.
 */
export function allocationProof(indexer: Address, key: PrivateKeyAccount): Promise<Hex> {
  const digest = keccak256(encodePacked(["address", "address"], [indexer, key.address]));
  return key.signMessage({ message: { raw: digest } });
}

export class GraphActions {
  readonly decoder: EventDecoder;
  readonly state: GraphState;
  private readonly abi: { grt: Abi; staking: Abi; curation: Abi; rewards: Abi };
  private readonly funded = new Set<string>();

  constructor(
    readonly chain: ChainClient,
    readonly d: GraphLegacyDeployment,
  ) {
    this.decoder = new EventDecoder(d);
    this.state = new GraphState(chain.client, d);
    this.abi = {
      grt: loadArtifact("L2GraphToken").abi,
      staking: stakingAbi(),
      curation: loadArtifact("L2Curation").abi,
      rewards: loadArtifact("RewardsManager").abi,
    };
  }

  private get c() {
    return this.d.contracts;
  }

  private async exec(
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
  ): Promise<ActionResult> {
    if (!this.funded.has(from.toLowerCase())) {
      await this.chain.ensureEth(from);
      this.funded.add(from.toLowerCase());
    }
    const data = encodeFunctionData({ abi, functionName, args });
    const shown = args.map((a) =>
      typeof a === "string" && a.length > 66 ? `${a.slice(0, 10)}…` : String(a),
    );
    const receipt = await this.chain.send({ from, to, data, label: `${functionName}(${shown.join(", ")})` });
    return { receipt, events: this.decoder.decodeAll(receipt.logs) };
  }

  /** approve(spender, amount) first when the allowance is short (its own transaction). */
  private async ensureAllowance(owner: Address, spender: Address, amount: bigint): Promise<void> {
    if ((await this.state.allowance(owner, spender)) < amount) await this.approve(owner, spender, amount);
  }

  // -- GRT

  approve(owner: Address, spender: Address, amount: bigint): Promise<ActionResult> {
    return this.exec(owner, this.c.L2GraphToken.address, this.abi.grt, "approve", [spender, amount]);
  }
  transfer(from: Address, to: Address, amount: bigint): Promise<ActionResult> {
    return this.exec(from, this.c.L2GraphToken.address, this.abi.grt, "transfer", [to, amount]);
  }
  /** L2GraphToken.bridgeMint from the gateway role: GRT arriving from L1. */
  bridgeMint(to: Address, amount: bigint): Promise<ActionResult> {
    return this.exec(this.d.roles.gateway, this.c.L2GraphToken.address, this.abi.grt, "bridgeMint", [
      to,
      amount,
    ]);
  }
  /** L2GraphToken.bridgeBurn from the gateway role (burnFrom: `account` approves the gateway first). */
  async bridgeBurn(account: Address, amount: bigint): Promise<ActionResult> {
    await this.ensureAllowance(account, this.d.roles.gateway, amount);
    const grt = this.c.L2GraphToken.address;
    return this.exec(this.d.roles.gateway, grt, this.abi.grt, "bridgeBurn", [account, amount]);
  }

  // -- Indexer stake

  private stakingCall(from: Address, functionName: string, args: readonly unknown[]): Promise<ActionResult> {
    return this.exec(from, this.c.L2Staking.address, this.abi.staking, functionName, args);
  }
  async stake(indexer: Address, tokens: bigint): Promise<ActionResult> {
    await this.ensureAllowance(indexer, this.c.L2Staking.address, tokens);
    return this.stakingCall(indexer, "stake", [tokens]);
  }
  unstake(indexer: Address, tokens: bigint): Promise<ActionResult> {
    return this.stakingCall(indexer, "unstake", [tokens]);
  }
  withdraw(indexer: Address): Promise<ActionResult> {
    return this.stakingCall(indexer, "withdraw", []);
  }
  /** Cuts are the share kept by the indexer, in ppm (the third argument, cooldown blocks, is unused). */
  setDelegationParameters(
    indexer: Address,
    indexingRewardCut: number,
    queryFeeCut: number,
  ): Promise<ActionResult> {
    return this.stakingCall(indexer, "setDelegationParameters", [indexingRewardCut, queryFeeCut, 0]);
  }
  /** Zero address: rewards and rebates are restaked (the default). */
  setRewardsDestination(indexer: Address, destination: Address): Promise<ActionResult> {
    return this.stakingCall(indexer, "setRewardsDestination", [destination]);
  }
  setOperator(indexer: Address, operator: Address, allowed: boolean): Promise<ActionResult> {
    return this.stakingCall(indexer, "setOperator", [operator, allowed]);
  }

  // -- Delegation

  async delegate(delegator: Address, indexer: Address, tokens: bigint): Promise<ActionResult> {
    await this.ensureAllowance(delegator, this.c.L2Staking.address, tokens);
    return this.stakingCall(delegator, "delegate", [indexer, tokens]);
  }
  undelegate(delegator: Address, indexer: Address, shares: bigint): Promise<ActionResult> {
    return this.stakingCall(delegator, "undelegate", [indexer, shares]);
  }
  /** After the unbonding period; a non-zero `newIndexer` re-delegates the tokens instead of returning them. */
  withdrawDelegated(
    delegator: Address,
    indexer: Address,
    newIndexer: Address = zeroAddress,
  ): Promise<ActionResult> {
    return this.stakingCall(delegator, "withdrawDelegated", [indexer, newIndexer]);
  }

  // -- Curation

  async signal(
    curator: Address,
    subgraphDeploymentID: Hex,
    tokens: bigint,
    signalOutMin = 0n,
  ): Promise<ActionResult> {
    await this.ensureAllowance(curator, this.c.L2Curation.address, tokens);
    const args = [subgraphDeploymentID, tokens, signalOutMin];
    return this.exec(curator, this.c.L2Curation.address, this.abi.curation, "mint", args);
  }
  burnSignal(
    curator: Address,
    subgraphDeploymentID: Hex,
    signal: bigint,
    tokensOutMin = 0n,
  ): Promise<ActionResult> {
    const args = [subgraphDeploymentID, signal, tokensOutMin];
    return this.exec(curator, this.c.L2Curation.address, this.abi.curation, "burn", args);
  }

  // -- Allocations, rewards, query fees

  /** allocateFrom(indexer, …) sent by the indexer or one of its operators. */
  async allocate(
    sender: Address,
    a: {
      indexer: Address;
      subgraphDeploymentID: Hex;
      tokens: bigint;
      key: PrivateKeyAccount;
      metadata?: Hex;
    },
  ): Promise<ActionResult> {
    const proof = await allocationProof(a.indexer, a.key);
    const metadata = a.metadata ?? keccak256(toHex(`metadata:${a.key.address}`));
    const args = [a.indexer, a.subgraphDeploymentID, a.tokens, a.key.address, metadata, proof];
    return this.stakingCall(sender, "allocateFrom", args);
  }
  /** With poi ≠ 0, by the indexer or an operator, at least one epoch after allocating: indexing rewards. */
  closeAllocation(sender: Address, allocationID: Address, poi: Hex): Promise<ActionResult> {
    return this.stakingCall(sender, "closeAllocation", [allocationID, poi]);
  }
  /** Query fees for an active or closed allocation, paid by any account (7.2.1 has no asset holder list). */
  async collect(payer: Address, tokens: bigint, allocationID: Address): Promise<ActionResult> {
    await this.ensureAllowance(payer, this.c.L2Staking.address, tokens);
    return this.stakingCall(payer, "collect", [tokens, allocationID]);
  }

  // -- Roles

  /** StakingExtension.slash from the slasher role (the DisputeManager on Arbitrum One). */
  slash(indexer: Address, tokens: bigint, reward: bigint, beneficiary: Address): Promise<ActionResult> {
    return this.stakingCall(this.d.roles.slasher, "slash", [indexer, tokens, reward, beneficiary]);
  }
  /** RewardsManager.setDenied from the subgraph availability oracle role. */
  setDenied(subgraphDeploymentID: Hex, deny: boolean): Promise<ActionResult> {
    const rm = this.c.RewardsManager.address;
    return this.exec(this.d.roles.availabilityOracle, rm, this.abi.rewards, "setDenied", [
      subgraphDeploymentID,
      deny,
    ]);
  }

  // -- Time

  /** Mines empty blocks so that the next transaction is mined in block `block` or later. */
  async advanceToBlock(block: bigint): Promise<void> {
    const head = await this.chain.blockNumber();
    if (block - 1n > head) await this.chain.mine(block - 1n - head);
  }

  /** Mines empty blocks so that the next transaction is in epoch `epoch` or later; returns its epoch. */
  async advanceToEpoch(epoch: bigint): Promise<bigint> {
    const [start, current] = await Promise.all([this.state.currentEpochBlock(), this.state.currentEpoch()]);
    if (epoch <= current) return current;
    await this.advanceToBlock(start + (epoch - current) * this.d.params.epochLength);
    return epoch;
  }

  /** The next transaction will be in the first block of epoch current + n (n ≥ 1); returns that epoch. */
  async advanceEpochs(n: bigint): Promise<bigint> {
    if (n < 1n) throw new Error(`advanceEpochs(${n}): expected at least 1`);
    return this.advanceToEpoch((await this.state.currentEpoch()) + n);
  }
}
