/**
 * Byte-for-byte TCP/Unix-socket forwarding, for graph-node's network namespace (netns.ts): a server on one
 * endpoint whose every connection is piped to a new connection to another endpoint. Either side may be a TCP
 * address or a Unix socket file (a file is reachable from every network namespace; a TCP port is not).
 */
import { rmSync } from "node:fs";
import net from "node:net";

export type Endpoint = { host: string; port: number } | { path: string };

export interface Forward {
  listen: Endpoint;
  target: Endpoint;
}

const connections = new WeakMap<net.Server, Set<net.Socket>>();

const describe = (e: Endpoint) => ("path" in e ? e.path : `${e.host}:${e.port}`);

/** Listens on `f.listen` and pipes each connection to `f.target`; resolves once listening. */
export function forward(f: Forward): Promise<net.Server> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect("path" in f.target ? { path: f.target.path } : f.target);
    open.add(client);
    open.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", close);
    upstream.on("error", close);
    client.on("close", close);
    upstream.on("close", close);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  connections.set(server, open);
  if ("path" in f.listen) rmSync(f.listen.path, { force: true });
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `cannot listen on ${describe(f.listen)} (forward to ${describe(f.target)}): ${e.code ?? e.message}`,
        ),
      ),
    );
    const { listen } = f;
    if ("path" in listen) server.listen({ path: listen.path }, () => resolve(server));
    else server.listen({ host: listen.host, port: listen.port, exclusive: true }, () => resolve(server));
  });
}

/** Closes the servers and their open connections. */
export async function closeAll(servers: net.Server[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((r) => {
          s.close(() => r());
          for (const c of connections.get(s) ?? []) c.destroy();
        }),
    ),
  );
}
