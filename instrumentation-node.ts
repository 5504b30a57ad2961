/**
 * The Node.js server's start-up: builds the services (store, reconciler, simulator, webhook
 * registration). Only instrumentation.ts imports it, and only in the Node.js runtime: Next compiles
 * instrumentation.ts for the Edge Runtime too, where process.exit and the rest of Node do not exist.
 */
export async function startNodeServer(): Promise<void> {
  // The one patch of Node's HTTP server: it stamps each request with its connection's address, which
  // Next does not hand to route handlers, so that limits count the connection and not a header a
  // client chose. `npm start` and the Docker image preload it before Next listens; this installs it
  // (once) where the server was started without the preload (lib/http/peer-address-stamp.cjs).
  const { installPeerAddressStamp } = await import("./lib/http/client-address");
  installPeerAddressStamp();
  const { getServices } = await import("./lib/runtime");
  const { isConfigError } = await import("./lib/config");
  try {
    const { log } = await getServices();
    // SIGTERM and Ctrl-C end the display streams and the process within 10 s (lib/http/shutdown.ts).
    const { installShutdown } = await import("./lib/http/shutdown");
    installShutdown(log);
  } catch (error) {
    // A server that cannot start (bad settings, a store it cannot open) must not keep listening and
    // answer 500 to everything, or hang: one line that says why, and a non-zero exit.
    const message = isConfigError(error)
      ? error.message
      : `Kassa Display cannot start. ${error instanceof Error ? error.message : String(error)}`;
    console.error(message.split("\n")[0]);
    process.exit(1);
  }
}
