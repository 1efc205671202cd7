/**
 * Docker support without a Docker engine: docker-compose.yml, docker-compose.chain.yml, the Dockerfiles and
 * .dockerignore are checked statically; the gateway image's entry point (api/src/main.ts compiled by the
 * Dockerfile's tsc step) is built and started for real; seed-cli's usage errors are checked by running it.
 * `docker compose config -q` runs when a compose binary is installed (skipped, and said so, otherwise).
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseConfig } from "../api/src/core/config.js";

const ROOT = resolve(import.meta.dirname, "..");
const read = (p: string) => readFileSync(join(ROOT, p), "utf8");

interface Healthcheck {
  test?: string | string[];
  disable?: boolean;
}
interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string> | string[];
  ports?: (string | { host_ip?: string; published?: string | number })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: Healthcheck;
  restart?: string;
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const compose = parse(read("docker-compose.yml")) as ComposeFile;
const chain = parse(read("docker-compose.chain.yml")) as ComposeFile;
const services = Object.entries(compose.services);
const env = (s: Service | undefined): Record<string, string> => {
  const e = s?.environment ?? {};
  if (!Array.isArray(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(e.map((kv) => [kv.split("=")[0] ?? "", kv.slice(kv.indexOf("=") + 1)]));
};
/** One-shot services (run to completion): restart "no". Every other service is long-running. */
const oneShot = (s: Service) => s.restart === "no";

// --- a small Dockerfile reader: instructions per stage, continuation lines joined ---------------------
interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | null;
  instructions: Instruction[];
}
function readDockerfile(path: string): Stage[] {
  const text = read(path).replace(/\\\n/g, " ");
  const stages: Stage[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const op = (m[1] ?? "").toUpperCase();
    const args = (m[2] ?? "").trim();
    if (op === "FROM") {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: f?.[1] ?? "", name: f?.[2] ?? null, instructions: [] });
    } else stages.at(-1)?.instructions.push({ op, args });
  }
  return stages;
}
/** KEY=value pairs of an ENV instruction (single and double quotes as in the Dockerfile shell lexer). */
function envPairs(args: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([A-Za-z_][A-Za-z0-9_]*)=('([^']*)'|"((?:[^"\\]|\\.)*)"|(\S*))/g;
  for (const m of args.matchAll(re)) {
    out[m[1] ?? ""] = m[3] ?? (m[4] !== undefined ? m[4].replace(/\\(.)/g, "$1") : (m[5] ?? ""));
  }
  return out;
}
const ops = (stage: Stage | undefined, op: string) =>
  (stage?.instructions ?? []).filter((i) => i.op === op).map((i) => i.args);

