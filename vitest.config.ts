import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "tests/**/*.test.ts",
      "api/test/**/*.test.ts",
      "contracts/test/**/*.test.ts",
      "stack/test/**/*.test.ts",
    ],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Stack tests boot real processes; two cores: run files one at a time.
    fileParallelism: false,
    reporters: ["default"],
  },
});
