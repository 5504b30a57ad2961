// `npm run screenshots`: regenerates the README's pictures in docs/screenshots from real sales in
// the browser (the specs below, which are also ordinary browser tests and check what they
// photograph). Builds the app first when the build is missing or stale.
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ensureBuild } from "./ensure-build.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const outDir = path.resolve(root, process.env.KASSA_SCREENSHOTS_DIR ?? "docs/screenshots");

ensureBuild();
const result = spawnSync(
  path.join(root, "node_modules", ".bin", "playwright"),
  [
    "test",
    "tests/e2e/readme-screenshots.spec.ts",
    "tests/e2e/refund.spec.ts",
    "tests/e2e/go-live-page.spec.ts",
    "tests/e2e/settlements.spec.ts",
    ...process.argv.slice(2),
  ],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", KASSA_SCREENSHOTS_DIR: outDir },
  },
);
if (result.status === 0) {
  for (const name of readdirSync(outDir)
    .filter((file) => file.endsWith(".png"))
    .sort()) {
    console.log(
      `${path.relative(root, path.join(outDir, name))}  ${Math.round(statSync(path.join(outDir, name)).size / 1024)} KiB`,
    );
  }
}
process.exit(result.status ?? 1);
