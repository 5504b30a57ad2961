import "server-only";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";

/** What an endpoint answered to one delivery, or why it could not answer. */
export interface SendResult {
  status?: number;
  /** At most 1 KiB of the answer's body, as text. */
  response?: string;
  error?: string;
}

export type WebhookSend = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  lookup?: LookupFunction;
}) => Promise<SendResult>;

/** How much of an endpoint's answer is kept for the admin page. */
export const KEPT_RESPONSE_BYTES = 1024;

/**
 * POSTs one delivery over node:http(s), with a fresh connection each (an endpoint is not called
 * often enough to keep one alive), the whole exchange bounded by `timeoutMs`, and only the first
 * 1 KiB of the answer read: the rest is not waited for.
 */
export const sendWebhook: WebhookSend = ({ url, headers, body, timeoutMs, lookup }) =>
  new Promise((resolve) => {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = client.request(
      target,
      {
        method: "POST",
        headers: { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        agent: false,
        ...(lookup ? { lookup } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () =>
          finish({
            status: response.statusCode,
            response: Buffer.concat(chunks).subarray(0, KEPT_RESPONSE_BYTES).toString("utf8"),
          });
        response.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          kept += chunk.length;
          if (kept >= KEPT_RESPONSE_BYTES) done();
        });
        response.on("end", done);
        response.on("error", done);
      },
    );
    const timer = setTimeout(() => finish({ error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    request.on("error", (error) => finish({ error: error.message }));
    request.end(body);
  });
