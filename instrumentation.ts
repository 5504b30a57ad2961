/**
 * Builds the services when the server boots. Next compiles this file for the Edge Runtime as well,
 * so it holds no Node.js API: the start-up itself is instrumentation-node.ts, imported only when
 * the runtime is Node.js (Next's own pattern; in the Edge build the import is dropped unseen).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startNodeServer } = await import("./instrumentation-node");
    await startNodeServer();
  }
}
