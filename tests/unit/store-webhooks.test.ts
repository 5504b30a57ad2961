/**
 * Webhooks of a chain: each registration has its own secret, and an event is matched by MSN and
 * reference. A store with keys of its own gets its events through its own registration only.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import { createLogger } from "@/lib/log";
import { loadSecretBox, SecretBox } from "@/lib/stores/secret-box";
import { signWebhookRequest } from "@/lib/vipps/webhook-signature";
import { PARTNER_REGISTRATION, WebhookReceiver, webhookSettingKeys } from "@/lib/webhooks/webhook-receiver";
import { memoryStore, type TestStore } from "../support/memory-store";
import { newSale, terminal } from "../support/store-conformance";

const PARTNER = { url: "https://kassa.example/api/webhooks/vipps", secret: "partner-secret" };
const STORE_B = { url: "https://kassa.example/api/webhooks/vipps?store=store-b", secret: "store-b-secret" };

let clock: AdjustableClock;
let store: TestStore;
let receiver: WebhookReceiver;
let applySnapshot: ReturnType<typeof vi.fn>;

beforeEach(async () => {
  clock = new AdjustableClock();
  store = await memoryStore();
  for (const [name, registration] of [
    [PARTNER_REGISTRATION, PARTNER],
    ["store-b", STORE_B],
  ] as const) {
    const keys = webhookSettingKeys(name);
    await store.setSetting(keys.secret, registration.secret);
    await store.setSetting(keys.url, registration.url);
  }
  await store.saveTerminal(terminal("tb", { storeId: "store-b" }));
  const { sale, attempt, event } = newSale("s-b", { terminalId: "tb" });
  await store.insertSale({ ...sale, storeId: "store-b", msn: "654321" }, { ...attempt, state: "CREATED" }, event);
  applySnapshot = vi.fn(async () => undefined);
  receiver = new WebhookReceiver({
    sales: store,
    settings: store,
    operations: store,
    transitions: { applySnapshot } as never,
    reconciler: { reconcileAttempt: vi.fn(async () => undefined) },
    clock,
    log: createLogger("error"),
    // Store 1 (123456) is on the partner keys; store B (654321) has keys of its own.
    covers: async (registration, msn) => (registration === "store-b" ? msn === "654321" : msn === "123456"),
  });
});

afterEach(async () => {
  await store.close();
});

function delivery(msn: string, registration: { url: string; secret: string }) {
  const body = JSON.stringify({
    msn,
    reference: "ref-s-b-a1",
    pspReference: `psp-${msn}`,
    name: "AUTHORIZED",
    amount: { value: 4990, currency: "NOK" },
    timestamp: new Date(clock.now()).toISOString(),
    success: true,
  });
  const headers = new Headers({
    ...signWebhookRequest({ secret: registration.secret, url: registration.url, body, date: new Date(clock.now()) }),
  });
  return { body, headers };
}

describe("the webhook receiver of a chain", () => {
  it("applies store B's event that came through B's own registration, signed with its secret", async () => {
    const { body, headers } = delivery("654321", STORE_B);
    expect(await receiver.receive(body, headers, "store-b")).toEqual({ status: 200, result: "applied" });
    expect(applySnapshot).toHaveBeenCalledTimes(1);
  });

  it("refuses B's signature on the partner's address, and B's MSN through the partner registration", async () => {
    const signedByB = delivery("654321", STORE_B);
    expect((await receiver.receive(signedByB.body, signedByB.headers)).status).toBe(401);
    const throughPartner = delivery("654321", PARTNER);
    expect(await receiver.receive(throughPartner.body, throughPartner.headers)).toEqual({
      status: 200,
      result: "other-merchant",
    });
    expect(applySnapshot).not.toHaveBeenCalled();
  });

  it("does not apply another sales unit's event to a sale of the same reference", async () => {
    const { body, headers } = delivery("123456", PARTNER);
    expect(await receiver.receive(body, headers)).toEqual({ status: 200, result: "unknown-reference" });
    expect(applySnapshot).not.toHaveBeenCalled();
  });
});

describe("a check-in at a till's sticker in a chain", () => {
  it("is acted on when the registration it came through covers its sales unit, and not otherwise", async () => {
    const onCheckIn = vi.fn(async () => undefined);
    const chain = new WebhookReceiver({
      sales: store,
      settings: store,
      operations: store,
      transitions: { applySnapshot } as never,
      reconciler: { reconcileAttempt: vi.fn(async () => undefined) },
      clock,
      log: createLogger("error"),
      // As the app wires it: no single MSN, only what each registration covers.
      covers: async (registration, msn) => (registration === "store-b" ? msn === "654321" : msn === "123456"),
      onCheckIn,
    });
    const checkIn = (msn: string, token: string) => {
      const body = JSON.stringify({
        msn,
        merchantQrId: "kassa-pos-1",
        customerToken: Buffer.from(token).toString("base64"),
        initiatedAt: new Date(clock.now()).toISOString(),
      });
      const headers = new Headers({
        ...signWebhookRequest({ secret: PARTNER.secret, url: PARTNER.url, body, date: new Date(clock.now()) }),
      });
      return chain.receive(body, headers);
    };
    expect(await checkIn("123456", "customer-1")).toEqual({ status: 200, result: "applied" });
    expect(await checkIn("654321", "customer-2")).toEqual({ status: 200, result: "other-merchant" });
    await chain.settled();
    expect(onCheckIn).toHaveBeenCalledTimes(1);
  });
});

describe("the stores' secret box", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "kassa-secrets-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("opens what it sealed for the same store only, and not under another key", () => {
    const box = new SecretBox("a-secrets-key-of-at-least-32-characters");
    const sealed = box.seal("client-secret", "store-b");
    expect(sealed).not.toContain("client-secret");
    expect(box.open(sealed, "store-b")).toBe("client-secret");
    expect(() => box.open(sealed, "store-c")).toThrow();
    expect(() => new SecretBox("another-secrets-key-of-32-characters!").open(sealed, "store-b")).toThrow();
  });

  it("in the simulator without KASSA_SECRETS_KEY keeps a key of its own in the data directory, readable by the app only", () => {
    const first = loadSecretBox({ simulator: true, dataDir: dir });
    const sealed = first!.seal("subscription-key", "store-b");
    expect(statSync(path.join(dir, "secrets.key")).mode & 0o777).toBe(0o600);
    expect(loadSecretBox({ simulator: true, dataDir: dir })!.open(sealed, "store-b")).toBe("subscription-key");
    expect(loadSecretBox({ simulator: false, dataDir: dir })).toBeUndefined();
  });
});
