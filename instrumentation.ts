/** Starts the runtime (store, reconciler, simulator, webhook registration) when the server boots. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { getRuntime } = await import("./lib/runtime");
  await getRuntime();
}
