/** Builds the services (store, reconciler, simulator, webhook registration) when the server boots. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request is served: limits must count the connection's address, not a header.
  const { installPeerAddressStamp } = await import("./lib/http/client-address");
  installPeerAddressStamp();
  const { getServices } = await import("./lib/runtime");
  const { isConfigError } = await import("./lib/config");
  try {
    await getServices();
  } catch (error) {
    // A server that cannot start must not keep listening and answer 500 to everything.
    if (isConfigError(error)) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
