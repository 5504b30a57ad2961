// `npm start`: build if needed, then serve on PORT (default 3000) on the embedded default.
import { spawn } from "node:child_process";
import path from "node:path";
import { ensureBuild } from "./ensure-build.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
ensureBuild();
const port = process.env.PORT ?? "3000";
// Bind to all interfaces by default so a phone on the shop's network can open the QR link.
const host = process.env.KASSA_BIND_ADDRESS ?? "0.0.0.0";
const child = spawn(process.execPath, [path.join(root, "scripts", "server.mjs")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PORT: port, KASSA_BIND_ADDRESS: host, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
