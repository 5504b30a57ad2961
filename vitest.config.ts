import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname),
      "server-only": path.resolve(__dirname, "tests/support/server-only-stub.ts"),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/contract/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    pool: "forks",
    // Four files at a time on two cores: the suite spends half its time waiting on the processes,
    // databases and timers its tests start. Vitest's default is one fewer than the cores, so one file
    // at a time here: 147 s that way, about 90 s with four, on CI's machine.
    maxWorkers: 4,
  },
});
