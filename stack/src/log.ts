/**
 * Stack logging: one human line per step on stderr, and the same events as structured JSON lines
 * (pino) in <data>/logs/stack.log. Never log secrets: URLs go through redactUrl first. The terminal lines go
 * through terminal.ts: a closed or broken terminal never stops the supervisor, and stack.log stays the record.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pino, { type Logger } from "pino";
import { isTerminal, onTerminalLost, say } from "./terminal.js";

export interface StackLog {
  step(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A progress line that overwrites itself on a terminal. */
  progress(msg: string): void;
  json: Logger;
}

/** Drops credentials and query strings (API keys) from a URL before it is logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    if (u.search) u.search = "?***";
    // Gateway-style keys in the path: /api/<32+ hex or alnum>/subgraphs/...
    u.pathname = u.pathname.replace(/\/api\/[A-Za-z0-9]{20,}\//, "/api/***/");
    return u.toString();
  } catch {
    return "<unparseable url>";
  }
}

export function createLog(file: string | null, quiet = false): StackLog {
  let json: Logger;
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    const dest = pino.destination({ dest: file, sync: true });
    // a full disk must not kill the supervisor: the lines still go to the terminal
    let lost = false;
    dest.on("error", (e: NodeJS.ErrnoException) => {
      if (lost) return;
      lost = true;
      say(`! cannot write ${file} (${e.code ?? e.message}): this run's log continues on the terminal only\n`);
    });
    json = pino({ base: { component: "stack" } }, dest);
  } else {
    json = pino({ enabled: false });
  }
  onTerminalLost((why) =>
    json.warn({ terminal: why }, "terminal output lost: the rest of this run is logged here only"),
  );
  const tty = () => isTerminal() && !quiet;
  let progressShown = false;
  let lastPlainProgress = 0;
  const out = (line: string) => {
    if (quiet) return;
    if (progressShown && tty()) say("\n");
    progressShown = false;
    say(`${line}\n`);
  };
  return {
    json,
    step: (msg, fields) => {
      json.info(fields ?? {}, msg);
      out(`▸ ${msg}`);
    },
    info: (msg, fields) => {
      json.info(fields ?? {}, msg);
      out(`  ${msg}`);
    },
    warn: (msg, fields) => {
      json.warn(fields ?? {}, msg);
      out(`! ${msg}`);
    },
    error: (msg, fields) => {
      json.error(fields ?? {}, msg);
      out(`✗ ${msg}`);
    },
    progress: (msg) => {
      json.debug({}, msg);
      if (quiet) return;
      if (tty()) {
        say(`\r\x1b[2K  ${msg}`);
        progressShown = true;
      } else if (Date.now() - lastPlainProgress >= 5000) {
        // Not a terminal (CI, log files): one progress line every 5 s at most.
        lastPlainProgress = Date.now();
        say(`  ${msg}\n`);
      }
    },
  };
}
