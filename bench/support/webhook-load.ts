/**
 * Verified webhook load for benchmarks: events signed as Vipps signs them, for references the app
 * does not know (so each one is verified, deduplicated and looked up, then ignored), posted over
 * node:http with keep-alive, since undici's own cost would otherwise be what is measured.
 */
import http from "node:http";
import path from "node:path";
import Database from "better-sqlite3";
import { SIMULATOR_DEMO_CREDENTIALS } from "../../lib/config";
import { signWebhookRequest } from "../../lib/vipps/webhook-signature";
import type { AppHandle } from "../../tests/support/app-server";

export interface WebhookRegistration {
  secret: string;
  url: string;
}

/** The webhook secret and URL an app on SQLite registered, read from its database file. */
export function sqliteWebhookRegistration(app: AppHandle): WebhookRegistration {
  const db = new Database(path.join(app.dataDir, "kassa.sqlite"), { readonly: true });
  const get = (key: string) =>
    (db.prepare("SELECT value FROM settings WHERE key = ?").get(key) as { value: string }).value;
  const result = { secret: get("vipps.webhook.secret"), url: get("vipps.webhook.url") };
  db.close();
  return result;
}

/** Posts `count` signed events, `concurrency` at a time, spread over the apps; signing happens before the clock starts. */
export async function postSignedWebhooks(
  apps: AppHandle[],
  registration: WebhookRegistration,
  options: { count: number; concurrency: number },
) {
  const requests = Array.from({ length: options.count }, (_, i) => {
    const body = JSON.stringify({
      msn: SIMULATOR_DEMO_CREDENTIALS.msn,
      reference: `bench-unknown-${i}`,
      pspReference: String(1_000_000 + i),
      name: "CREATED",
      amount: { currency: "NOK", value: 10000 },
      timestamp: new Date().toISOString(),
      idempotencyKey: null,
      success: true,
    });
    const { host: _host, ...headers } = signWebhookRequest({
      secret: registration.secret,
      url: registration.url,
      body,
      date: new Date(),
    });
    return { body, headers, app: apps[i % apps.length]! };
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const post = (request: (typeof requests)[number]) =>
    new Promise<number>((resolve, reject) => {
      const outgoing = http.request(
        {
          host: "127.0.0.1",
          port: request.app.port,
          path: "/api/webhooks/vipps",
          method: "POST",
          agent,
          headers: {
            ...request.headers,
            "content-type": "application/json",
            "content-length": Buffer.byteLength(request.body),
          },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      outgoing.on("error", reject);
      outgoing.end(request.body);
    });
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < requests.length) {
        if ((await post(requests[next++]!)) !== 200) failures++;
      }
    }),
  );
  agent.destroy();
  return { perSecond: options.count / ((performance.now() - started) / 1000), failures };
}
