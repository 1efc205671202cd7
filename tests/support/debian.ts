/**
 * Debian packages a test needs (chromium, jupyter, pandas): installed with apt-get when missing, as the
 * project's own test setup (a fresh CI machine has none). Only root can install; anyone else gets one clear
 * error naming the packages and the command to run.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface DebianNeed {
  /** Debian package names, e.g. ["chromium"]. */
  packages: string[];
  /** True when what the test needs is already here (a binary path, an importable module). */
  present(): boolean;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
const installed = (pkg: string): boolean =>
  spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes(
    "install ok installed",
  ) ?? false;

/**
 * Makes sure the packages are installed; logs what it installs (it takes a minute or two on a fresh machine).
 * Throws when they are missing and cannot be installed here.
 */
export function ensureDebianPackages(need: DebianNeed, log: (line: string) => void = console.log): void {
  if (need.present()) return;
  const missing = need.packages.filter((p) => !installed(p));
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!existsSync("/usr/bin/apt-get") || !isRoot) {
    throw new Error(
      `this test needs the Debian packages ${need.packages.join(", ")} (missing: ${missing.join(", ") || "none, but not usable"}); ` +
        `install them as root: apt-get install -y --no-install-recommends ${need.packages.join(" ")}`,
    );
  }
  log(`installing Debian packages for the tests: ${missing.join(" ")} (apt-get, as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-q"], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    timeout: 600_000,
  });
  execFileSync("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], {
    stdio: ["ignore", "ignore", "inherit"],
    env,
    timeout: 1_200_000,
  });
  if (!need.present())
    throw new Error(`installed ${missing.join(" ")} but the test still cannot find what it needs`);
}
