/**
 * A POS's webhook endpoint for tests: an HTTP server on 127.0.0.1 that verifies every delivery's
 * signature with the standardwebhooks library (a delivery that fails it is answered 400 and kept
 * apart), keeps what it received in arrival order, and can go down and come back on its port.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  webhookId: string;
  type: string;
  timestamp: string;
  data: { id: string; state?: string; refund?: { amount: { value: number } } } & Record<string, unknown>;
  body: string;
  at: number;
}

export interface WebhookReceiver {
  url: string;
  /** Set once the endpoint is made: deliveries are verified with it. */
  secret: string;
  received: Received[];
  /** Deliveries whose signature did not verify (there should be none). */
  rejected: string[];
  /** The first copy of each webhook-id, in arrival order. */
  unique(): Received[];
  /** The types of a sale's events, first copies, in arrival order. */
  typesOf(saleId: string): string[];
  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void>;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  let server: Server | undefined;
  let port = 0;
  const receiver: WebhookReceiver = {
    url: "",
    secret: "",
    received: [],
    rejected: [],
    unique() {
      const seen = new Set<string>();
      return receiver.received.filter((item) => !seen.has(item.webhookId) && seen.add(item.webhookId));
    },
    typesOf: (saleId) =>
      receiver
        .unique()
        .filter((item) => item.data.id === saleId)
        .map((item) => item.type),
    async waitFor(predicate, timeoutMs, what) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(
            `Timed out waiting for ${what}; received ${JSON.stringify(receiver.unique().map((r) => [r.data.id, r.type]))}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async up() {
      server = createServer(async (request, response) => {
        const body = await bodyOf(request);
        try {
          const payload = new Webhook(receiver.secret).verify(body, request.headers as Record<string, string>) as Omit<
            Received,
            "webhookId" | "body" | "at"
          >;
          receiver.received.push({
            ...payload,
            webhookId: String(request.headers["webhook-id"]),
            body,
            at: Date.now(),
          });
          response.writeHead(204).end();
        } catch (error) {
          receiver.rejected.push(`${String(error)}: ${body.slice(0, 200)}`);
          response.writeHead(400).end("bad signature");
        }
      });
      await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
      receiver.url = `http://127.0.0.1:${port}/kassa-webhooks`;
    },
    async down() {
      const current = server;
      server = undefined;
      if (!current) return;
      current.closeAllConnections();
      await new Promise((resolve) => current.close(resolve));
    },
    close: () => receiver.down(),
  };
  await receiver.up();
  return receiver;
}
