/**
 * Runs a benchmark of this repository on another commit, for before/after figures from one
 * machine in one sitting: the commit is checked out in a temporary git worktree beside this one,
 * given this checkout's node_modules (hard links, no install) and its own production build, and
 * its own copy of the benchmark script is run there with the given arguments. The worktree is
 * removed afterwards.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

function run(command: string, args: string[], cwd: string, capture = false): string {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: capture ? ["ignore", "pipe", "inherit"] : ["ignore", "ignore", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(" ")} in ${cwd} exited with ${result.status ?? result.signal}`);
  return result.stdout ?? "";
}

/** The benchmark's output on `revision` (a commit, tag or branch). */
export function benchmarkOnCommit(revision: string, script: string, args: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "kassa-bench-commit-"));
  try {
    run("git", ["worktree", "add", "--detach", "--force", dir, revision], ROOT);
    // Turbopack refuses a symlinked node_modules outside the project; hard links cost no copy.
    run("cp", ["-al", path.join(ROOT, "node_modules"), path.join(dir, "node_modules")], ROOT);
    console.log(`[bench] building ${revision} in ${dir}…`);
    run(process.execPath, ["scripts/ensure-build.mjs"], dir);
    console.log(`[bench] measuring ${revision}…`);
    return run("npx", ["tsx", "--conditions=react-server", script, ...args], dir, true);
  } finally {
    spawnSync("git", ["worktree", "remove", "--force", dir], { cwd: ROOT, stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  }
}
