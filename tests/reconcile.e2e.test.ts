/**
 * Stocks against the contracts' own state, independently of the simulator's ledger and of our mappings:
 * at the last block of every simulated UTC day, the indexed token supply and every holder's balance must
 * equal what the token contract answers to `eth_call` at that block. The set of accounts to check comes
 * from the chain's own Transfer logs (eth_getLogs, decoded here with viem), so a holder the subgraph
 * missed is found too. Reads of past blocks work because the local deployment keeps all history
 * (prune: never).
 */
import { readFileSync } from "node:fs";
import { type Address, createPublicClient, erc20Abi, http, parseAbiItem } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gql, startStack, type TestStack } from "../stack/src/harness.js";
import { PROTOCOLS } from "../subgraph/scripts/datasources.js";
import type { Deployment } from "../subgraph/scripts/manifest.js";

const DAY = 86_400;
let stack: TestStack;
let deployment: Deployment;

beforeAll(async () => {
  stack = await startStack({ days: 8, seed: 11, horizonSwitchDay: 4 });
  deployment = JSON.parse(readFileSync(stack.deploymentFile, "utf8")) as Deployment;
});
afterAll(async () => {
  await stack?.stop();
});

/** The last block of each UTC day that has blocks, from the chain's own timestamps. */
async function dayEndBlocks(client: ReturnType<typeof createPublicClient>): Promise<bigint[]> {
  const head = await client.getBlockNumber();
  const ends = new Map<number, bigint>();
  for (let n = 1n; n <= head; n++) {
    const b = await client.getBlock({ blockNumber: n });
    ends.set(Math.floor(Number(b.timestamp) / DAY), n);
  }
  return [...ends.values()];
}

interface Holder {
  account: string;
  balance: string;
}

async function indexedHolders(url: string, token: string, block: bigint): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  let last = "0x";
  for (;;) {
    const { tokenHolders } = await gql<{ tokenHolders: Holder[] }>(
      url,
      `query($t: String!, $b: Int!, $last: Bytes!) { tokenHolders(first: 1000, orderBy: account, block: { number: $b },
        where: { token: $t, account_gt: $last }) { account balance } }`,
      { t: token, b: Number(block), last },
    );
    for (const h of tokenHolders) out.set(h.account.toLowerCase(), BigInt(h.balance));
    if (tokenHolders.length < 1000) return out;
    last = tokenHolders[tokenHolders.length - 1]?.account ?? last;
  }
}

describe("indexed stocks equal the contracts' state at every day's last block", () => {
  it("token supply and every holder's balance (eth_call at the block)", async () => {
    const client = createPublicClient({ transport: http(stack.rpcUrl) });
    const blocks = await dayEndBlocks(client);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    const transfer = parseAbiItem("event Transfer(address indexed from, address indexed to, uint256 value)");
    let compared = 0;
    for (const spec of PROTOCOLS) {
      const ref = deployment.protocols[spec.slug]?.[spec.tokenContract];
      if (!ref) continue;
      const token = ref.address.toLowerCase() as Address;
      const logs = await client.getLogs({
        address: token,
        event: transfer,
        fromBlock: 0n,
        toBlock: "latest",
      });
      const diffs: string[] = [];
      for (const block of blocks) {
        const accounts = new Set<string>();
        for (const l of logs) {
          if ((l.blockNumber ?? 0n) > block) continue;
          for (const a of [l.args.from, l.args.to]) if (a) accounts.add(a.toLowerCase());
        }
        accounts.delete("0x0000000000000000000000000000000000000000");
        const { protocols } = await gql<{ protocols: { totalSupply: string }[] }>(
          stack.graphqlUrl,
          `query($id: String!, $b: Int!) { protocols(where: { id: $id }, block: { number: $b }) { totalSupply } }`,
          { id: spec.slug, b: Number(block) },
        );
        const supply = await client.readContract({
          address: token,
          abi: erc20Abi,
          functionName: "totalSupply",
          blockNumber: block,
        });
        // Before the token's first event the subgraph has no Protocol yet: nothing was minted.
        const indexedSupply = BigInt(protocols[0]?.totalSupply ?? "0");
        if (indexedSupply !== supply)
          diffs.push(`${spec.slug} block ${block}: totalSupply indexed ${indexedSupply}, contract ${supply}`);
        const indexed = await indexedHolders(stack.graphqlUrl, token, block);
        for (const account of new Set([...accounts, ...indexed.keys()])) {
          const onChain = await client.readContract({
            address: token,
            abi: erc20Abi,
            functionName: "balanceOf",
            args: [account as Address],
            blockNumber: block,
          });
          const got = indexed.get(account) ?? 0n;
          if (got !== onChain)
            diffs.push(`${spec.slug} block ${block} ${account}: balance indexed ${got}, contract ${onChain}`);
          compared++;
        }
      }
      expect(diffs, diffs.slice(0, 20).join("\n")).toEqual([]);
    }
    // The check reads real data: dozens of holders per day per token.
    expect(compared).toBeGreaterThan(blocks.length * 10);
  });
});
