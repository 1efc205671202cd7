/**
 * Every address in subgraph/deployments/*.json that a protocol publishes in an address book on npm equals the
 * published one (compared case-insensitively), and no start block is later than a deployment block the book
 * records for that address. Every deployments file, protocol and price source is either mapped to a book
 * (below) or says why no book holds it, so a new contract cannot go unchecked silently; a mapping that names a
 * file, protocol, contract or book entry that does not exist fails too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SUBGRAPH_DIR } from "../subgraph/scripts/manifest.js";

const require = createRequire(import.meta.url);

/** The published address books: a JSON file of an npm package pinned in a package.json (its module specifier). */
const BOOKS = {
  /** The Graph's Horizon contracts and the legacy ones Horizon kept (chain id → contract name → {address}). */
  "graph-horizon": "@graphprotocol/address-book/horizon/addresses.json",
  "graph-subgraph-service": "@graphprotocol/address-book/subgraph-service/addresses.json",
  /** The Graph's legacy protocol book, shipped with its bytecode (the simulator deploys from that package). */
  "graph-legacy": "@graphprotocol/contracts/addresses.json",
  /** SingularityNET's escrows: chain id → token → environment → {address, transactionHash}. */
  "snet-mpe": "singularitynet-platform-contracts/networks/MultiPartyEscrow.json",
} as const;
type BookId = keyof typeof BOOKS;

/** Where one of our contracts is in a book: the path of keys below the chain id. */
interface BookRef {
  book: BookId;
  key: string[];
}
/** A protocol's contracts mapped to books, or the reason no published book holds the protocol's addresses. */
type ProtocolBooks = Record<string, BookRef[] | string> | string;

interface NetworkBooks {
  /** The chain id the books use for this network; null for a chain no book covers (the reason says why). */
  chainId: string | null;
  protocols: Record<string, ProtocolBooks>;
  /** Why the price sources are checked against no book (required when the file has price sources). */
  prices?: string;
}

const graph = (horizon: string, ...more: [BookId, string][]): BookRef[] => [
  { book: "graph-horizon", key: [horizon] },
  ...more.map(([book, name]) => ({ book, key: [name] })),
];
const NO_LIVEPEER_BOOK =
  "Livepeer publishes no address book on npm (its deployments are in livepeer/protocol deployments/ on GitHub; " +
  "@livepeer/sdk 1.0.1-alpha.10 carries a pre-Arbitrum build)";
const NO_MORPHEUS_BOOK =
  "Morpheus publishes no address book on npm (addresses: MorpheusAIs/Docs and deploy scripts)";

/** Our deployments files → the books that hold their addresses. One entry per file in subgraph/deployments. */
const NETWORKS: Record<string, NetworkBooks> = {
  "arbitrum-one.json": {
    chainId: "42161",
    protocols: {
      livepeer: NO_LIVEPEER_BOOK,
      thegraph: {
        L2GraphToken: graph("L2GraphToken", ["graph-legacy", "L2GraphToken"]),
        // one proxy: L2Staking, upgraded in place to HorizonStaking
        GraphStaking: graph("HorizonStaking", ["graph-legacy", "L2Staking"]),
        RewardsManager: graph("RewardsManager", ["graph-legacy", "RewardsManager"]),
        L2Curation: graph(
          "L2Curation",
          ["graph-subgraph-service", "L2Curation"],
          ["graph-legacy", "L2Curation"],
        ),
        GraphPayments: graph("GraphPayments"),
      },
      morpheus: NO_MORPHEUS_BOOK,
    },
    prices:
      "Chainlink aggregators and Uniswap pools: no npm package in the project publishes these addresses " +
      "(@chainlink/contracts and @uniswap/v3-core ship none); each source's reference says where it comes from",
  },
  "mainnet.json": {
    chainId: "1",
    protocols: {
      singularitynet: {
        MultiPartyEscrowAGIX: [{ book: "snet-mpe", key: ["AGIX", "prod"] }],
        MultiPartyEscrowFET: [{ book: "snet-mpe", key: ["FET", "prod"] }],
        FetToken:
          "singularitynet-platform-contracts' networks/ lists only MultiPartyEscrow and Registry (the token comes from the dev portal)",
        AgixToken:
          "singularitynet-platform-contracts' networks/ lists only MultiPartyEscrow and Registry (the token comes from the dev portal)",
      },
    },
  },
  "base.json": { chainId: "8453", protocols: { morpheus: NO_MORPHEUS_BOOK } },
  "local.json": {
    chainId: null,
    protocols: {
      livepeer: "the local anvil chain: the stack's own deployment, in no published book",
      thegraph: "the local anvil chain: the stack's own deployment, in no published book",
      singularitynet: "the local anvil chain: the stack's own deployment, in no published book",
      morpheus: "the local anvil chain: the stack's own deployment, in no published book",
    },
    prices: "the local anvil chain: the stack's own deployment, in no published book",
  },
};

function readBook(id: BookId): Record<string, unknown> {
  return JSON.parse(readFileSync(require.resolve(BOOKS[id]), "utf8")) as Record<string, unknown>;
}

