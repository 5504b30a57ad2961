/**
 * Property-based checks (fast-check) of what a hostile client controls: the bytes and headers of a
 * webhook delivery, and the JSON bodies of the POS API. Whatever arrives, the answer is a refusal
 * or a valid result, never an exception (a 500), and a refusal changes nothing.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdjustableClock } from "@/lib/clock";
import { parseWith } from "@/lib/http/api";
import { isProblemError } from "@/lib/http/problem";
import { createSaleSchemaFor, RefundRequestSchema } from "@/lib/contracts/sales";
import { TerminalCreateSchema } from "@/lib/contracts/terminals";
import type { PaymentAttempt, Sale } from "@/lib/sales/types";
import { signWebhookRequest, verifyWebhookSignature } from "@/lib/vipps/webhook-signature";
import { SETTING_WEBHOOK_SECRET, SETTING_WEBHOOK_URL } from "@/lib/webhooks/webhook-receiver";
import { memoryStore, type TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { scriptedVipps } from "../support/scripted-vipps";

const HOOK_URL = "https://kassa.example/api/webhooks/vipps";
const SECRET = "webhook-secret-for-property-tests";
const MSN = "123456";
const RUNS = { numRuns: 300 };

/** Header names the verifier reads, plus noise; values anything printable. */
const headerName = fc.constantFrom(
  "x-ms-date",
  "x-ms-content-sha256",
  "authorization",
  "host",
  "content-type",
  "x-other",
);
const headerValue = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.constant("HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=abc"),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
);
const headerSet = fc.dictionary(headerName, headerValue, { maxKeys: 6 });
/** Bodies: random text, random JSON, and event-shaped JSON with random fields. */
const body = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "null"),
  fc
    .record({
      msn: fc.oneof(fc.constant(MSN), fc.string()),
      reference: fc.string(),
      name: fc.string(),
      amount: fc.anything(),
      timestamp: fc.string(),
      success: fc.anything(),
    })
    .map((v) => JSON.stringify(v)),
);

describe("webhook verifier under arbitrary input", () => {
  it("verifyWebhookSignature never throws and never accepts without the secret", () => {
    fc.assert(
      fc.property(headerSet, body, fc.string({ maxLength: 80 }), (headers, rawBody, pathAndQuery) => {
        const result = verifyWebhookSignature({
          secret: SECRET,
          pathAndQuery,
          host: "kassa.example",
          headers: new Headers(headers),
          rawBody,
          nowMs: Date.now(),
        });
        expect(result.ok).toBe(false);
      }),
      RUNS,
    );
  });

  it("a signed delivery with any one byte of its body or any signed header changed is refused", () => {
    const rawBody = JSON.stringify({
      msn: MSN,
      reference: "ref-0001",
      pspReference: "p",
      name: "AUTHORIZED",
      amount: { value: 100, currency: "NOK" },
      timestamp: new Date().toISOString(),
      success: true,
    });
    const signed = signWebhookRequest({ secret: SECRET, url: HOOK_URL, body: rawBody, date: new Date() });
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .record({ at: fc.nat(rawBody.length - 1), to: fc.string({ minLength: 1, maxLength: 1 }) })
            .map(({ at, to }) => ({ rawBody: rawBody.slice(0, at) + to + rawBody.slice(at + 1), headers: signed })),
          // The host is not read from the request: it is the registered URL's, whatever a proxy forwards.
          fc
            .record({
              name: fc.constantFrom("x-ms-date", "x-ms-content-sha256", "authorization"),
              value: fc.string({ maxLength: 60 }),
            })
            .map(({ name, value }) => ({ rawBody, headers: { ...signed, [name]: value } })),
        ),
        (tampered) => {
          fc.pre(tampered.rawBody !== rawBody || JSON.stringify(tampered.headers) !== JSON.stringify(signed));
          const result = verifyWebhookSignature({
            secret: SECRET,
            pathAndQuery: "/api/webhooks/vipps",
            host: "kassa.example",
            headers: new Headers({ ...tampered.headers }),
            rawBody: tampered.rawBody,
            nowMs: Date.now(),
          });
          expect(result.ok).toBe(false);
        },
      ),
      RUNS,
    );
  });
});

