import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Playwright cannot download its own browsers here; Debian's Chromium is used when present.
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => existsSync(candidate));

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // The API specs mostly wait on their apps (timers, restarts, streams): three at a time on a 2-core
  // machine ran the api project in 243 s where two took 325 s. The browser specs keep two (below).
  workers: 3,
  retries: 0,
  reporter: [["list"]],
  use: {
    // Off in CI: a trace records the page's every frame (a screencast) and a DOM snapshot per step, which
    // made an open display cost three to four times the CPU; CI keeps only the log, so such a trace
    // would never be read. Locally a failure keeps its trace.
    trace: process.env.CI ? "off" : "retain-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-gpu",
      ],
    },
  },
  projects: [
    // A browser test drives two or three Chromium contexts against its own app, beside a second
    // worker doing the same, on a 2-core CI machine: one that takes 30 s alone has taken over 60 s
    // there. Two minutes leaves that headroom; a hung step still fails well inside CI's budget.
    // Two of them at a time at most, as that headroom was measured with; the third worker may run an API spec.
    {
      name: "e2e",
      testMatch: /e2e\/.*\.spec\.ts$/,
      timeout: 120_000,
      workers: 2,
      // Reduced motion: headless Chromium has no GPU, so every frame of an endless animation (the idle
      // screen's breathing dot, the waiting spinner) is composited in software over the whole page. One
      // 1920×1080 display took 1.3 cores that way, 0.2 without motion, and a spec holds up to four open
      // beside another worker's. No behaviour waits on an animation; the a11y spec asks for motion
      // itself (reducedMotion: "no-preference") to check what moves and that reduced motion stops it.
      use: { ...devices["Desktop Chrome"], reducedMotion: "reduce" },
    },
    // Listed after the browser specs so that those, the longer part, start first on their two workers:
    // the scheduler takes files in this order and skips a project at its worker cap, so the API specs
    // run on the third worker alongside rather than all three first and the browser specs after on two.
    { name: "api", testMatch: /api\/.*\.spec\.ts$/ },
  ],
});
