// `npm start`: build if needed, then run Next's standalone server (.next/standalone/server.js, the
// same server the Docker image runs) on PORT (default 3000). Every request, webhooks included, goes
// through Next's routes: there is one way in. `next start` is not used: it does not support
// `output: "standalone"`.
import { spawn } from "node:child_process";
import { isIP } from "node:net";
import { createRequire } from "node:module";
import { constants } from "node:os";
import path from "node:path";
import { ensureBuild, peerAddressPreload, standaloneServer } from "./ensure-build.mjs";
import { lanAddresses, reachabilityLines } from "./lan-addresses.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

// `next start` read .env files from the project at run time; the standalone server reads them from
// .next/standalone, where the build copied only .env and .env.production as they were then. Load
// them here, as `next start` did, so an edited .env.local still counts; set variables win.
const nextRequire = createRequire(createRequire(import.meta.url).resolve("next/package.json"));
nextRequire("@next/env").loadEnvConfig(root, false, { info() {}, error: console.error });

/** Empty counts as unset, as in lib/config.ts. */
const setting = (name, fallback) => (process.env[name] ? process.env[name] : fallback);

// server.js would quietly take 3000 for a PORT that is no number and die with a stack trace on one
// out of range. Checked before a build, so a typo costs no minutes.
const port = setting("PORT", "3000");
const host = setting("KASSA_BIND_ADDRESS", "0.0.0.0");
const problems = [];
if (!/^[0-9]+$/.test(port) || Number(port) < 1 || Number(port) > 65535)
  problems.push("PORT must be a port number from 1 to 65535");
if (isIP(host) === 0 && host !== "localhost") problems.push("KASSA_BIND_ADDRESS must be an IP address or localhost");
if (problems.length > 0) {
  console.error(`Invalid configuration: ${problems.join("; ")}`);
  process.exit(1);
}

ensureBuild();
console.log(
  reachabilityLines({
    addresses: lanAddresses(),
    port,
    bindAddress: host,
    publicUrl: setting("PUBLIC_URL", undefined),
  }).join("\n"),
);

// server.js changes into .next/standalone before anything else runs, and the next build deletes
// that directory: a relative KASSA_DATA_DIR (the default ./data) must stay relative to the project.
const dataDir = path.resolve(root, setting("KASSA_DATA_DIR", "./data"));

// The preload stamps every request with its connection's address from the first one on: Next
// listens before the app's own start-up code runs (lib/http/peer-address-stamp.cjs).
const child = spawn(process.execPath, ["--require", peerAddressPreload, standaloneServer], {
  cwd: path.dirname(standaloneServer),
  stdio: "inherit",
  env: {
    ...process.env,
    PORT: port,
    // server.js listens on HOSTNAME; the shell's own HOSTNAME (the machine's name) must not leak in.
    HOSTNAME: host,
    KASSA_BIND_ADDRESS: host,
    KASSA_DATA_DIR: dataDir,
    // Longer than the 60 s idle timeout of common proxies and load balancers, so they close first.
    KEEP_ALIVE_TIMEOUT: setting("KEEP_ALIVE_TIMEOUT", "65000"),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(`Could not start ${standaloneServer}: ${error.message}`);
  process.exit(1);
});
// A server killed by a signal is a failure to whoever started us (systemd, a test), not a clean exit.
// 128 + the signal's number, as a shell reports it.
child.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
