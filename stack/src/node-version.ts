/**
 * Imported first by the supervisor's entry points: on a Node.js older than the project supports, one line that
 * says which version runs and which is needed, before anything else loads (package.json "engines").
 *
 * The floor is what the installed packages require: vitest 4's bundler (rolldown) needs ^20.19.0 || >=22.12.0;
 * @graphprotocol/graph-cli and undici need >=20.18.1. @whatwg-node/promise-helpers 2.0.2 (under @apollo/server,
 * through @graphql-tools/utils 12) declares >=22.15.0, but its only newer API, Promise.withResolvers, is
 * feature-detected with a fallback (esm/index.js), and the whole test suite runs on Node.js 20.20 (README).
 */
export const NODE_RANGE = "^20.19.0 || >=22.12.0";

/** Whether a Node.js version ("20.19.0") is in NODE_RANGE. */
export function nodeSupported(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
}

if (!nodeSupported(process.versions.node)) {
  process.stderr.write(
    `Node.js ${process.versions.node} is not supported: this project needs Node.js ${NODE_RANGE} ` +
      "(20.19 or later on the 20 line, 22.12 or later on the 22 line, or 23 and later). Install a newer Node.js, then `npm ci`.\n",
  );
  process.exit(1);
}
