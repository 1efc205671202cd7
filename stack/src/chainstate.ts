/**
 * The chain's state file, written by the supervisor, never half-written. anvil's own `--state` dump rewrites the
 * file in place (foundry crates/common/src/fs.rs write_json_file: File::create, then write): a kill -9 or a full
 * disk during one of its periodic dumps left a truncated file, which anvil then refuses to load, and the chain
 * (with the database indexed from it) was lost. So anvil only loads the file (`--load-state`), and the supervisor
 * writes it: anvil_dumpState over RPC (gzipped JSON, the same format), written to a temporary file, fsync'd, and
 * renamed over the old one, so the file on disk is always a whole state. It is written:
 * - after a history is simulated, before the deployment file that marks the chain "seeded" (seed.ts), so a chain
 *   marked seeded always has its whole history on disk;
 * - when the chain's head changed since the last write: every 30 s (live mode, reorgs) and when anvil is stopped,
 *   by the supervisor or by the reaper (leftovers.ts).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { gunzipSync } from "node:zlib";
import { StackError } from "./errors.js";

/** A file the chain state goes to, and the RPC of the anvil that holds it. */
export interface ChainStateTarget {
  rpcUrl: string;
  stateFile: string;
}

interface Head {
  number: string;
  hash: string;
}

async function call<T>(url: string, method: string, params: unknown[], timeoutMs: number): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

const head = (url: string) =>
  call<Head | null>(url, "eth_getBlockByNumber", ["latest", false], 10_000).then((b) =>
    b ? `${b.number}:${b.hash}` : null,
  );

/** The one line for a write that failed because the disk is full. */
export function diskFull(folder: string): StackError {
  return new StackError(
    `the disk holding ${folder} is full (no space left on device): free some space, then \`npm start\` ` +
      "again; nothing was deleted, and the files already there are whole",
  );
}

/** Whether an error is a full disk (ENOSPC), however a library wrapped it. */
export function isDiskFull(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException & { cause?: unknown };
  return (
    err?.code === "ENOSPC" ||
    /ENOSPC|no space left on device/i.test(String(err?.message)) ||
    (err?.cause !== undefined && isDiskFull(err.cause))
  );
}

/** Writes `data` to `file` so that the file is either its old content or all of `data` (never a part). */
export function writeWhole(file: string, data: Buffer | string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, "w");
    try {
      const buf = typeof data === "string" ? Buffer.from(data) : data;
      for (let at = 0; at < buf.length; ) at += writeSync(fd, buf, at, buf.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    const dir = openSync(dirname(file), "r");
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    if ((e as NodeJS.ErrnoException).code === "ENOSPC") throw diskFull(dirname(file));
    throw e;
  }
}

/** Next to the state file: "<number>:<hash>" of the head it holds (written after it). */
const headFile = (t: ChainStateTarget) => `${t.stateFile}.head`;

function savedHead(t: ChainStateTarget): string | null {
  try {
    return readFileSync(headFile(t), "utf8").trim() || null;
  } catch {
    return null;
  }
}

/**
 * Dumps the chain held by anvil at `rpcUrl` into `stateFile` (whole or not at all), unless the file holds the
 * current head already (the loaded chain, or an earlier save). Returns whether it wrote.
 */
export async function saveChainState(t: ChainStateTarget): Promise<boolean> {
  const before = await head(t.rpcUrl);
  if (before !== null && before === savedHead(t) && existsSync(t.stateFile)) return false;
  const hex = await call<string>(t.rpcUrl, "anvil_dumpState", [false], 300_000);
  const json = gunzipSync(Buffer.from(hex.replace(/^0x/, ""), "hex"));
  writeWhole(t.stateFile, json);
  // a block mined during the dump may or may not be in it: then no head is recorded and the next save writes again
  const after = await head(t.rpcUrl);
  if (after !== null && before === after) writeWhole(headFile(t), `${after}\n`);
  else rmSync(headFile(t), { force: true });
  return true;
}

/** Keeps one anvil's state file current (see the module comment). */
export class ChainKeeper {
  private saving: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly target: ChainStateTarget,
    private readonly onError: (e: Error) => void,
  ) {}

  /** Writes the state file unless it holds the current head; one write at a time. */
  async save(): Promise<void> {
    const next = this.saving.catch(() => {}).then(() => saveChainState(this.target));
    this.saving = next;
    await next;
  }

  /** Saves every `ms` when the head moved (errors go to onError: the last whole state stays on disk). */
  every(ms: number): void {
    this.timer ??= setInterval(() => {
      this.save().catch((e: Error) => this.onError(e));
    }, ms);
    this.timer.unref();
  }

  stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
