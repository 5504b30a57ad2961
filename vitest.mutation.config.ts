/**
 * The Vitest run Stryker uses for `npm run test:mutation`: only the unit tests that exercise the
 * money-moving core (stryker.config.json names the mutated files). No test here starts servers or
 * processes, so each mutant runs in seconds.
 */
import { defineConfig } from "vitest/config";
import base from "./vitest.config";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      "tests/unit/sale-state-machine.test.ts",
      "tests/unit/sales-domain.test.ts",
      "tests/unit/sales-service.test.ts",
      "tests/unit/crash-recovery.test.ts",
      "tests/unit/command-truth.test.ts",
      "tests/unit/sale-commands.test.ts",
      "tests/unit/reconciler.test.ts",
      "tests/unit/money-and-request.test.ts",
      "tests/unit/webhook-receiver.test.ts",
      "tests/unit/webhook-signature.test.ts",
    ],
  },
});
