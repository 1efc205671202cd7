import net from "node:net";
import { StackError } from "./errors.js";

/**
 * Resolves if the TCP port can be bound on 127.0.0.1 and on 0.0.0.0 (what --expose binds, and graph-node when it
 * cannot run in its own network namespace: netns.ts).
 */
export async function isPortFree(port: number): Promise<boolean> {
  for (const host of ["127.0.0.1", "0.0.0.0"]) {
    const free = await new Promise<boolean>((resolve) => {
      const srv = net.createServer();
      srv.once("error", () => resolve(false));
      srv.listen({ port, host, exclusive: true }, () => srv.close(() => resolve(true)));
    });
    if (!free) return false;
  }
  return true;
}

export class PortInUseError extends StackError {
  constructor(
    readonly port: number,
    readonly what: string,
    readonly option: string,
  ) {
    super(`port ${port} (${what}) is already in use: choose another with ${option} <port>`);
  }
}

/** Throws for the first port in use; `graceMs` lets ports held by just-stopped processes be released. */
export async function assertPortsFree(
  ports: { port: number; what: string; option: string }[],
  graceMs = 0,
): Promise<void> {
  const deadline = Date.now() + graceMs;
  for (const p of ports) {
    while (!(await isPortFree(p.port))) {
      if (Date.now() >= deadline) throw new PortInUseError(p.port, p.what, p.option);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A port the OS says is free now (tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `${what} not ready after ${Math.round(timeoutMs / 1000)} s${lastError ? ` (${(lastError as Error).message})` : ""}`,
  );
}
