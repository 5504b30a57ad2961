// Builds the app when there is no production build or the sources are newer than it, and completes
// the standalone server (.next/standalone) with the files `next build` leaves out of it.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "instrumentation.ts",
  "instrumentation-node.ts",
  "proxy.ts",
  "next.config.mjs",
  "package.json",
  "package-lock.json",
  "tailwind.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
];

export const standaloneDir = path.join(root, ".next", "standalone");
export const standaloneServer = path.join(standaloneDir, "server.js");
/** `node --require` this before server.js: it stamps each request with its peer's address (lib/http/peer-address-stamp.cjs). */
export const peerAddressPreload = path.join(standaloneDir, "peer-address-preload.cjs");
const PRELOAD_FILES = ["peer-address-preload.cjs", "peer-address-stamp.cjs", "slow-peer-limits.cjs"];

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/**
 * The standalone server serves /_next/static and public/ from its own directory, but `next build`
 * copies neither there (a CDN may serve them instead). Each is copied beside the target and renamed
 * into place, so a start that was killed mid-copy leaves no half-filled directory that looks done.
 */
function copyIntoStandalone(from, to, { replace }) {
  if (!existsSync(from) || (!replace && existsSync(to))) return;
  const staging = `${to}.copying-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  cpSync(from, staging, { recursive: true });
  rmSync(to, { recursive: true, force: true });
  renameSync(staging, to);
}

function completeStandalone({ replace }) {
  copyIntoStandalone(path.join(root, ".next", "static"), path.join(standaloneDir, ".next", "static"), { replace });
  copyIntoStandalone(path.join(root, "public"), path.join(standaloneDir, "public"), { replace });
  // Loaded by node itself before server.js, so outside Next's bundles: copied as they are.
  for (const file of PRELOAD_FILES)
    copyIntoStandalone(path.join(root, "lib", "http", file), path.join(standaloneDir, file), { replace });
}

export function ensureBuild({ force = false } = {}) {
  const buildId = path.join(root, ".next", "BUILD_ID");
  // A build made before `output: "standalone"` (or by a different config) has no server.js.
  const builtAt = existsSync(buildId) && existsSync(standaloneServer) ? statSync(buildId).mtimeMs : 0;
  const changedAt = Math.max(...SOURCES.map((source) => newestMtime(path.join(root, source))));
  if (!force && builtAt > changedAt) {
    // `npm run build` (plain `next build`) makes the server but not the copies: add them once.
    completeStandalone({ replace: false });
    return;
  }
  console.log(builtAt ? "Sources changed since the last build; building…" : "No production build yet; building…");
  const result = spawnSync(
    process.execPath,
    [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"],
    {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
  completeStandalone({ replace: true });
}

if (import.meta.url === `file://${process.argv[1]}`) ensureBuild({ force: process.argv.includes("--force") });
