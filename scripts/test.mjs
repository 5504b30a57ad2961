// `npm test`: unit and contract tests (Vitest), then API and browser tests (Playwright) against
// a production build of the app, which the Playwright setup starts on loopback ports.
//
// The build (when the sources changed since the last one) runs while Vitest does: Vitest spends
// much of its time waiting on the processes, databases and timers its tests start, and the build
// uses those gaps. The build's output is held back and printed when it is done, so that the two
// do not interleave.
import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

/** Runs a command to its end; its output goes to ours, or into `output` when `quiet`. */
function run(command, args, { quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    child.on("error", (error) => resolve({ status: 1, output: `${output}${error.message}\n` }));
    child.on("close", (code) => resolve({ status: code ?? 1, output }));
  });
}

const [unit, build] = await Promise.all([
  run(bin("vitest"), ["run"]),
  // scripts/ensure-build.mjs run as itself: builds when needed and completes the standalone server.
  run(process.execPath, [path.join(root, "scripts", "ensure-build.mjs")], { quiet: true }),
]);
process.stdout.write(build.output);
if (build.status !== 0) {
  console.error(`The production build failed (exit ${build.status}); the Playwright tests need it.`);
  process.exit(build.status);
}
const e2e = await run(bin("playwright"), ["test", ...process.argv.slice(2)]);
process.exit(unit.status || e2e.status);
