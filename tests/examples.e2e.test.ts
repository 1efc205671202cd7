/**
 * End to end: examples/notebook/fees-vs-incentives.ipynb executed by Debian's Jupyter (nbconvert, nbclient,
 * ipykernel) and pandas against the real stack (chain + graph-node + subgraph, stack/src/harness.ts) and the
 * gateway. A failing cell fails the test (nbconvert exits non-zero), and the notebook's answer, computed with
 * pandas from /series.csv alone, must equal the gateway's `scorecard` (fees vs token incentives).
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayHandle, startGateway } from "../api/src/http/server.js";
import { gql, startStack, type TestStack } from "../stack/src/harness.js";
import { ensureDebianPackages } from "./support/debian.js";

const NOTEBOOK = fileURLToPath(new URL("../examples/notebook/fees-vs-incentives.ipynb", import.meta.url));
// Debian's interpreter and Jupyter: `python3` on PATH may be another one (a pyenv shim) without pandas.
const PYTHON = "/usr/bin/python3";
const JUPYTER = "/usr/bin/jupyter";
const WINDOW = 30;

interface NotebookLine {
  protocol: string;
  basis: string;
  from: number;
  to: number;
  fees: string | null;
  incentives: string | null;
  coverage: number | null;
  finding: string;
}
interface Scorecard {
  protocol: string;
  from: number;
  to: number;
  lines: { metric: string; value: string | null; unit: { kind: string } }[];
}

/** The JSON the cell tagged `answer` printed in an executed notebook. */
function notebookAnswer(path: string): { windowDays: number; protocols: NotebookLine[] } {
  const nb = JSON.parse(readFileSync(path, "utf8")) as {
    cells: { metadata: { tags?: string[] }; outputs?: { output_type: string; text?: string | string[] }[] }[];
  };
  const cell = nb.cells.find((c) => c.metadata.tags?.includes("answer"));
  const text = (cell?.outputs ?? [])
    .filter((o) => o.output_type === "stream")
    .map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? "")))
    .join("");
  return JSON.parse(text);
}

describe("examples/notebook against the real stack", () => {
  let stack: TestStack | undefined;
  let gw: GatewayHandle | undefined;
  let work = "";
  beforeAll(async () => {
    ensureDebianPackages({
      packages: ["python3-pandas", "jupyter-nbconvert", "python3-nbclient", "python3-ipykernel"],
      present: () =>
        existsSync(JUPYTER) && spawnSync(PYTHON, ["-c", "import pandas, nbclient, ipykernel"]).status === 0,
    });
    work = mkdtempSync(join(tmpdir(), "aitok-notebook-"));
    stack = await startStack({ days: 21, seed: 7, gateway: false });
    gw = await startGateway({
      port: 0,
      logger: pino({ level: "warn" }),
      upstreams: [{ name: "stack", url: stack.graphqlUrl, statusUrl: stack.statusUrl, network: "local" }],
    });
  });
  afterAll(async () => {
    await gw?.stop();
    await stack?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs every cell, and its fees-vs-incentives answer from /series.csv equals the scorecard's", async () => {
    const url = gw?.url ?? "";
    // Asynchronously: the gateway answering the notebook runs in this process.
    await promisify(execFile)(
      JUPYTER,
      [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        NOTEBOOK,
        "--output-dir",
        work,
        "--output",
        "executed.ipynb",
        "--ExecutePreprocessor.timeout=300",
        "--ExecutePreprocessor.kernel_name=python3",
      ],
      {
        env: {
          ...process.env,
          PATH: `/usr/bin:${process.env.PATH ?? ""}`,
          AITOK_GATEWAY: url,
          AITOK_WINDOW_DAYS: String(WINDOW),
          PYDEVD_DISABLE_FILE_VALIDATION: "1",
        },
        timeout: 600_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const answer = notebookAnswer(join(work, "executed.ipynb"));
    expect(answer.windowDays).toBe(WINDOW);

    const { protocols } = await gql<{ protocols: { id: string }[] }>(
      `${url}/graphql`,
      "{ protocols { id } }",
    );
    expect(answer.protocols.map((p) => p.protocol).sort()).toEqual(protocols.map((p) => p.id).sort());
    let compared = 0;
    for (const mine of answer.protocols) {
      const { scorecard } = await gql<{ scorecard: Scorecard }>(
        `${url}/graphql`,
        "query S($p: String!, $w: Int!) { scorecard(protocol: $p, window: $w) { protocol from to lines { metric value unit { kind } } } }",
        { p: mine.protocol, w: WINDOW },
      );
      const line = (m: string) => scorecard.lines.find((l) => l.metric === m)?.value ?? null;
      expect([mine.from, mine.to], mine.protocol).toEqual([scorecard.from, scorecard.to]);
      // The exact sums the ratio is made of
      if (mine.basis === "USD") {
        expect(mine.fees, `${mine.protocol} feesUsd`).toBe(line("feesUsd"));
        expect(mine.incentives, `${mine.protocol} tokenIncentivesUsd`).toBe(line("tokenIncentivesUsd"));
      } else {
        expect(mine.fees, `${mine.protocol} fees`).toBe(line("fees"));
      }
      // The ratio: the notebook's is the correctly rounded float of the exact fraction; the gateway's
      // (formulas.ts ratio) may differ in the last bits.
      const want = line("incentiveCoverage");
      if (want === null) expect(mine.coverage, mine.protocol).toBeNull();
      else {
        expect(mine.coverage, mine.protocol).not.toBeNull();
        expect(Math.abs((mine.coverage ?? 0) - Number(want)), mine.protocol).toBeLessThanOrEqual(
          1e-12 * Math.abs(Number(want)),
        );
        compared += 1;
      }
    }
    // at least one network's fees and incentives were compared as numbers (not only nulls)
    expect(compared).toBeGreaterThan(0);
  });
});
