/** Builds the services (store, reconciler, simulator, webhook registration) when the server boots. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Before any request is served: limits must count the connection's address, not a header.
  const { installPeerAddressStamp } = await import("./lib/http/client-address");
  installPeerAddressStamp();
  // Vipps' webhooks, two or three a sale, are answered ahead of Next's pipeline (lib/http/direct-route.ts).
  const { installDirectPatternRoute, installDirectRoute } = await import("./lib/http/direct-route");
  const { WEBHOOK_PATH } = await import("./lib/http/webhook-answer");
  const { webhookListener } = await import("./lib/http/webhook-listener");
  const { getServices } = await import("./lib/runtime");
  installDirectRoute(WEBHOOK_PATH, webhookListener(async () => (await getServices()).webhooks));
  // So are the displays' event streams: three or four frames a sale to every display of a counter.
  const { DISPLAY_EVENTS_PATTERN, displayEventsListener } = await import("./lib/http/display-events-listener");
  installDirectPatternRoute("GET", DISPLAY_EVENTS_PATTERN, displayEventsListener(getServices));
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
