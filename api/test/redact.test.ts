import { describe, expect, it } from "vitest";
import { loadConfig, parseConfig } from "../src/core/config.js";
import { redactText, redactUrl } from "../src/upstream/redact.js";

describe("redactUrl", () => {
  it("redacts gateway API keys in the path", () => {
    const u =
      "https://gateway.thegraph.com/api/0123456789abcdef0123456789abcdef/subgraphs/id/QmYFqfJ8rB5HSUkZNNcRSXzYXfmGzdoDDRqDr5YgRVDHKb";
    const r = redactUrl(u);
    expect(r).not.toContain("0123456789abcdef");
    expect(r).toBe(
      "https://gateway.thegraph.com/api/***/subgraphs/id/QmYFqfJ8rB5HSUkZNNcRSXzYXfmGzdoDDRqDr5YgRVDHKb",
    );
  });
  it("redacts key-like segments anywhere and the query string", () => {
    expect(redactUrl("https://x.example/v1/sk_live_9f8a7b6c5d4e3f2a1b0c/graphql?apikey=secret")).toBe(
      "https://x.example/v1/***/graphql?***",
    );
    expect(redactUrl("https://user:pass@x.example/graphql")).toBe("https://***@x.example/graphql");
  });
  it("keeps ordinary graph-node URLs", () => {
    expect(redactUrl("http://localhost:8000/subgraphs/name/ai-tokenomics")).toBe(
      "http://localhost:8000/subgraphs/name/ai-tokenomics",
    );
    expect(redactUrl("http://127.0.0.1:8030/graphql")).toBe("http://127.0.0.1:8030/graphql");
  });
  it("never throws", () => {
    expect(redactUrl("not a url")).toBe("<invalid url>");
  });
  it("redacts secrets inside free text", () => {
    const u = "https://g.example/api/abcdef0123456789abcdef0123456789/subgraphs/id/x";
    expect(redactText(`fetch ${u} failed`, [u])).toBe(
      "fetch https://g.example/api/***/subgraphs/id/x failed",
    );
  });
});

describe("config", () => {
  it("accepts a bare upstream array and applies defaults", () => {
    const c = parseConfig([
      { name: "local", url: "http://localhost:8000/subgraphs/name/x", network: "arbitrum-one" },
    ]);
    expect(c.upstreams).toHaveLength(1);
    expect(c.timeoutMs).toBe(10_000);
    expect(c.corsOrigin).toBe("*");
  });
  it("rejects duplicate names and bad URLs", () => {
    expect(() =>
      parseConfig([
        { name: "a", url: "http://x/1", network: "n" },
        { name: "a", url: "http://x/2", network: "n" },
      ]),
    ).toThrow(/unique/);
    expect(() => parseConfig([{ name: "a", url: "nope", network: "n" }])).toThrow(/upstreams\.0\.url/);
    expect(() => parseConfig({ upstreams: [] })).toThrow(/upstreams/);
  });
  it("loads GATEWAY_UPSTREAMS from the environment", () => {
    const c = loadConfig({
      env: { GATEWAY_UPSTREAMS: JSON.stringify([{ name: "a", url: "http://x/1", network: "n" }]) },
    });
    expect(c.upstreams[0]?.name).toBe("a");
    expect(() => loadConfig({ env: {} })).toThrow(/GATEWAY_UPSTREAMS/);
  });
});
