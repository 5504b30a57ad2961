/**
 * Webhooks answered ahead of Next (lib/http/direct-route.ts, lib/http/webhook-listener.ts): on a
 * real node:http server, the webhook path reaches the receiver with the exact body and headers and
 * gets the same answers as the Next route; every other path goes to the server's own listener.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installDirectRoute } from "@/lib/http/direct-route";
import { MAX_WEBHOOK_BYTES, WEBHOOK_PATH } from "@/lib/http/webhook-answer";
import { webhookListener } from "@/lib/http/webhook-listener";
import type { WebhookOutcome } from "@/lib/webhooks/webhook-receiver";
import { type NextStandIn, startNextStandIn } from "../support/next-stand-in";

let next: NextStandIn;
let base: string;
let received: { body: string; signature: string | null; date: string | null }[] = [];
let outcome: WebhookOutcome | Error = { status: 200, result: "applied" };

beforeAll(async () => {
  installDirectRoute(
    WEBHOOK_PATH,
    webhookListener(async () => ({
      async receive(rawBody, headers) {
        received.push({ body: rawBody, signature: headers.get("Authorization"), date: headers.get("X-Ms-Date") });
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    })),
  );
  next = await startNextStandIn((request) => `${request.url}`);
  base = next.base;
});
afterAll(() => next.close());
beforeEach(() => {
  received = [];
  outcome = { status: 200, result: "applied" };
});

const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { method: "POST", body, headers });

/** A POST with its path exactly as given (fetch would normalise /./). */
const rawPost = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port: new URL(base).port, path, method: "POST" }, (response) => {
      let text = "";
      response.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve(text));
    });
    request.on("error", reject);
    request.end("{}");
  });

describe("the direct webhook route", () => {
  it("gives the receiver the body as sent and its headers, whatever their case, and answers its outcome", async () => {
    const body = JSON.stringify({ msn: "123456", reference: "kassa-æøå-1", name: "AUTHORIZED" });
    const response = await post(WEBHOOK_PATH, body, { authorization: "HMAC-SHA256 SignedHeaders=x&Signature=abc", "x-ms-date": "Thu, 03 Dec 2026 10:00:00 GMT" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ result: "applied" });
    expect(received).toEqual([{ body, signature: "HMAC-SHA256 SignedHeaders=x&Signature=abc", date: "Thu, 03 Dec 2026 10:00:00 GMT" }]);
  });

  it("answers a query on the same path directly too, and leaves every other path to the server", async () => {
    expect((await post(`${WEBHOOK_PATH}?attempt=2`, "{}")).status).toBe(200);
    expect(received).toHaveLength(1);
    expect(await (await post("/api/v1/sales", "{}")).text()).toBe("next:/api/v1/sales");
    expect(await rawPost("/api/./webhooks/vipps")).toBe("next:/api/./webhooks/vipps");
    expect(await (await post(`${WEBHOOK_PATH}/more`, "{}")).text()).toBe(`next:${WEBHOOK_PATH}/more`);
    expect(received).toHaveLength(1);
  });

  it("answers a refused signature or a bad body as problem details with the receiver's reason", async () => {
    outcome = { status: 401, reason: "Signature mismatch" };
    const refused = await post(WEBHOOK_PATH, "{}");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({ status: 401, title: "Webhook signature rejected", detail: "Signature mismatch" });
    outcome = { status: 400, reason: "Body is not JSON" };
    expect(await (await post(WEBHOOK_PATH, "x")).json()).toMatchObject({ status: 400, detail: "Body is not JSON" });
  });

  it("refuses other methods with 405 and Allow: POST", async () => {
    const response = await fetch(`${base}${WEBHOOK_PATH}`);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(received).toHaveLength(0);
  });

  it("refuses a declared length over the limit before reading, without calling the receiver", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${base}${WEBHOOK_PATH}`, { method: "POST", headers: { "content-length": String(MAX_WEBHOOK_BYTES + 1) } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        request.destroy();
      });
      request.on("error", reject);
      request.write("{");
    });
    expect(status).toBe(413);
    expect(received).toHaveLength(0);
  });

  it("stops reading a chunked body at the limit: answers 413 long before the sender is done", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    const { status, written } = await new Promise<{ status: number; written: number }>((resolve, reject) => {
      let written = 0;
      const request = httpRequest(`${base}${WEBHOOK_PATH}`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, written });
        request.destroy();
      });
      request.on("error", () => undefined);
      const pump = () => {
        // 64 MiB at most: a server that read it all would be far past the limit.
        while (written < 64 * 1024 * 1024) {
          written += chunk.byteLength;
          if (!request.write(chunk)) return void request.once("drain", pump);
        }
        reject(new Error("the whole body was taken"));
      };
      pump();
    });
    expect(status).toBe(413);
    expect(written).toBeLessThan(32 * 1024 * 1024);
    expect(received).toHaveLength(0);
  });

  it("answers 500 problem details when the receiver throws", async () => {
    outcome = new Error("store is gone");
    const response = await post(WEBHOOK_PATH, "{}");
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ status: 500, title: "Something went wrong on our side" });
  });
});