describe("docker-compose.yml", () => {
  it("has every part of the stack that the README names", () => {
    // The README's "What `npm start` runs" table: one row per part, each run by one compose service.
    const readme = read("README.md");
    const start = readme.indexOf("| part |");
    expect(start, "README has the parts table").toBeGreaterThanOrEqual(0);
    const table = readme.slice(start).split(/\n\s*\n/)[0] ?? ""; // up to the first blank line
    const parts = [...table.matchAll(/^\| ([^|]+?) \|/gm)]
      .map((m) => m[1] ?? "")
      .filter((p) => p !== "part" && !/^-+$/.test(p));
    const serviceOf: Record<string, string> = {
      PostgreSQL: "postgres",
      chain: "anvil",
      "second chain": "anvil-b",
      contracts: "seed",
      prices: "seed",
      history: "seed",
      IPFS: "ipfs",
      "graph-node": "graph-node",
      gateway: "gateway",
    };
    expect(parts.length).toBeGreaterThanOrEqual(5);
    for (const part of parts) {
      const svc = serviceOf[part];
      expect(svc, `README part "${part}" has no compose service in this test's map`).toBeDefined();
      expect(compose.services[svc ?? ""], `README part "${part}": service ${svc}`).toBeDefined();
    }
    for (const name of ["postgres", "ipfs", "anvil", "anvil-b", "graph-node", "seed", "gateway"]) {
      expect(compose.services[name], name).toBeDefined();
    }
  });

  it("pins every image to an explicit tag that is not latest", () => {
    for (const [name, s] of services) {
      expect(s.image, `${name}: image`).toBeTypeOf("string");
      const image = s.image ?? "";
      const digest = image.includes("@sha256:");
      const tag = /:([^/:@]+)$/.exec(image.split("@")[0] ?? "")?.[1];
      expect(digest || tag !== undefined, `${name}: ${image} has no tag`).toBe(true);
      expect(tag, `${name}: ${image}`).not.toBe("latest");
      expect(image, `${name}: no variables in image names`).not.toContain("$");
    }
  });

  it("gives every long-running service a health check", () => {
    const long = services.filter(([, s]) => !oneShot(s));
    expect(long.map(([n]) => n).sort()).toEqual([
      "anvil",
      "anvil-b",
      "gateway",
      "graph-node",
      "ipfs",
      "postgres",
    ]);
    for (const [name, s] of long) {
      expect(s.healthcheck?.disable, name).not.toBe(true);
      const test = s.healthcheck?.test;
      expect(Array.isArray(test) ? test.length > 1 && test[0] !== "NONE" : Boolean(test), name).toBe(true);
    }
  });

  it("orders start-up with depends_on conditions", () => {
    for (const [name, s] of services) {
      if (!s.depends_on) continue;
      expect(Array.isArray(s.depends_on), `${name}: depends_on must use conditions`).toBe(false);
      for (const [dep, { condition }] of Object.entries(
        s.depends_on as Record<string, { condition?: string }>,
      )) {
        const target = compose.services[dep];
        expect(target, `${name} depends on ${dep}`).toBeDefined();
        if (condition === "service_healthy") expect(target?.healthcheck, `${dep}: healthcheck`).toBeDefined();
        else if (condition === "service_completed_successfully")
          expect(oneShot(target as Service), `${dep} is one-shot`).toBe(true);
        else expect.fail(`${name} -> ${dep}: condition ${condition}`);
      }
    }
    const deps = (n: string) => Object.keys(compose.services[n]?.depends_on ?? {}).sort();
    expect(deps("graph-node")).toEqual(["anvil", "anvil-b", "ipfs", "postgres"]);
    expect(deps("seed")).toEqual(["anvil", "anvil-b", "graph-node", "ipfs"]);
    expect(compose.services.gateway?.depends_on).toMatchObject({
      seed: { condition: "service_completed_successfully" },
      "graph-node": { condition: "service_healthy" },
    });
  });

  it("publishes ports on 127.0.0.1 only", () => {
    let count = 0;
    for (const [name, s] of services) {
      for (const p of s.ports ?? []) {
        count++;
        if (typeof p === "string") expect(p, name).toMatch(/^127\.0\.0\.1:/);
        else expect(p.host_ip, name).toBe("127.0.0.1");
      }
    }
    expect(count).toBe(9); // postgres, anvil, anvil-b, ipfs, graph-node ×4, gateway
  });

  it("keeps data in named volumes declared at the top level", () => {
    const declared = Object.keys(compose.volumes ?? {});
    const used = new Map<string, string>();
    for (const [name, s] of services) {
      for (const v of s.volumes ?? []) {
        const source = typeof v === "string" ? (v.split(":")[0] ?? "") : (v.source ?? "");
        expect(source, `${name}: ${JSON.stringify(v)} must be a named volume, not a host path`).toMatch(
          /^[a-z0-9][a-z0-9_.-]*$/,
        );
        expect(declared, `${name}: volume ${source}`).toContain(source);
        used.set(name, source);
      }
    }
    expect([...used.keys()].sort()).toEqual(["anvil", "anvil-b", "ipfs", "postgres", "seed"]);
    expect(used.get("anvil-b"), "the second chain keeps its own state").not.toBe(used.get("anvil"));
  });

  it("configures PostgreSQL as graph-node requires (UTF8, C locale, pg_stat_statements)", () => {
    const pg = compose.services.postgres as Service;
    const cmd = Array.isArray(pg.command) ? pg.command.join(" ") : (pg.command ?? "");
    expect(cmd).toMatch(/shared_preload_libraries=pg_stat_statements/);
    const initdb = env(pg).POSTGRES_INITDB_ARGS ?? "";
    expect(initdb).toMatch(/(-E|--encoding=?)\s*UTF8/);
    expect(initdb).toMatch(/--locale=C\b/);
    expect(pg.image).toMatch(/^postgres:\d+(\.\d+)?/);
  });

  it("runs graph-node ≥ v0.38 on the local chain, and anvil listening for the other containers", () => {
    const image = compose.services["graph-node"]?.image ?? "";
    const m = /^graphprotocol\/graph-node:v(\d+)\.(\d+)\.(\d+)$/.exec(image);
    expect(m, image).not.toBeNull();
    const [major, minor] = [Number(m?.[1]), Number(m?.[2])];
    expect(major > 0 || minor >= 38, `${image} supports specVersion 1.3.0`).toBe(true);
    // both local networks, space-separated (the official image's start script: one --ethereum-rpc each)
    expect(env(compose.services["graph-node"]).ethereum).toBe(
      "local:http://anvil:8545 local-b:http://anvil-b:8545",
    );
    expect(env(compose.services["graph-node"]).ipfs).toBe("ipfs:5001");
    const anvil = compose.services.anvil as Service;
    const args = [anvil.entrypoint, anvil.command].flat().join(" ");
    expect(args).toMatch(/--host[= ]0\.0\.0\.0/);
    expect(args).toMatch(/--state[= ]\/data\//);
    // npm start's anvil flags (stack/src/anvil.ts) are needed by the contracts.
    for (const flag of ["--gas-limit", "--code-size-limit", "--timestamp", "--order"])
      expect(args).toContain(flag);
    // the second local network: the same anvil flags, its own chain id (stack/src/stack.ts CHAIN_ID_B)
    const b = compose.services["anvil-b"] as Service;
    const argsB = [b.entrypoint, b.command].flat().join(" ");
    expect(argsB.replace(/ --chain-id=\d+/, "").replace("/data/", "/data/")).toBe(args);
    expect(argsB).toMatch(/--chain-id[= ]31338\b/);
    expect(b.image).toBe(anvil.image);
  });

  it("seeds the second local network and deploys its subgraph under the gateway's local-b upstream", () => {
    const seed = env(compose.services.seed);
    expect(seed.RPC_URL_B).toBe("http://anvil-b:8545");
    const gw = parseConfig(JSON.parse(env(compose.services.gateway).GATEWAY_UPSTREAMS ?? ""));
    expect(gw.upstreams.map((u) => [u.name, u.network])).toEqual([
      ["local", "local"],
      ["local-b", "local-b"],
    ]);
    expect(gw.upstreams[1]?.url).toBe(`http://graph-node:8000/subgraphs/name/${seed.SUBGRAPH_NAME_B}`);
    // the chain override indexes Arbitrum One only: no second local network there
    expect(env(chain.services.seed).RPC_URL_B).toBe("");
  });

  it("seeds with stack/src/seed-cli.ts, the seedChain code path of npm start", () => {
    const seed = compose.services.seed as Service;
    expect(oneShot(seed)).toBe(true);
    const build = seed.build as { context?: string; dockerfile?: string };
    expect(build.context).toBe(".");
    expect(build.dockerfile).toBe("docker/seed.Dockerfile");
    const [stage] = readDockerfile("docker/seed.Dockerfile");
    const entry = JSON.parse(ops(stage, "ENTRYPOINT").at(-1) ?? "[]") as string[];
    expect(entry).toEqual(["node", "--import", "tsx", "stack/src/seed-cli.ts"]);
    expect(ops(stage, "USER").at(-1)).toBe("node");
    // seed-cli.ts and the npm start supervisor call the same seedChain and buildSubgraph.
    const cli = read("stack/src/seed-cli.ts");
    const supervisor = read("stack/src/stack.ts");
    for (const src of [cli, supervisor]) {
      expect(src).toMatch(/import \{[^}]*\bseedChain\b[^}]*\} from "\.\/seed\.js"/);
      expect(src).toMatch(
        /import \{[^}]*\bbuildSubgraph\b[^}]*\} from "\.\.\/\.\.\/subgraph\/scripts\/manifest\.js"/,
      );
      expect(src).toMatch(/buildSubgraph\(deployment, "real"\)/);
    }
    // Every environment variable compose sets is one seed-cli reads.
    const reads = new Set([...cli.matchAll(/\.env\("([A-Z_]+)"\)/g)].map((m) => m[1]));
    for (const key of Object.keys(env(seed))) expect(reads, `seed-cli reads ${key}`).toContain(key);
    for (const key of Object.keys(env(chain.services.seed)))
      expect(reads, `seed-cli reads ${key}`).toContain(key);
  });

  it("points the gateway at graph-node with a valid upstream config", () => {
    const gw = compose.services.gateway as Service;
    expect((gw.build as { dockerfile?: string }).dockerfile).toBe("docker/gateway.Dockerfile");
    const config = parseConfig(JSON.parse(env(gw).GATEWAY_UPSTREAMS ?? ""));
    expect(config.upstreams[0]).toMatchObject({
      url: "http://graph-node:8000/subgraphs/name/ai-tokenomics",
      statusUrl: "http://graph-node:8030/graphql",
      network: "local",
    });
  });
});