/** The book's entry at chain id → key path: an object with an address, or a message saying what is missing. */
function bookEntry(
  book: Record<string, unknown>,
  chainId: string,
  key: string[],
): { address: string; [k: string]: unknown } | string {
  let node: unknown = book;
  for (const k of [chainId, ...key]) {
    if (typeof node !== "object" || node === null || !(k in node))
      return `has no ${[chainId, ...key].join(" → ")}`;
    node = (node as Record<string, unknown>)[k];
  }
  const entry = node as { address?: unknown };
  if (typeof entry?.address !== "string") return `has no address at ${[chainId, ...key].join(" → ")}`;
  return entry as { address: string };
}

/** A deployment block the book records for the address itself (not for a later implementation behind a proxy). */
function bookDeploymentBlock(entry: Record<string, unknown>): number | null {
  const block = (x: unknown) =>
    typeof x === "object" && x !== null && typeof (x as { blockNumber?: unknown }).blockNumber === "number"
      ? ((x as { blockNumber: number }).blockNumber as number)
      : null;
  if (entry.proxy !== undefined) return block(entry.proxyDeployment);
  return block(entry.deployment) ?? (typeof entry.blockNumber === "number" ? entry.blockNumber : null);
}

/** The addresses of a deployments file (read here, not through the manifest's checks of the other fields). */
interface Addresses {
  protocols: Record<string, Record<string, { address: string; startBlock: number }>>;
  prices?: { sources: { address: string }[] };
}

function readAddresses(path: string): Addresses {
  const json = JSON.parse(readFileSync(path, "utf8")) as Addresses;
  if (typeof json?.protocols !== "object" || json.protocols === null)
    throw new Error(`${path}: expected a "protocols" object (slug → contract → {address, startBlock})`);
  for (const [slug, contracts] of Object.entries(json.protocols))
    for (const [name, c] of Object.entries(contracts))
      if (typeof c?.address !== "string" || typeof c.startBlock !== "number")
        throw new Error(
          `${path}: protocols.${slug}.${name} must have an address (string) and a startBlock (number)`,
        );
  return json;
}

const DEPLOYMENTS_DIR = join(SUBGRAPH_DIR, "deployments");
const files = readdirSync(DEPLOYMENTS_DIR).filter((f) => f.endsWith(".json"));

describe("deployment addresses against the published address books", () => {
  it("every deployments file has an entry and every entry a file", () => {
    expect(Object.keys(NETWORKS).sort()).toEqual([...files].sort());
  });

  for (const file of files) {
    const net = NETWORKS[file];
    if (!net) continue; // reported by the test above
    const deployment = readAddresses(join(DEPLOYMENTS_DIR, file));

    it(`${file}: every protocol and price source is mapped to a book or says why none holds it`, () => {
      expect(Object.keys(net.protocols).sort(), `${file}: protocols in the mapping`).toEqual(
        Object.keys(deployment.protocols).sort(),
      );
      for (const [slug, mapping] of Object.entries(net.protocols)) {
        if (typeof mapping === "string") continue;
        expect(Object.keys(mapping).sort(), `${file} ${slug}: contracts in the mapping`).toEqual(
          Object.keys(deployment.protocols[slug] ?? {}).sort(),
        );
        for (const [name, refs] of Object.entries(mapping))
          if (typeof refs !== "string")
            expect(refs.length, `${file} ${slug}.${name}: at least one book`).toBeGreaterThan(0);
      }
      if ((deployment.prices?.sources.length ?? 0) > 0)
        expect(net.prices, `${file}: why its price sources are in no book`).toBeTruthy();
      if (net.chainId === null)
        for (const [slug, mapping] of Object.entries(net.protocols))
          expect(typeof mapping, `${file} ${slug}: no chain id, so no book`).toBe("string");
    });

    it(`${file}: every address a book holds equals the published one; no start block after the book's deployment block`, () => {
      const differences: string[] = [];
      for (const [slug, mapping] of Object.entries(net.protocols)) {
        if (typeof mapping === "string") continue;
        for (const [name, refs] of Object.entries(mapping)) {
          if (typeof refs === "string") continue;
          const ours = deployment.protocols[slug]?.[name];
          if (!ours || net.chainId === null) continue; // reported by the mapping test
          for (const ref of refs) {
            const where = BOOKS[ref.book];
            const entry = bookEntry(readBook(ref.book), net.chainId, ref.key);
            if (typeof entry === "string") {
              differences.push(`${slug}.${name}: ${where} ${entry}`);
              continue;
            }
            if (entry.address.toLowerCase() !== ours.address.toLowerCase())
              differences.push(`${slug}.${name}: ours ${ours.address}, ${where} ${entry.address}`);
            const deployed = bookDeploymentBlock(entry);
            if (deployed !== null && ours.startBlock > deployed)
              differences.push(
                `${slug}.${name}: startBlock ${ours.startBlock} is after its deployment block ${deployed} in ${where}`,
              );
          }
        }
      }
      expect(differences, `${file}: differences from the published address books`).toEqual([]);
    });
  }
});
