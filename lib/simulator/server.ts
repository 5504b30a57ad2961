/**
 * The Vipps MobilePay simulator on its own, without Next.js: `npm run simulator`.
 *
 * Serves the real API paths at the root (/accesstoken/get, /epayment/v1/…, /webhooks/v1/…, the Report
 * API's /settlement/v1/ledgers and /report/v2/…), the phone page (/qr/…) and the QR images, and with
 * KASSA_SIMULATOR_CONTROLS=on the /_sim controls (the Report API's under /_sim/report/…).
 * Environment: PORT (4010), PUBLIC_URL (http://localhost:$PORT), KASSA_BIND_ADDRESS (127.0.0.1),
 * KASSA_DATA_DIR (./data, file simulator.sqlite), VIPPS_CLIENT_ID, VIPPS_CLIENT_SECRET,
 * VIPPS_SUBSCRIPTION_KEY, VIPPS_MSN (the demo credentials) and KASSA_SIMULATOR_CONTROLS (off).
 */
import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import path from "node:path";
import { AdjustableClock } from "../clock";
import { secureDataDir } from "../data-dir";
import { PROBLEM_TYPES, ProblemError, problemResponse } from "./http";
import { type Simulator, createSimulator } from "./index";
import { toWebRequest, writeWebResponse } from "../transport/web-bridge";
import { BodyTooLargeError, discardRest, readBody } from "./node-http";
import { loadServerEnv } from "./server-env";

/** How long a shutdown lets running requests finish before held ones are released and sockets cut. */
const DRAIN_MS = 500;
const FORCE_CLOSE_MS = 3_000;

const problem = (status: number, type: string, title: string, detail: string) =>
  problemResponse(new ProblemError(status, type, title, detail));

function main(): void {
  const loaded = loadServerEnv(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    process.exit(1);
  }
  const config = loaded.config;
  // The simulator's database holds its webhook secret: the directory 0700, its files 0600.
  secureDataDir(config.dataDir);
  const simulator = createSimulator({
    dbFile: path.join(config.dataDir, "simulator.sqlite"),
    // Its own adjustable clock, so that POST /_sim/clock/advance works when the controls are on.
    clock: new AdjustableClock(),
    credentials: config.credentials,
    publicUrl: config.publicUrl,
    basePath: "",
    controls: config.controls,
    brandSwitchAtMs: config.brandSwitchAtMs,
  });
  simulator.start();
  // Again now that SQLite has made its database, -wal and -shm files with the process umask.
  secureDataDir(config.dataDir);

  const origin = new URL(config.publicUrl).origin;
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    res.on("close", () => inFlight--);
    serve(simulator, origin, req, res).catch((error: unknown) => {
      console.error("[vipps-simulator] request failed", error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.on("error", (error) => {
    process.stderr.write(`Vipps simulator cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
    process.exit(1);
  });
  server.listen(config.port, config.host, () => {
    process.stdout.write(
      `Vipps simulator listening on http://${config.host}:${config.port} (public URL ${config.publicUrl}, test controls ${config.controls ? "on" : "off"})\n`,
    );
  });

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`Vipps simulator stopping (${signal})\n`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (let waited = 0; inFlight > 0 && waited < DRAIN_MS; waited += 50) await sleep(50);
    // Releases requests held by fault injection, stops the workers and closes the database.
    await simulator.stop();
    // Connections that went idle after answering (keep-alive) would otherwise hold close() open.
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    await Promise.race([closed, sleep(FORCE_CLOSE_MS)]);
    clearInterval(idle);
    server.closeAllConnections();
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function serve(simulator: Simulator, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!req.url?.startsWith("/")) {
    await writeWebResponse(
      res,
      problem(400, PROBLEM_TYPES.malformedRequest, "Bad Request", "The request target must be a path."),
    );
    return;
  }
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    // Nothing past the limit is kept; the answer goes out at once, while the rest is drained or cut.
    discardRest(req);
    await writeWebResponse(res, problem(413, PROBLEM_TYPES.malformedRequest, "Payload Too Large", error.message));
    return;
  }
  const client = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) client.abort();
  });
  let request: Request;
  try {
    request = toWebRequest(req, body, origin, client.signal);
  } catch {
    await writeWebResponse(
      res,
      problem(400, PROBLEM_TYPES.malformedRequest, "Bad Request", "The request could not be read."),
    );
    return;
  }
  await writeWebResponse(res, await simulator.handle(request));
}

main();
