/**
 * A plain node:http server on loopback standing in for Next's, for tests of the routes answered
 * ahead of it (lib/http/direct-route.ts): whatever reaches its own listener is answered
 * "next:<what it saw>", so a test can tell what the direct routes let through.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface NextStandIn {
  base: string;
  close(): Promise<void>;
}

export async function startNextStandIn(seen: (request: { method?: string; url?: string }) => string): Promise<NextStandIn> {
  const server: Server = createServer((request, response) => {
    request.resume();
    response.end(`next:${seen(request)}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
