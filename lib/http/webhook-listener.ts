import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookReceiver } from "@/lib/webhooks/webhook-receiver";
import { type DirectHandler, EVERY_RESPONSE_HEADERS } from "./direct-route";
import { type ProblemDetails, ProblemError } from "./problem";
import { MAX_WEBHOOK_BYTES, type WebhookAnswer, webhookAnswer } from "./webhook-answer";

type Receiver = Pick<WebhookReceiver, "receive">;

/**
 * POST /api/webhooks/vipps on plain node:http (installed by instrumentation.ts through
 * direct-route.ts): the same parse → WebhookReceiver → answer as the Next route in
 * app/api/webhooks/vipps, without Next's per-request cost. Vipps sends two or three events a sale.
 */
export function webhookListener(receiver: () => Promise<Receiver>): DirectHandler {
  return (request, response) => answerWebhook(request, response, receiver);
}

function answerWebhook(request: IncomingMessage, response: ServerResponse, receiver: () => Promise<Receiver>): void {
  answer(request, response, receiver).catch((error: unknown) => {
    // Nothing above throws by design; if something does, the client still gets an answer.
    console.error("Unhandled error answering a webhook", error);
    if (!response.headersSent) send(response, problemAnswer(new ProblemError("internal", "The request could not be completed. It has been logged.").problem));
    else response.destroy();
  });
}

async function answer(request: IncomingMessage, response: ServerResponse, receiver: () => Promise<Receiver>): Promise<void> {
  if (request.method !== "POST") {
    request.resume();
    const notAllowed = { type: "https://kassa.display/problems/method-not-allowed", title: "Method not allowed", status: 405, detail: "Webhooks are delivered with POST" };
    send(response, problemAnswer(notAllowed, { allow: "POST" }));
    return;
  }
  const body = await readBody(request, MAX_WEBHOOK_BYTES);
  if (body === "too-large") {
    // The rest stays unread: the client closes once it has the answer (or the server's request
    // timeout ends it). Closing from here would reset the connection with unread bytes in it, and
    // a reset can reach the client before the answer does.
    // The same problem the route's readBodyWithLimit gives.
    send(response, problemAnswer(new ProblemError("payloadTooLarge", `The body may be at most ${MAX_WEBHOOK_BYTES} bytes`).problem));
    return;
  }
  const webhooks = await receiver();
  // Decoded as the route decodes it (a fetch Request's body): the signature is checked on this text.
  const outcome = await webhooks.receive(new TextDecoder().decode(body), headersOf(request));
  send(response, webhookAnswer(outcome));
}

/** The body, or "too-large" as soon as a declared length or the bytes read pass `limit` (the rest is left unread). */
function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | "too-large"> {
  if (Number(request.headers["content-length"] ?? "0") > limit) {
    // Started, not flowing: a body never started would be read to its end and thrown away by Node
    // once the answer is sent.
    request.read(0);
    return Promise.resolve("too-large");
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) {
        request.off("data", onData);
        request.pause();
        resolve("too-large");
        return;
      }
      chunks.push(chunk);
    };
    request.on("data", onData);
    request.once("end", () => resolve(Buffer.concat(chunks, size)));
    request.once("error", reject);
  });
}

/** Header look-up as fetch's Headers#get: case-insensitive, repeated headers joined with ", ". */
function headersOf(request: IncomingMessage): { get(name: string): string | null } {
  return {
    get(name) {
      const value = request.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

function problemAnswer(problem: ProblemDetails, headers: Record<string, string> = {}): WebhookAnswer {
  return { status: problem.status, headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers }, body: JSON.stringify(problem) };
}

function send(response: ServerResponse, { status, headers, body }: WebhookAnswer): void {
  response.writeHead(status, { ...EVERY_RESPONSE_HEADERS, ...headers, "content-length": Buffer.byteLength(body) });
  response.end(body);
}
