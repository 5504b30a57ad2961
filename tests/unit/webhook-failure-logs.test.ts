/**
 * A money webhook is answered at once and the GET that follows runs on its own: when that follow-up
 * fails, the log names the sale and the attempt (the reconciler asks again later).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { signWebhookRequest } from "@/lib/vipps/webhook-signature";
import { SETTING_WEBHOOK_SECRET, SETTING_WEBHOOK_URL, WebhookReceiver } from "@/lib/webhooks/webhook-receiver";
import { FrozenClock } from "../support/frozen-clock";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { scriptedVipps } from "../support/scripted-vipps";

const HOOK_URL = "https://kassa.example/api/webhooks/vipps";
const SECRET = "webhook-secret-for-tests";
const MSN = "123456";
const NOW = Date.parse("2026-05-01T10:00:00.000Z");

let store: TestStore;

beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  await store.setSetting(SETTING_WEBHOOK_SECRET, SECRET);
  await store.setSetting(SETTING_WEBHOOK_URL, HOOK_URL);
});

afterEach(async () => {
  await store.close();
});

describe("webhook receiver", () => {
  it("logs a failed follow-up of a REFUNDED event with the sale and attempt, having answered 200", async () => {
    const clock = new FrozenClock(NOW);
    const vipps = scriptedVipps();
    const domain = buildSaleDomain({ store, gateway: vipps.gateway, clock, msn: MSN });
    const { sale } = await domain.commands.create(
      {
        terminalId: COUNTER_1.id,
        currency: "NOK",
        lines: [{ name: "Tea", quantity: 1, unitPrice: 3000, taxRate: 1500 }],
      },
      { source: "api" },
    );
    const attempt = (await store.getAttempt(sale.currentAttemptId))!;
    const { log, records } = captureLog("warn");
    const reconciler = {
      reconcileAttempt: async () => Promise.reject(new Error("connection terminated unexpectedly")),
    };
    const receiver = new WebhookReceiver({
      sales: store,
      settings: store,
      operations: store,
      transitions: domain.transitions,
      reconciler,
      clock,
      log,
      msn: MSN,
    });

    const body = JSON.stringify({
      msn: MSN,
      reference: attempt.reference,
      pspReference: "psp-1",
      name: "REFUNDED",
      amount: { value: 1000, currency: "NOK" },
      timestamp: new Date(NOW).toISOString(),
      success: true,
    });
    const headers = new Headers({
      ...signWebhookRequest({ secret: SECRET, url: HOOK_URL, body, date: new Date(NOW) }),
    });
    expect(await receiver.receive(body, headers)).toEqual({ status: 200, result: "applied" });

    await vi.waitFor(() => expect(records()).toHaveLength(1));
    expect(records()[0]).toMatchObject({
      level: "warn",
      message: "Asking Vipps about a payment after its webhook failed; the reconciler asks again",
      saleId: sale.id,
      attemptId: attempt.id,
      reference: attempt.reference,
      err: { message: "connection terminated unexpectedly", stack: expect.any(String) },
    });
  });
});
