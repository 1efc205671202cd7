/** A minimal JSON-RPC client over HTTP with batch requests (the simulator sends thousands of calls). */
import { type Abi, decodeFunctionResult, encodeFunctionData, type Hex } from "viem";

export interface RpcRequest {
  method: string;
  params?: unknown[];
}

export class RpcError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export class Rpc {
  private id = 0;
  constructor(readonly url: string) {}

  async call<T = unknown>(method: string, params: unknown[] = []): Promise<T> {
    const [r] = await this.batch<T>([{ method, params }]);
    return r as T;
  }

  /** eth_call of a contract's function at the latest block, decoded with its ABI. */
  async read<T>(to: string, abi: Abi, functionName: string, args: unknown[] = []): Promise<T> {
    const data = encodeFunctionData({ abi, functionName, args });
    const out = await this.call<Hex>("eth_call", [{ to, data }, "latest"]);
    return decodeFunctionResult({ abi, functionName, data: out }) as T;
  }

  /** Sends the requests in one HTTP request; results in request order. Throws on the first error. */
  async batch<T = unknown>(requests: RpcRequest[]): Promise<T[]> {
    if (requests.length === 0) return [];
    const base = this.id;
    this.id += requests.length;
    const body = requests.map((r, i) => ({
      jsonrpc: "2.0",
      id: base + i,
      method: r.method,
      params: r.params ?? [],
    }));
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body.length === 1 ? body[0] : body),
      });
    } catch (e) {
      throw new Error(`cannot reach the JSON-RPC endpoint ${this.url}: ${(e as Error).message}`);
    }
    if (!res.ok) throw new Error(`JSON-RPC ${this.url}: HTTP ${res.status} ${await res.text()}`);
    const json = (await res.json()) as RpcResponse | RpcResponse[];
    const list = Array.isArray(json) ? json : [json];
    const byId = new Map(list.map((r) => [r.id, r]));
    return requests.map((req, i) => {
      const r = byId.get(base + i);
      if (!r) throw new RpcError(`no response to ${req.method}`, req.method);
      if (r.error) throw new RpcError(`${req.method}: ${r.error.message}`, req.method, r.error.data);
      return r.result as T;
    });
  }
}
