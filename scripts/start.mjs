// `npm start`: build if needed, then serve with Next's own production server on PORT (default
// 3000). Every request, webhooks included, goes through Next's routes: there is one way in.
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureBuild } from "./ensure-build.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
ensureBuild();
const port = process.env.PORT ?? "3000";
// Bind to all interfaces by default so a phone on the shop's network can open the QR link.
const host = process.env.KASSA_BIND_ADDRESS ?? "0.0.0.0";
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const child = spawn(process.execPath, [nextBin, "start", "--port", port, "--hostname", host, "--keepAliveTimeout", "65000"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PORT: port, KASSA_BIND_ADDRESS: host, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
