/**
 * Livepeer's price source on the main local chain, as on Arbitrum One (no Chainlink LPT feed there): the real
 * Uniswap v3 core (npm @uniswap/v3-core 1.0.1: the factory, and the LPT/WETH 0.3% pool its createPool deploys),
 * with a local WETH and the PoolDriver (contracts/sol/) that adds the liquidity and swaps the pool along the
 * economy's own LPT-in-ETH path. The LPT the pool's math moves is booked from the receipts (onLog).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Abi, Address, Hex } from "viem";
import type { PriceSource } from "../../../../subgraph/scripts/manifest.js";
import { PricePath, sqrtPriceX96 } from "../../prices.js";
import type { Rng } from "../../rng.js";
import type { Deployer, SimHost } from "../types.js";
import { tokens } from "./params.js";

/** LPT in ETH at the start of the history (18 decimals). */
export const LPT_ETH_START = 4_000_000_000_000_000n;

/** The pool's addresses (the deployment's simulator.protocols.livepeer extras). */
export interface PoolParts {
  WETH: Address;
  PoolDriver: Address;
  UniswapV3Factory: Address;
  LptWethPool: Address;
  lptIsToken0: boolean;
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

/** Deploys WETH, the PoolDriver, the factory and the LPT/WETH pool at LPT_ETH_START; the SimHub drives them. */
export async function deployPool(
  d: Deployer,
  lpt: Address,
): Promise<{ parts: PoolParts; source: PriceSource }> {
  const own = (name: string, args: unknown[] = []) => {
    const c = d.compiled(name);
    return d.deploy(d.owner, `livepeer ${name}`, c.abi as Abi, c.bytecode as Hex, args);
  };
  const WETH = await own("WETH");
  const PoolDriver = await own("PoolDriver");
  const uni = loadUniswap();
  const factory = await d.deploy(d.owner, "livepeer UniswapV3Factory", uni.factory.abi, uni.factory.bytecode);
  const createdIn = await d.send(
    d.owner,
    factory.address,
    uni.factory.abi,
    "createPool",
    [lpt, WETH.address, 3000],
    "UniswapV3Factory.createPool",
  );
  const pool = await d.read<Address>(factory.address, uni.factory.abi, "getPool", [lpt, WETH.address, 3000]);
  const lptIsToken0 = BigInt(lpt) < BigInt(WETH.address);
  await d.send(
    d.owner,
    pool,
    uni.pool.abi,
    "initialize",
    [sqrtPriceX96(LPT_ETH_START, lptIsToken0)],
    "UniswapV3Pool.initialize",
  );
  const driverAbi = d.compiled("PoolDriver").abi as Abi;
  await d.send(d.owner, PoolDriver.address, driverAbi, "setPool", [pool, true], "PoolDriver.setPool");
  if (d.hub) {
    await d.send(
      d.owner,
      PoolDriver.address,
      driverAbi,
      "setAuthorized",
      [d.hub, true],
      "PoolDriver.setAuthorized",
    );
    const wethAbi = d.compiled("WETH").abi as Abi;
    await d.send(d.owner, WETH.address, wethAbi, "setAuthorized", [d.hub, true], "WETH.setAuthorized");
  }
  return {
    parts: {
      WETH: WETH.address,
      PoolDriver: PoolDriver.address,
      UniswapV3Factory: factory.address,
      LptWethPool: pool,
      lptIsToken0,
    },
    source: {
      name: "Uniswap v3 LPT/WETH 0.3% (local)",
      kind: "uniswapV3",
      address: pool,
      // the block createPool deployed it in
      startBlock: createdIn,
      asset: lpt,
      quote: "ETH",
      assetIsToken0: lptIsToken0,
      assetDecimals: 18,
      quoteDecimals: 18,
    },
  };
}

/** The pool during the simulation: its LPT-in-ETH path (the economy's own stream) and the driver's calls. */
export class PoolSim {
  readonly path: PricePath;
  readonly pool: string;
  readonly driver: string;

  constructor(
    private readonly host: SimHost,
    private readonly parts: PoolParts,
    rng: Rng,
  ) {
    this.path = new PricePath(rng, LPT_ETH_START, 0.05, { lo: LPT_ETH_START / 4n, hi: LPT_ETH_START * 4n });
    this.pool = parts.LptWethPool.toLowerCase();
    this.driver = parts.PoolDriver.toLowerCase();
  }

  static fromExtras(host: SimHost, extras: Record<string, string> | undefined, rng: Rng): PoolSim {
    const need = (k: keyof PoolParts) => {
      const v = extras?.[k];
      if (!v)
        throw new Error(
          `livepeer: the deployment's simulator.protocols.livepeer has no ${k}: start a new chain (npm start -- --fresh)`,
        );
      return v;
    };
    return new PoolSim(
      host,
      {
        WETH: need("WETH") as Address,
        PoolDriver: need("PoolDriver") as Address,
        UniswapV3Factory: need("UniswapV3Factory") as Address,
        LptWethPool: need("LptWethPool") as Address,
        lptIsToken0: need("lptIsToken0") === "true",
      },
      rng,
    );
  }

  /** A driver call in a SimHub transaction of its own (the pool's math moves the tokens: booked from the logs). */
  private driverCall(functionName: string, args: unknown[]): void {
    this.host.closeTx();
    this.host.call(
      this.parts.PoolDriver,
      this.host.compiled("PoolDriver").abi as Abi,
      functionName,
      args,
      null,
    );
    this.host.closeTx();
  }

  /**
   * The pool's liquidity at genesis, once the driver holds its LPT (`fund`, 2 M LPT): 20,000 WETH minted to the
   * driver, then full-range liquidity (≈300,000 LPT and ≈1,200 WETH at 0.004 ETH).
   */
  start(): void {
    const weth = this.host.compiled("WETH").abi as Abi;
    this.host.call(this.parts.WETH, weth, "mint", [this.driver, tokens(20_000)], 1);
    this.driverCall("addLiquidity", [
      this.parts.LptWethPool,
      -887220,
      887220,
      19_000_000_000_000_000_000_000n,
    ]);
  }

  /** The driver swaps the pool to the next price of its path (a day of `updatesToday` updates). */
  swap(updatesToday: number): void {
    const price = this.path.next(updatesToday);
    this.driverCall("swapToPrice", [this.parts.LptWethPool, sqrtPriceX96(price, this.parts.lptIsToken0)]);
  }

  /** Extras as the deployment keeps them (strings). */
  static extras(parts: PoolParts): Record<string, string> {
    return {
      WETH: parts.WETH,
      PoolDriver: parts.PoolDriver,
      UniswapV3Factory: parts.UniswapV3Factory,
      LptWethPool: parts.LptWethPool,
      lptIsToken0: String(parts.lptIsToken0),
    };
  }
}