describe("docker-compose.chain.yml (a real chain instead of anvil)", () => {
  it("points graph-node at RPC_URL as arbitrum-one and deploys the arbitrum-one deployment", () => {
    for (const name of Object.keys(chain.services)) expect(compose.services[name], name).toBeDefined();
    expect(env(chain.services["graph-node"]).ethereum).toMatch(/^arbitrum-one:\$\{RPC_URL:\?[^}]+\}$/);
    const seed = env(chain.services.seed);
    expect(seed.RPC_URL).toMatch(/^\$\{RPC_URL:\?/);
    expect(existsSync(join(ROOT, seed.DEPLOYMENT ?? "missing"))).toBe(true);
    expect(JSON.parse(read(seed.DEPLOYMENT ?? "")).network).toBe("arbitrum-one");
    const config = parseConfig(JSON.parse(env(chain.services.gateway).GATEWAY_UPSTREAMS ?? ""));
    expect(config.upstreams[0]?.network).toBe("arbitrum-one");
  });
});

describe("docker/gateway.Dockerfile", () => {
  const stages = readDockerfile("docker/gateway.Dockerfile");
  const runtime = stages.at(-1);
  const tmp = join(ROOT, "node_modules", ".cache", "docker-test-gateway");
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("is multi-stage, non-root, with a health check, and pins its base images", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.from, s.from).toMatch(/^node:\d+\.\d+\.\d+-[a-z0-9.-]+$/);
    expect(ops(runtime, "USER").at(-1)).toBe("node");
    expect(ops(runtime, "EXPOSE")).toContain("4000");
    expect(ops(runtime, "HEALTHCHECK").join(" ")).toMatch(/\/health/);
    // Production dependencies only: the stage that installs the runtime's node_modules omits dev ones.
    const from = ops(runtime, "COPY").find((c) => c.includes("node_modules")) ?? "";
    const depsStage = stages.find((s) => s.name === /--from=(\S+)/.exec(from)?.[1]);
    const install = ops(depsStage, "RUN").join(" ");
    expect(install).toMatch(/npm ci\b.*--omit=dev/);
    expect(ops(runtime, "RUN").join(" ")).not.toMatch(/npm (ci|install)/);
    // Only what runs is copied into the runtime stage, never the whole context.
    for (const c of ops(runtime, "COPY")) expect(c, `COPY ${c}`).not.toMatch(/^(--\S+\s+)*\.\s/);
  });

  it("runs api/src/main.ts compiled by its own tsc step, and that build serves /health", async () => {
    const cmd = JSON.parse(ops(runtime, "CMD").at(-1) ?? "[]") as string[];
    expect(cmd).toEqual(["node", "api/dist/main.js"]);
    const tsconfig = JSON.parse(read("docker/tsconfig.gateway.json")) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(resolve(ROOT, "docker", tsconfig.compilerOptions.rootDir)).toBe(join(ROOT, "api/src"));
    expect(resolve(ROOT, "docker", tsconfig.compilerOptions.outDir)).toBe(join(ROOT, "api/dist"));
    const build = stages.find((s) =>
      ops(s, "RUN").some((r) => r.includes("tsc -p docker/tsconfig.gateway.json")),
    );
    expect(build, "a stage compiles with docker/tsconfig.gateway.json").toBeDefined();
    expect(ops(runtime, "COPY")).toContain(`--from=${build?.name} /src/api/dist ./api/dist`);

    // Build it as the Dockerfile does (into a scratch api/dist under node_modules/.cache) and start it with
    // the image's environment.
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, "api"), { recursive: true });
    writeFileSync(join(tmp, "api", "package.json"), read("api/package.json"));
    execFileSync(
      process.execPath,
      [
        join(ROOT, "node_modules/typescript/bin/tsc"),
        "-p",
        join(ROOT, "docker/tsconfig.gateway.json"),
        "--outDir",
        join(tmp, "api/dist"),
      ],
      { cwd: ROOT, stdio: "pipe" },
    );
    // the runtime stage's copies from the build context (e.g. the dashboard's static files), as the image has them
    for (const c of ops(runtime, "COPY").filter((x) => !x.startsWith("--from"))) {
      const [src, dest] = c.split(/\s+/);
      if (src && dest && src !== "api/package.json")
        cpSync(join(ROOT, src), join(tmp, dest), { recursive: true });
    }
    const imageEnv = Object.assign({}, ...ops(runtime, "ENV").map(envPairs)) as Record<string, string>;
    expect(parseConfig(JSON.parse(imageEnv.GATEWAY_UPSTREAMS ?? "")).upstreams[0]?.url).toBe(
      "http://graph-node:8000/subgraphs/name/ai-tokenomics",
    );
    const child = spawn(process.execPath, [join(tmp, cmd[1] ?? "")], {
      cwd: tmp,
      env: { ...process.env, ...imageEnv, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = "";
        const timer = setTimeout(() => fail(new Error(`gateway did not start: ${out}`)), 20_000);
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)\/graphql"/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            ok(m[1]);
          }
        });
        child.stderr.on("data", (d: Buffer) => {
          out += d.toString();
        });
        child.on("exit", (code) => fail(new Error(`gateway exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", upstreams: ["local"] });
      // the dashboard and its files are in the image (tsc alone would leave its static files out)
      const page = await fetch(`${url}/dashboard`);
      expect(page.status).toBe(200);
      const scripts = [...(await page.text()).matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1] as string);
      expect(scripts.length).toBeGreaterThan(0);
      for (const src of scripts)
        expect((await fetch(new URL(src, `${url}/dashboard/`))).status, src).toBe(200);
    } finally {
      child.kill("SIGTERM");
    }
  });
});

describe(".dockerignore", () => {
  it("keeps local state, builds and secrets out of the build context", () => {
    const lines = read(".dockerignore")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const p of ["**/node_modules", ".git", "**/.data", "**/.env", "**/.env.*", "subgraph/.builds"]) {
      expect(lines, p).toContain(p);
    }
  });
});

describe("compose config (docker compose or docker-compose, when installed)", () => {
  const candidates: string[][] = [["docker", "compose"], ["docker-compose"]];
  const bin = candidates.find(
    ([cmd, ...args]) => spawnSync(cmd ?? "", [...args, "version"], { stdio: "ignore" }).status === 0,
  );
  it("validates docker-compose.yml and the chain override with `config -q`", ({ skip }) => {
    if (!bin) {
      skip("neither `docker compose` nor `docker-compose` is installed here: compose validation not run");
      return;
    }
    const [cmd, ...pre] = bin;
    const run = (files: string[], extraEnv: Record<string, string> = {}) =>
      spawnSync(cmd ?? "", [...pre, ...files.flatMap((f) => ["-f", f]), "config", "-q"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, ...extraEnv },
      });
    const base = run(["docker-compose.yml"]);
    expect(base.status, base.stderr).toBe(0);
    const withChain = run(["docker-compose.yml", "docker-compose.chain.yml"], {
      RPC_URL: "https://rpc.invalid",
    });
    expect(withChain.status, withChain.stderr).toBe(0);
    const { RPC_URL: _unset, ...noRpc } = process.env;
    const missing = spawnSync(
      cmd ?? "",
      [...pre, "-f", "docker-compose.yml", "-f", "docker-compose.chain.yml", "config", "-q"],
      { cwd: ROOT, encoding: "utf8", env: noRpc },
    );
    expect(missing.status).not.toBe(0);
    expect(`${missing.stdout}${missing.stderr}`).toMatch(/RPC_URL/);
  });
});

describe("stack/src/seed-cli.ts usage errors", () => {
  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "stack/src/seed-cli.ts"), ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, ...extraEnv },
      timeout: 60_000,
    });

  it("rejects a bad --days with a clear message and exit code 2", () => {
    const r = cli(["--days", "abc"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--days must be an integer ≥ 1, got "abc"');
  });

  it("checks the environment fallbacks the same way (DAYS=0, a non-URL RPC_URL)", () => {
    const days = cli([], { DAYS: "0" });
    expect(days.status).toBe(2);
    expect(days.stderr).toContain('--days must be an integer ≥ 1, got "0"');
    const rpc = cli([], { RPC_URL: "anvil:8545" });
    expect(rpc.status).toBe(2);
    expect(rpc.stderr).toContain("--rpc-url must be an http(s) URL");
  });

  it("prints its options with --help and exits 0", () => {
    const r = cli(["--help"]);
    expect(r.status).toBe(0);
    for (const o of ["--rpc-url", "--graph-node-admin", "--ipfs-url", "--seed-dir", "--days", "--seed"]) {
      expect(r.stdout).toContain(o);
    }
    expect(r.stdout).toContain("env: RPC_URL");
  });
});