describe("webhook receiver under arbitrary deliveries", () => {
  let store: TestStore;
  let domain: ReturnType<typeof buildSaleDomain>;
  let clock: AdjustableClock;

  beforeEach(async () => {
    clock = new AdjustableClock();
    store = await memoryStore();
    await store.saveTerminal(COUNTER_1);
    await store.setSetting(SETTING_WEBHOOK_SECRET, SECRET);
    await store.setSetting(SETTING_WEBHOOK_URL, HOOK_URL);
    domain = buildSaleDomain({ store, gateway: scriptedVipps().gateway, clock, msn: MSN });
  });
  afterEach(async () => {
    await store.close();
  });

  async function snapshot(saleId: string) {
    return JSON.stringify({ sale: await store.getSale(saleId), events: await store.listEvents(saleId) });
  }

  it("answers every unsigned or mis-signed delivery with a refusal, never a throw, and changes no sale", async () => {
    const { sale } = await domain.commands.create(
      { terminalId: "pos-1", currency: "NOK", lines: [{ name: "Tea", quantity: 1, unitPrice: 3000, taxRate: 1500 }] },
      { source: "api" },
    );
    const attempt = (await store.getAttempt(sale.currentAttemptId)) as PaymentAttempt;
    const before = await snapshot(sale.id);
    // Bodies aimed at the live sale, with headers that are anything but a valid signature.
    const aimed = fc.constantFrom("AUTHORIZED", "CAPTURED", "CANCELLED", "ABORTED").map((name) =>
      JSON.stringify({
        msn: MSN,
        reference: attempt.reference,
        pspReference: "x",
        name,
        amount: { value: 3000, currency: "NOK" },
        timestamp: new Date().toISOString(),
        success: true,
      }),
    );
    await fc.assert(
      fc.asyncProperty(headerSet, fc.oneof(body, aimed), async (headers, rawBody) => {
        const outcome = await domain.webhooks.receive(rawBody, new Headers(headers));
        expect(outcome.status).toBe(401);
      }),
      RUNS,
    );
    expect(await snapshot(sale.id)).toBe(before);
    expect((await store.getSale(sale.id)) as Sale).toMatchObject({ state: "pending" });
  });

  it("a correctly signed delivery of any body is a 4xx refusal or a 200, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(body, async (rawBody) => {
        const headers = new Headers({
          ...signWebhookRequest({ secret: SECRET, url: HOOK_URL, body: rawBody, date: new Date(clock.now()) }),
        });
        const outcome = await domain.webhooks.receive(rawBody, headers);
        expect([200, 400]).toContain(outcome.status);
      }),
      RUNS,
    );
  });
});

describe("POS API bodies", () => {
  /** Parses as the routes do: a result, or a 400 validation problem naming fields; nothing else. */
  function parsesCleanly(parse: () => unknown): void {
    try {
      parse();
    } catch (error) {
      expect(isProblemError(error)).toBe(true);
      if (isProblemError(error)) {
        expect(error.problem.status).toBe(400);
        expect(error.problem.errors?.length ?? 0).toBeGreaterThan(0);
        for (const fieldError of error.problem.errors ?? []) expect(fieldError.reason).toMatch(/\S/);
      }
    }
  }

  const lineLike = fc.record(
    {
      name: fc.oneof(fc.string({ maxLength: 40 }), fc.anything()),
      quantity: fc.oneof(fc.integer(), fc.double(), fc.string()),
      unitPrice: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.bigInt().map(String)),
      taxRate: fc.oneof(fc.integer(), fc.double(), fc.constant(null)),
    },
    { requiredKeys: [] },
  );
  const saleLike = fc.record(
    {
      terminalId: fc.oneof(fc.string({ maxLength: 30 }), fc.anything()),
      currency: fc.oneof(fc.constantFrom("NOK", "DKK", "EUR", "SEK", "nok", ""), fc.anything()),
      lines: fc.oneof(fc.array(lineLike, { maxLength: 4 }), fc.anything()),
      amount: fc.anything(),
      description: fc.anything(),
    },
    { requiredKeys: [] },
  );

  it("a create-sale body of any shape parses or is refused with field reasons", () => {
    fc.assert(
      fc.property(fc.oneof(saleLike, fc.jsonValue({ maxDepth: 4 }), fc.anything()), (value) => {
        parsesCleanly(() => parseWith(createSaleSchemaFor(value), value));
      }),
      RUNS,
    );
  });

  it("refund and terminal bodies of any shape parse or are refused with field reasons", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ amount: fc.anything() }, { requiredKeys: [] }),
          fc.jsonValue({ maxDepth: 3 }),
          fc.anything(),
        ),
        (value) => {
          parsesCleanly(() => parseWith(RefundRequestSchema, value));
          parsesCleanly(() => parseWith(TerminalCreateSchema, value));
        },
      ),
      RUNS,
    );
  });
});
