// `npm test`: unit and contract tests (Vitest), then API and browser tests (Playwright) against
// a production build of the app, which the Playwright setup starts on loopback ports.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { ensureBuild } from "./ensure-build.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const run = (command, args) => {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return result.status ?? 1;
};

const unit = run(bin("vitest"), ["run"]);
ensureBuild();
const e2e = run(bin("playwright"), ["test", ...process.argv.slice(2)]);
process.exit(unit || e2e);
