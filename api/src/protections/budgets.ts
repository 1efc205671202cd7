/**
 * Per-client budgets: who a request comes from (its API key when the gateway has keys configured and the
 * request carries one, else its IP), the estimated cost of that client's requests in flight, and the cost it
 * spent in the current window (rate-limiter-flexible, fixed windows in memory). A client over either budget
 * is told so at once (HTTP 429 with Retry-After): its requests never wait in line in front of other clients'.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface BudgetConfig {
  /** Estimated cost of one client's requests in flight at once; 0: no limit. */
  clientConcurrentCost: number;
  /** Estimated cost one client may spend per window; 0: no limit. */
  clientCostPerWindow: number;
  clientCostWindowSeconds: number;
  apiKeys: readonly string[];
}

/** A short, stable, non-reversible name for a key (logs and metrics never see the key itself). */
const keyId = (key: string) => createHash("sha256").update(key).digest("hex").slice(0, 12);

/** Identifies clients: `key:<hash>` for a configured API key, `ip:<address>` otherwise. */
export class ClientIdentity {
  private readonly keys: { bytes: Buffer; id: string }[];

  constructor(apiKeys: readonly string[]) {
    this.keys = apiKeys.map((k) => ({ bytes: Buffer.from(k), id: `key:${keyId(k)}` }));
  }

  of(req: IncomingMessage): string {
    if (this.keys.length > 0) {
      const header = req.headers["x-api-key"];
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
      const presented = (Array.isArray(header) ? header[0] : header) ?? bearer;
      if (presented) {
        const bytes = Buffer.from(presented);
        const match = this.keys.find(
          (k) => k.bytes.length === bytes.length && timingSafeEqual(k.bytes, bytes),
        );
        if (match) return match.id;
      }
    }
    return `ip:${req.socket.remoteAddress ?? "unknown"}`;
  }
}

export type Admission =
  | { ok: true; release(): void }
  | { ok: false; reason: "concurrency" | "rate" | "busy"; retryAfterSeconds: number; message: string };

export class ClientBudgets {
  private readonly inFlight = new Map<string, number>();
  private readonly window: RateLimiterMemory | null;

  constructor(private readonly config: BudgetConfig) {
    this.window =
      config.clientCostPerWindow > 0
        ? new RateLimiterMemory({
            points: config.clientCostPerWindow,
            duration: config.clientCostWindowSeconds,
          })
        : null;
  }

  /** Estimated cost of a client's requests in flight now. */
  concurrentCost(client: string): number {
    return this.inFlight.get(client) ?? 0;
  }

  /**
   * Admits a request of `cost` for `client`, or says why not and when to come back. An admitted request
   * must call release() when its answer has been sent (or it failed).
   */
  async admit(client: string, cost: number): Promise<Admission> {
    const c = this.config;
    const busy = this.concurrentCost(client);
    // A client with nothing in flight is always admitted here, whatever the size of its request.
    if (c.clientConcurrentCost > 0 && busy > 0 && busy + cost > c.clientConcurrentCost) {
      return {
        ok: false,
        reason: "concurrency",
        retryAfterSeconds: 1,
        message:
          `too much at once: this client's requests in flight cost ${busy.toLocaleString("en-US")}, and this one ` +
          `${cost.toLocaleString("en-US")} more, over the limit of ${c.clientConcurrentCost.toLocaleString("en-US")} ` +
          "per client; wait for your answers before sending more",
      };
    }
    if (this.window) {
      // A request larger than the whole window budget uses all of it (it is not refused forever).
      const charge = Math.min(cost, c.clientCostPerWindow);
      try {
        await this.window.consume(client, charge);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        await this.window.reward(client, charge); // a refused request costs nothing
        const retryAfterSeconds = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        return {
          ok: false,
          reason: "rate",
          retryAfterSeconds,
          message:
            `over budget: this client spent ${(e.consumedPoints - charge).toLocaleString("en-US")} of ` +
            `${c.clientCostPerWindow.toLocaleString("en-US")} cost in its current ${c.clientCostWindowSeconds} s window ` +
            `and this request costs ${cost.toLocaleString("en-US")}; retry after ${retryAfterSeconds} s`,
        };
      }
    }
    this.inFlight.set(client, busy + cost);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = this.concurrentCost(client) - cost;
        if (left > 0) this.inFlight.set(client, left);
        else this.inFlight.delete(client);
      },
    };
  }
}

/** The GraphQL error of a refused request (sent with HTTP 429 and a Retry-After header). */
export function rateLimited(a: Extract<Admission, { ok: false }>): GraphQLError {
  return new GraphQLError(a.message, {
    extensions: { code: "RATE_LIMITED", reason: a.reason, retryAfter: a.retryAfterSeconds },
  });
}
