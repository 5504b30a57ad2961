import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROBLEM_TYPES } from "@/lib/simulator";
import { createHarness, TEST_ORIGIN, type Harness } from "../support/simulator-harness";

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.stop();
});

const nok = (value: number) => ({ currency: "NOK", value });
const aggregate = (authorized: number, cancelled: number, captured: number, refunded: number) => ({
  authorizedAmount: nok(authorized),
  cancelledAmount: nok(cancelled),
  capturedAmount: nok(captured),
  refundedAmount: nok(refunded),
});
const approve = (reference: string) =>
  h.api("POST", `/epayment/v1/test/payments/${reference}/approve`, undefined, { idempotencyKey: null });
const eventNames = async (reference: string) =>
  ((await h.getEvents(reference)).body as { name: string }[]).map((event) => event.name);

describe("create and get", () => {
  it("creates a CREATED payment with zero aggregates and a CREATED event carrying the idempotency key", async () => {
    const created = await h.createPayment({ metadata: { till: "3" } }, "create-key-1");
    expect(created.response.status).toBe(201);
    expect(created.response.body).toEqual({ reference: created.reference, redirectUrl: expect.any(String) });
    const payment = await h.getPayment(created.reference);
    expect(payment.status).toBe(200);
    expect(payment.body).toMatchObject({
      reference: created.reference,
      state: "CREATED",
      amount: nok(10_000),
      aggregate: aggregate(0, 0, 0, 0),
      paymentMethod: { type: "WALLET" },
      profile: {},
      metadata: { till: "3" },
      redirectUrl: created.redirectUrl,
    });
    expect(payment.body.pspReference).toMatch(/^\d+$/);
    const events = (await h.getEvents(created.reference)).body;
    expect(events).toEqual([
      {
        reference: created.reference,
        pspReference: expect.any(String),
        name: "CREATED",
        amount: nok(10_000),
        timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        idempotencyKey: "create-key-1",
        success: true,
      },
    ]);
    expect(Date.parse(events[0].timestamp)).toBeLessThanOrEqual(h.clock.now());
  });

  it("returns the right redirectUrl for every QR format and user flow", async () => {
    const target = await h.createPayment({ qrFormat: { format: "TEXT/TARGETURL" } });
    expect(target.redirectUrl).toMatch(/^http:\/\/192\.168\.1\.20:3000\/sim\/qr\/[\w-]{32}$/);
    const svg = await h.createPayment({ qrFormat: { format: "IMAGE/SVG+XML" } });
    expect(svg.redirectUrl).toMatch(/^http:\/\/192\.168\.1\.20:3000\/sim\/qr-image\/[\w-]{32}\.svg$/);
    const byDefault = await h.createPayment({ qrFormat: undefined });
    expect(byDefault.redirectUrl).toMatch(/\/sim\/qr-image\/[\w-]{32}\.svg$/);
    const png = await h.createPayment({ qrFormat: { format: "IMAGE/PNG", size: 300 } });
    expect(png.redirectUrl).toMatch(/\/sim\/qr-image\/[\w-]{32}\.png$/);
    const push = await h.createPayment({
      userFlow: "PUSH_MESSAGE",
      customer: { phoneNumber: "4791234567" },
      qrFormat: undefined,
    });
    expect(push.response.body).toEqual({ reference: push.reference });
    const web = await h.createPayment({
      userFlow: "WEB_REDIRECT",
      returnUrl: "https://shop.example/return",
      qrFormat: undefined,
    });
    // Like pay.vipps.no?token=…: the landing page's domain, then the token (tests/unit/simulator-phone.test.ts follows it).
    expect(web.redirectUrl).toMatch(/\/sim\/landing\/pay\.vipps\.no\?token=[\w-]{32}$/);
  });

  it("derives the target URL deterministically from MSN + reference", async () => {
    const a = await h.createPayment({ reference: "deterministic-ref-1" });
    const again = createHarness();
    // Another simulator has another secret, so the token differs; the same simulator always gives the same one.
    const debug = await h.send("GET", `/_sim/payments/deterministic-ref-1`);
    expect(a.redirectUrl).toBe(debug.body.phonePageUrl);
    const other = await again.createPayment({ reference: "deterministic-ref-1" });
    expect(other.redirectUrl).not.toBe(a.redirectUrl);
    await again.stop();
  });

  it("serves a payment with a 64-character reference on every path (ePayment 1.7)", async () => {
    // Source: ../shared/research/VIPPS-FACTS.md ("^[a-zA-Z0-9-]{8,64}$ since ePayment 1.7 (was 8–50)").
    const reference = `long-${"r".repeat(59)}`;
    expect(reference).toHaveLength(64);
    await h.createPayment({ reference });
    expect((await h.getPayment(reference)).body.reference).toBe(reference);
    expect((await h.getEvents(reference)).status).toBe(200);
    expect((await approve(reference)).status).toBe(200);
    expect((await h.capture(reference, 10_000)).status).toBe(200);
    expect((await h.getPayment(`${reference}r`)).status).toBe(400);
  });

  it("answers 404 problem+json for an unknown reference and 400 for a malformed one", async () => {
    const missing = await h.getPayment("does-not-exist-1");
    expect(missing.status).toBe(404);
    expect(missing.contentType).toBe("application/problem+json");
    expect(missing.body).toMatchObject({ type: PROBLEM_TYPES.notFound, status: 404, traceId: expect.any(String) });
    expect((await h.getEvents("does-not-exist-1")).status).toBe(404);
    expect((await h.capture("does-not-exist-1", 100)).status).toBe(404);
    expect((await h.getPayment("bad_ref")).status).toBe(400);
  });
});

describe("state machine", () => {
  it("CREATED → AUTHORIZED by force approve, with an AUTHORIZED event carrying the create key", async () => {
    const { reference } = await h.createPayment({}, "the-create-key");
    const response = await approve(reference);
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    const payment = await h.getPayment(reference);
    expect(payment.body.state).toBe("AUTHORIZED");
    expect(payment.body.aggregate).toEqual(aggregate(10_000, 0, 0, 0));
    const events = (await h.getEvents(reference)).body;
    expect(events.map((e: { name: string }) => e.name)).toEqual(["CREATED", "AUTHORIZED"]);
    expect(events[1].idempotencyKey).toBe("the-create-key");
    expect(events[1].pspReference).not.toBe(events[0].pspReference);
  });

  it("fills profile.sub after authorization when a scope was requested", async () => {
    const { reference } = await h.createPayment({ profile: { scope: "name phoneNumber" } });
    expect((await h.getPayment(reference)).body.profile).toEqual({});
    await approve(reference);
    expect((await h.getPayment(reference)).body.profile).toEqual({ sub: expect.any(String) });
  });

  it("CREATED → ABORTED when the user declines and → TERMINATED when the merchant cancels", async () => {
    const declined = await h.createPayment();
    expect((await h.send("POST", `/_sim/payments/${declined.reference}/reject`)).status).toBe(200);
    expect((await h.getPayment(declined.reference)).body.state).toBe("ABORTED");
    expect(await eventNames(declined.reference)).toEqual(["CREATED", "ABORTED"]);

    const cancelled = await h.createPayment();
    const response = await h.cancel(cancelled.reference, undefined, "cancel-key");
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      state: "TERMINATED",
      aggregate: aggregate(0, 10_000, 0, 0),
      reference: cancelled.reference,
    });
    const events = (await h.getEvents(cancelled.reference)).body;
    expect(events.map((e: { name: string }) => e.name)).toEqual(["CREATED", "TERMINATED"]);
    expect(events[1]).toMatchObject({ amount: nok(10_000), idempotencyKey: "cancel-key" });
  });

  it("captures partially twice with new keys, then refunds, keeping state AUTHORIZED and aggregates right", async () => {
    const { reference } = await h.authorizedPayment();
    const first = await h.capture(reference, 3_000, "cap-1");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      state: "AUTHORIZED",
      amount: nok(10_000),
      aggregate: aggregate(10_000, 0, 3_000, 0),
    });
    const second = await h.capture(reference, 3_000, "cap-2");
    expect(second.status).toBe(200);
    expect(second.body.aggregate).toEqual(aggregate(10_000, 0, 6_000, 0));
    expect(second.body.pspReference).not.toBe(first.body.pspReference);
    const refund = await h.refund(reference, 2_500, "ref-1");
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({ state: "AUTHORIZED", aggregate: aggregate(10_000, 0, 6_000, 2_500) });
    const events = (await h.getEvents(reference)).body as {
      name: string;
      amount: unknown;
      idempotencyKey: string | null;
    }[];
    expect(events.map((e) => [e.name, e.amount, e.idempotencyKey])).toEqual([
      ["CREATED", nok(10_000), expect.any(String)],
      ["AUTHORIZED", nok(10_000), expect.any(String)],
      ["CAPTURED", nok(3_000), "cap-1"],
      ["CAPTURED", nok(3_000), "cap-2"],
      ["REFUNDED", nok(2_500), "ref-1"],
    ]);
    const payment = await h.getPayment(reference);
    expect(payment.body.state).toBe("AUTHORIZED");
    expect(payment.body.pspReference).toBe(refund.body.pspReference);
  });

  it("cancel after a partial capture releases the whole remainder; nothing more can be captured or cancelled", async () => {
    const { reference } = await h.authorizedPayment();
    await h.capture(reference, 2_500);
    const cancel = await h.cancel(reference, undefined, "cancel-after-capture");
    expect(cancel.status).toBe(200);
    expect(cancel.body.aggregate).toEqual(aggregate(10_000, 7_500, 2_500, 0));
    const events = (await h.getEvents(reference)).body;
    // As in the documented example, this CANCELLED event has no idempotencyKey.
    expect(events.at(-1)).toMatchObject({ name: "CANCELLED", amount: nok(7_500), idempotencyKey: null });
    const more = await h.capture(reference, 1);
    expect(more.status).toBe(400);
    expect(more.body.type).toBe(PROBLEM_TYPES.amountLimit);
    const again = await h.cancel(reference);
    expect(again.status).toBe(409);
    // The captured part can still be refunded.
    expect((await h.refund(reference, 2_500)).body.aggregate).toEqual(aggregate(10_000, 7_500, 2_500, 2_500));
  });

  it("cancel of an authorized, uncaptured payment releases everything and keeps its key", async () => {
    const { reference } = await h.authorizedPayment();
    const cancel = await h.cancel(reference, {}, "cancel-uncaptured");
    expect(cancel.body).toMatchObject({ state: "AUTHORIZED", aggregate: aggregate(10_000, 10_000, 0, 0) });
    expect((await h.getEvents(reference)).body.at(-1)).toMatchObject({
      name: "CANCELLED",
      idempotencyKey: "cancel-uncaptured",
    });
    expect((await h.capture(reference, 100)).status).toBe(400);
  });

  it("cancelTransactionOnly terminates a CREATED payment but refuses (409) to touch an authorized one", async () => {
    const created = await h.createPayment();
    const terminated = await h.cancel(created.reference, { cancelTransactionOnly: true });
    expect(terminated.body.state).toBe("TERMINATED");
    const { reference } = await h.authorizedPayment();
    const refused = await h.cancel(reference, { cancelTransactionOnly: true });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/already reserved/);
    expect((await h.getPayment(reference)).body.aggregate).toEqual(aggregate(10_000, 0, 0, 0));
    expect((await h.cancel(reference, { cancelTransactionOnly: "yes" })).status).toBe(400);
  });

  describe("refused transitions", () => {
    it("capture before authorization → 409", async () => {
      const { reference } = await h.createPayment();
      const response = await h.capture(reference, 1_000);
      expect(response.status).toBe(409);
      expect(response.contentType).toBe("application/problem+json");
      expect(response.body).toMatchObject({
        type: PROBLEM_TYPES.invalidState,
        status: 409,
        detail: expect.stringMatching(/before reservation/),
      });
    });

    it("refund before authorization → 409", async () => {
      const { reference } = await h.createPayment();
      const response = await h.refund(reference, 1_000);
      expect(response.status).toBe(409);
      expect(response.body.detail).toMatch(/refund before reservation/);
    });

    it("over-capture → 400 with extraDetails, and the aggregate is untouched", async () => {
      const { reference } = await h.authorizedPayment();
      await h.capture(reference, 6_000);
      const response = await h.capture(reference, 4_001);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        type: PROBLEM_TYPES.amountLimit,
        detail: expect.stringMatching(/at most 4000/),
        extraDetails: [{ name: "modificationAmount.value", reason: expect.any(String) }],
      });
      expect((await h.getPayment(reference)).body.aggregate.capturedAmount).toEqual(nok(6_000));
      expect((await h.capture(reference, 4_000)).status).toBe(200);
    });

    it("refund of more than captured → 400; refund of nothing captured → 400; fully refunded → 409", async () => {
      const { reference } = await h.authorizedPayment();
      expect((await h.refund(reference, 1)).status).toBe(400);
      await h.capture(reference, 5_000);
      const tooMuch = await h.refund(reference, 5_001);
      expect(tooMuch.status).toBe(400);
      expect(tooMuch.body.detail).toMatch(/Not enough refundable/);
      expect((await h.refund(reference, 5_000)).status).toBe(200);
      const done = await h.refund(reference, 1);
      expect(done.status).toBe(409);
      expect(done.body.detail).toMatch(/already refunded/);
    });

    it("cancel after full capture → 409", async () => {
      const { reference } = await h.authorizedPayment();
      await h.capture(reference, 10_000);
      const response = await h.cancel(reference);
      expect(response.status).toBe(409);
      expect(response.body.detail).toMatch(/Cannot cancel a captured payment/);
    });

    it.each([
      ["ABORTED", "reject"],
      ["EXPIRED", "expire"],
      ["TERMINATED", "cancel"],
    ])("every operation on a %s payment → 409", async (state, how) => {
      const { reference } = await h.createPayment();
      if (how === "cancel") await h.cancel(reference);
      else await h.send("POST", `/_sim/payments/${reference}/${how}`);
      expect((await h.getPayment(reference)).body.state).toBe(state);
      const responses = [
        await h.capture(reference, 100),
        await h.cancel(reference),
        await h.refund(reference, 100),
        await approve(reference),
      ];
      for (const response of responses) {
        expect(response.status).toBe(409);
        expect(response.body.type).toBe(PROBLEM_TYPES.invalidState);
      }
      expect((await h.send("POST", `/_sim/payments/${reference}/approve`)).status).toBe(409);
      const events = await eventNames(reference);
      expect(events).toEqual(["CREATED", state]);
    });

    it("approving twice → 409 'already reserved'", async () => {
      const { reference } = await h.authorizedPayment();
      const response = await approve(reference);
      expect(response.status).toBe(409);
      expect(response.body.detail).toMatch(/already reserved/);
    });

    it("force approve with a token that is not the payment's → 400", async () => {
      const { reference } = await h.createPayment();
      const response = await h.api(
        "POST",
        `/epayment/v1/test/payments/${reference}/approve`,
        { token: "not-it" },
        { idempotencyKey: null },
      );
      expect(response.status).toBe(400);
      const token = (await h.send("GET", `/_sim/payments/${reference}`)).body.qrToken;
      expect(
        (await h.api("POST", `/epayment/v1/test/payments/${reference}/approve`, { token }, { idempotencyKey: null }))
          .status,
      ).toBe(200);
    });

    it("modifications in another currency or of zero → 400", async () => {
      const { reference } = await h.authorizedPayment();
      const currency = await h.capture(reference, 100, undefined, "EUR");
      expect(currency.status).toBe(400);
      expect(currency.body.extraDetails).toEqual([expect.objectContaining({ name: "modificationAmount.currency" })]);
      expect((await h.capture(reference, 0)).status).toBe(400);
      const decimal = await h.api("POST", `/epayment/v1/payments/${reference}/capture`, {
        modificationAmount: { value: 10.5, currency: "NOK" },
      });
      expect(decimal.status).toBe(400);
      expect(decimal.body.extraDetails[0].reason).toMatch(/decimals/);
      const missing = await h.api("POST", `/epayment/v1/payments/${reference}/capture`);
      expect(missing.status).toBe(400);
    });
  });
});

describe("idempotency", () => {
  it("replays a create with the same key and body: same status and body, one payment, one CREATED event", async () => {
    const request = h.paymentRequest();
    const first = await h.api("POST", "/epayment/v1/payments", request, { idempotencyKey: "same-create" });
    const second = await h.api("POST", "/epayment/v1/payments", request, { idempotencyKey: "same-create" });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(await eventNames(request.reference as string)).toEqual(["CREATED"]);
  });

  it("refuses a create with the same key and a different body, a new key for an existing reference, and a key reused for another payment", async () => {
    const request = h.paymentRequest();
    await h.api("POST", "/epayment/v1/payments", request, { idempotencyKey: "create-a" });
    const changed = await h.api(
      "POST",
      "/epayment/v1/payments",
      { ...request, amount: nok(20_000) },
      { idempotencyKey: "create-a" },
    );
    expect(changed.status).toBe(409);
    expect(changed.body.type).toBe(PROBLEM_TYPES.idempotencyConflict);
    const duplicate = await h.api("POST", "/epayment/v1/payments", request, { idempotencyKey: "create-b" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({
      type: PROBLEM_TYPES.referenceExists,
      detail: expect.stringMatching(/already exists/),
    });
    const otherPayment = await h.api("POST", "/epayment/v1/payments", h.paymentRequest(), {
      idempotencyKey: "create-a",
    });
    expect(otherPayment.status).toBe(409);
    expect(otherPayment.body.detail).toMatch(/Idempotency-Key create-a already exists/);
    expect((await h.getPayment(request.reference as string)).body.amount).toEqual(nok(10_000));
  });

  it("a reference can never be reused, not even after the payment expired", async () => {
    const { reference, request } = await h.createPayment();
    await h.send("POST", `/_sim/payments/${reference}/expire`);
    const again = await h.api("POST", "/epayment/v1/payments", request);
    expect(again.status).toBe(409);
  });

  it("replays a capture with the same key (nothing captured twice) and refuses the same key with another amount", async () => {
    const { reference } = await h.authorizedPayment();
    const first = await h.capture(reference, 4_000, "capture-key");
    const replay = await h.capture(reference, 4_000, "capture-key");
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect((await h.getPayment(reference)).body.aggregate.capturedAmount).toEqual(nok(4_000));
    const conflict = await h.capture(reference, 5_000, "capture-key");
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toMatch(/Capture idempotency conflict/);
    const other = await h.authorizedPayment();
    const reused = await h.capture(other.reference, 4_000, "capture-key");
    expect(reused.status).toBe(409);
    expect(reused.body.detail).toMatch(/another payment/);
    expect(await eventNames(reference)).toEqual(["CREATED", "AUTHORIZED", "CAPTURED"]);
  });

  it("replays a refund and refuses a changed refund body under the same key", async () => {
    const { reference } = await h.authorizedPayment();
    await h.capture(reference, 10_000);
    const first = await h.refund(reference, 1_000, "refund-key");
    expect((await h.refund(reference, 1_000, "refund-key")).body).toEqual(first.body);
    const conflict = await h.refund(reference, 2_000, "refund-key");
    expect(conflict.status).toBe(409);
    expect(conflict.body.detail).toMatch(/Refund idempotency conflict/);
    expect((await h.getPayment(reference)).body.aggregate.refundedAmount).toEqual(nok(1_000));
  });

  it("replays a cancel; a refused request is not stored, so its retry with the same key can succeed later", async () => {
    const { reference } = await h.createPayment();
    const early = await h.capture(reference, 1_000, "early-capture");
    expect(early.status).toBe(409);
    await approve(reference);
    expect((await h.capture(reference, 1_000, "early-capture")).status).toBe(200);
    const cancel = await h.cancel(reference, undefined, "cancel-key");
    const replay = await h.cancel(reference, undefined, "cancel-key");
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(cancel.body);
  });

  it("requires an Idempotency-Key of at most 50 characters on create, capture, cancel and refund", async () => {
    const missing = await h.api("POST", "/epayment/v1/payments", h.paymentRequest(), { idempotencyKey: null });
    expect(missing.status).toBe(400);
    expect(missing.body.extraDetails).toEqual([expect.objectContaining({ name: "Idempotency-Key" })]);
    const tooLong = await h.api("POST", "/epayment/v1/payments", h.paymentRequest(), {
      idempotencyKey: "k".repeat(51),
    });
    expect(tooLong.status).toBe(400);
    const { reference } = await h.authorizedPayment();
    for (const op of ["capture", "refund", "cancel"]) {
      const response = await h.api(
        "POST",
        `/epayment/v1/payments/${reference}/${op}`,
        { modificationAmount: nok(100) },
        { idempotencyKey: null },
      );
      expect(response.status).toBe(400);
    }
    expect((await h.capture(reference, 100, "k".repeat(50))).status).toBe(200);
  });
});

describe("expiry", () => {
  it("expires an unapproved payment 10 minutes after creation, logs EXPIRED and 404s the QR image", async () => {
    const { reference, redirectUrl } = await h.createPayment({ qrFormat: { format: "IMAGE/SVG+XML" } });
    const imagePath = new URL(redirectUrl!).pathname.replace(/^\/sim/, "");
    expect((await h.send("GET", imagePath)).status).toBe(200);
    h.clock.advance(10 * 60 * 1000 - 1_000);
    await h.sim.runDueWork();
    expect((await h.getPayment(reference)).body.state).toBe("CREATED");
    h.clock.advance(1_000);
    await h.sim.runDueWork();
    expect((await h.getPayment(reference)).body.state).toBe("EXPIRED");
    const events = (await h.getEvents(reference)).body;
    expect(events.map((e: { name: string }) => e.name)).toEqual(["CREATED", "EXPIRED"]);
    expect(events[1]).toMatchObject({ amount: nok(10_000), idempotencyKey: null, success: true });
    expect((await h.send("GET", imagePath)).status).toBe(404);
    expect((await approve(reference)).status).toBe(409);
  });

  it("expires lazily on the next request even without runDueWork, and via POST /_sim/clock/advance", async () => {
    const a = await h.createPayment();
    h.clock.advance(10 * 60 * 1000);
    expect((await h.getPayment(a.reference)).body.state).toBe("EXPIRED");
    const b = await h.createPayment();
    const advanced = await h.send("POST", "/_sim/clock/advance", { body: { ms: 10 * 60 * 1000 } });
    expect(advanced.status).toBe(200);
    expect(Date.parse(advanced.body.now)).toBe(advanced.body.nowMs);
    expect((await h.send("GET", `/_sim/payments/${b.reference}`)).body.state).toBe("EXPIRED");
  });

  it("honours expiresAt instead of the 10-minute default", async () => {
    const expiresAt = new Date(h.clock.now() + 60 * 60 * 1000).toISOString();
    const receipt = {
      orderLines: [
        {
          name: "Bun",
          id: "1",
          totalAmount: 10_000,
          totalAmountExcludingTax: 8_000,
          totalTaxAmount: 2_000,
          taxRate: 2500,
        },
      ],
      bottomLine: { currency: "NOK" },
    };
    const { reference } = await h.createPayment({ expiresAt, receipt });
    h.clock.advance(30 * 60 * 1000);
    expect((await h.getPayment(reference)).body.state).toBe("CREATED");
    h.clock.advance(30 * 60 * 1000);
    expect((await h.getPayment(reference)).body.state).toBe("EXPIRED");
  });

  it("an authorized payment never expires", async () => {
    const { reference } = await h.authorizedPayment();
    h.clock.advance(24 * 60 * 60 * 1000);
    await h.sim.runDueWork();
    expect((await h.getPayment(reference)).body.state).toBe("AUTHORIZED");
  });

  it("/_sim/clock/advance refuses bad input", async () => {
    expect((await h.send("POST", "/_sim/clock/advance", { body: { ms: -5 } })).status).toBe(400);
    expect((await h.send("POST", "/_sim/clock/advance", { body: {} })).status).toBe(400);
  });

  it("/_sim/clock/advance refuses a step of more than a year, and time stays usable", async () => {
    const before = h.clock.now();
    const refused = await h.send("POST", "/_sim/clock/advance", { body: { ms: 1e16 } });
    expect(refused.status).toBe(400);
    expect(h.clock.now() - before).toBeLessThan(60_000);
    const year = 366 * 24 * 60 * 60 * 1000;
    expect((await h.send("POST", "/_sim/clock/advance", { body: { ms: year } })).status).toBe(200);
    expect((await h.send("POST", "/_sim/clock/advance", { body: { ms: year + 1 } })).status).toBe(400);
    expect(Number.isNaN(new Date(h.clock.now()).getTime())).toBe(false);
  });
});

describe("create validation", () => {
  const extraNames = (response: { body: { extraDetails?: { name: string }[] } }) =>
    (response.body.extraDetails ?? []).map((d) => d.name);
  const create = (overrides: Record<string, unknown>) =>
    h.api("POST", "/epayment/v1/payments", h.paymentRequest(overrides));
  const receipt = {
    orderLines: [
      {
        name: "Coffee",
        id: "c1",
        totalAmount: 10_000,
        totalAmountExcludingTax: 8_000,
        totalTaxAmount: 2_000,
        taxPercentage: 25,
      },
    ],
    bottomLine: { currency: "NOK", posId: "till-1" },
  };

  it("answers 400 problem+json with every problem in extraDetails", async () => {
    const response = await h.api("POST", "/epayment/v1/payments", {
      amount: { value: 10.5, currency: "SEK" },
      reference: "bad ref",
      userFlow: "SMOKE",
    });
    expect(response.status).toBe(400);
    expect(response.contentType).toBe("application/problem+json");
    expect(response.body).toMatchObject({
      type: PROBLEM_TYPES.validation,
      title: expect.any(String),
      status: 400,
      traceId: expect.any(String),
    });
    expect(extraNames(response)).toEqual(
      expect.arrayContaining(["amount.currency", "amount.value", "userFlow", "reference", "paymentMethod"]),
    );
  });

  it.each([
    ["an amount below the NOK minimum", { amount: { value: 99, currency: "NOK" } }, "amount.value"],
    ["an amount above the maximum", { amount: { value: 65_000_001, currency: "NOK" } }, "amount.value"],
    ["a decimal amount", { amount: { value: 100.5, currency: "NOK" } }, "amount.value"],
    ["a string amount", { amount: { value: "100", currency: "NOK" } }, "amount.value"],
    ["an unknown currency", { amount: { value: 1000, currency: "SEK" } }, "amount.currency"],
    ["a short reference", { reference: "short" }, "reference"],
    ["a reference with _", { reference: "has_underscore" }, "reference"],
    // 8–64 since ePayment 1.7 (../shared/research/VIPPS-FACTS.md); 65 is one too many.
    ["a long reference", { reference: "r".repeat(65) }, "reference"],
    ["a 2-char description", { paymentDescription: "ab" }, "paymentDescription"],
    ["a 101-char description", { paymentDescription: "d".repeat(101) }, "paymentDescription"],
    ["an unknown qr format", { qrFormat: { format: "IMAGE/GIF" } }, "qrFormat.format"],
    ["a qr size below 100", { qrFormat: { format: "IMAGE/PNG", size: 99 } }, "qrFormat.size"],
    ["a qr size above 2000", { qrFormat: { format: "IMAGE/PNG", size: 2001 } }, "qrFormat.size"],
    ["qrFormat without format", { qrFormat: { size: 300 } }, "qrFormat.format"],
    [
      "two customer variants",
      { userFlow: "PUSH_MESSAGE", customer: { phoneNumber: "4791234567", personalQr: "https://qr.example/1" } },
      "customer",
    ],
    ["an empty customer", { customer: {} }, "customer"],
    [
      "a phone number with +",
      { userFlow: "PUSH_MESSAGE", customer: { phoneNumber: "+4791234567" } },
      "customer.phoneNumber",
    ],
    ["a short phone number", { userFlow: "PUSH_MESSAGE", customer: { phoneNumber: "479123" } }, "customer.phoneNumber"],
    ["PUSH_MESSAGE without customer", { userFlow: "PUSH_MESSAGE" }, "customer"],
    ["CARD with QR", { paymentMethod: { type: "CARD" } }, "paymentMethod.type"],
    ["WEB_REDIRECT without returnUrl", { userFlow: "WEB_REDIRECT" }, "returnUrl"],
    ["an http returnUrl", { userFlow: "WEB_REDIRECT", returnUrl: "http://shop.example/back" }, "returnUrl"],
    ["an http receiptUrl", { receiptUrl: "http://shop.example/receipt" }, "receiptUrl"],
    [
      "expiresAt with WEB_REDIRECT",
      { userFlow: "WEB_REDIRECT", returnUrl: "https://shop.example", expiresAt: "+1h", receipt },
      "expiresAt",
    ],
    ["expiresAt without receipt", { expiresAt: "+1h" }, "receipt"],
    ["expiresAt only 5 minutes ahead", { expiresAt: "+5m", receipt }, "expiresAt"],
    ["expiresAt 61 days ahead", { expiresAt: "+61d", receipt }, "expiresAt"],
    ["expiresAt that is not RFC 3339", { expiresAt: "tomorrow", receipt }, "expiresAt"],
    ["6 metadata pairs", { metadata: { a: "1", b: "2", c: "3", d: "4", e: "5", f: "6" } }, "metadata"],
    ["a metadata key over 100 chars", { metadata: { ["k".repeat(101)]: "v" } }, `metadata.${"k".repeat(101)}`],
    ["a metadata value over 500 chars", { metadata: { key: "v".repeat(501) } }, "metadata.key"],
    ["a non-string metadata value", { metadata: { key: 5 } }, "metadata.key"],
    [
      "a receipt without order lines",
      { receipt: { orderLines: [], bottomLine: { currency: "NOK" } } },
      "receipt.orderLines",
    ],
    [
      "an order line without tax",
      {
        receipt: {
          orderLines: [{ name: "x", id: "1", totalAmount: 1, totalAmountExcludingTax: 1, totalTaxAmount: 0 }],
          bottomLine: { currency: "NOK" },
        },
      },
      "receipt.orderLines[0].taxRate",
    ],
    [
      "a receipt without bottomLine currency",
      { receipt: { ...receipt, bottomLine: {} } },
      "receipt.bottomLine.currency",
    ],
    // Receipt rules of today's API: taxRate 0–10000 in basis points, one of taxRate/taxPercentage
    // (vippsas/deno-sdk src/generated_types/epayment/types.gen.ts), quantity a string of ≤ 10 characters and
    // integer payment sources (../shared/vipps/spec/order-management-2.3.24.yaml).
    [
      "a taxRate above 10000",
      {
        receipt: { ...receipt, orderLines: [{ ...receipt.orderLines[0], taxPercentage: undefined, taxRate: 10_001 }] },
      },
      "receipt.orderLines[0].taxRate",
    ],
    [
      "a fractional taxRate",
      {
        receipt: { ...receipt, orderLines: [{ ...receipt.orderLines[0], taxPercentage: undefined, taxRate: 2_500.5 }] },
      },
      "receipt.orderLines[0].taxRate",
    ],
    [
      "a null taxRate and no taxPercentage",
      { receipt: { ...receipt, orderLines: [{ ...receipt.orderLines[0], taxPercentage: undefined, taxRate: null }] } },
      "receipt.orderLines[0].taxRate",
    ],
    [
      "a line that does not add up",
      { receipt: { ...receipt, orderLines: [{ ...receipt.orderLines[0], totalTaxAmount: 2_001 }] } },
      "receipt.orderLines[0].totalAmount",
    ],
    [
      "an 11-character quantity",
      {
        receipt: {
          ...receipt,
          orderLines: [{ ...receipt.orderLines[0], unitInfo: { unitPrice: 100, quantity: "12345678901" } }],
        },
      },
      "receipt.orderLines[0].unitInfo.quantity",
    ],
    [
      "a numeric quantity",
      {
        receipt: { ...receipt, orderLines: [{ ...receipt.orderLines[0], unitInfo: { unitPrice: 100, quantity: 2 } }] },
      },
      "receipt.orderLines[0].unitInfo.quantity",
    ],
    [
      "a negative tipAmount",
      { receipt: { ...receipt, bottomLine: { currency: "NOK", tipAmount: -1 } } },
      "receipt.bottomLine.tipAmount",
    ],
    [
      "a string payment source",
      { receipt: { ...receipt, bottomLine: { currency: "NOK", paymentSources: { card: "100" } } } },
      "receipt.bottomLine.paymentSources.card",
    ],
    ["an unknown profile scope", { profile: { scope: "name shoeSize" } }, "profile.scope"],
    ["an unknown customerInteraction", { customerInteraction: "MAYBE" }, "customerInteraction"],
  ])("rejects %s", async (_label, overrides, field) => {
    const resolved: Record<string, unknown> = { ...overrides };
    if (typeof resolved.expiresAt === "string" && resolved.expiresAt.startsWith("+")) {
      const spec = resolved.expiresAt.slice(1);
      const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[spec.slice(-1)]!;
      resolved.expiresAt = new Date(h.clock.now() + Number(spec.slice(0, -1)) * unit).toISOString();
    }
    const response = await create(resolved);
    expect(response.status).toBe(400);
    expect(extraNames(response)).toContain(field);
  });

  it.each([
    ["DKK 1 øre", { amount: { value: 1, currency: "DKK" } }],
    ["EUR 1 cent", { amount: { value: 1, currency: "EUR" } }],
    ["NOK 1.00", { amount: { value: 100, currency: "NOK" } }],
    ["a custom-scheme returnUrl", { userFlow: "WEB_REDIRECT", returnUrl: "kassa-app://done" }],
    [
      "CARD with WEB_REDIRECT",
      { userFlow: "WEB_REDIRECT", returnUrl: "https://shop.example", paymentMethod: { type: "CARD" } },
    ],
    [
      "a personal QR customer",
      { userFlow: "PUSH_MESSAGE", customer: { personalQr: "https://qr.vipps.no/28/2/01/031/4791234567" } },
    ],
    [
      "a receipt with unit info and taxRate",
      {
        receipt: {
          orderLines: [
            {
              name: "Apples",
              id: "a",
              totalAmount: 10_000,
              totalAmountExcludingTax: 8_000,
              totalTaxAmount: 2_000,
              taxRate: 2500,
              unitInfo: { unitPrice: 4_000, quantity: "2.5", quantityUnit: "KG" },
            },
          ],
          bottomLine: { currency: "NOK", tipAmount: 0 },
        },
      },
    ],
    ["null metadata and qrFormat", { metadata: null, qrFormat: null }],
    [
      "a receipt with taxRate only, a 10-character quantity, tip, payment sources, posId and receipt number",
      {
        receipt: {
          orderLines: [
            {
              name: "Cheese",
              id: "c",
              totalAmount: 12_000,
              totalAmountExcludingTax: 9_600,
              totalTaxAmount: 2_400,
              taxRate: 2_500,
              unitInfo: { unitPrice: 20_000, quantity: "0.60000000", quantityUnit: "KG" },
            },
          ],
          bottomLine: {
            currency: "NOK",
            posId: "till-1",
            receiptNumber: "000042",
            tipAmount: 1_000,
            paymentSources: { card: 12_000, cash: null, giftCard: 0, voucher: 0 },
          },
        },
      },
    ],
    [
      "a receipt with a return line",
      {
        receipt: {
          orderLines: [
            {
              name: "Returned mug",
              id: "m",
              totalAmount: 5_000,
              totalAmountExcludingTax: 4_000,
              totalTaxAmount: 1_000,
              taxRate: 2_500,
              isReturn: true,
            },
            {
              name: "Mug",
              id: "m2",
              totalAmount: 15_000,
              totalAmountExcludingTax: 12_000,
              totalTaxAmount: 3_000,
              taxRate: 2_500,
            },
          ],
          bottomLine: { currency: "NOK" },
        },
      },
    ],
    // ePayment 1.7 references: 8–64 characters (../shared/research/VIPPS-FACTS.md; vippsas/agent-toolkit
    // plugins/vipps-developer/skills/epayment/SKILL.md). The 1.4.1 spec file still says 50.
    ["a 64-character reference", { reference: `ref-${"x".repeat(60)}` }],
    ["minimumUserAge", { minimumUserAge: 18 }],
  ])("accepts %s", async (_label, overrides) => {
    const response = await create(overrides);
    expect(response.status).toBe(201);
  });

  it("names the order line that does not add up, with its three amounts, in a Vipps-style problem", async () => {
    // totalAmount includes tax, totalAmountExcludingTax excludes it, totalTaxAmount is the tax (the field
    // descriptions of OrderLine in ../shared/vipps/spec/order-management-2.3.24.yaml).
    const lines = [receipt.orderLines[0], { ...receipt.orderLines[0], id: "c2", totalAmountExcludingTax: 7_999 }];
    const response = await create({ receipt: { ...receipt, orderLines: lines } });
    expect(response.status).toBe(400);
    expect(response.contentType).toBe("application/problem+json");
    expect(response.body).toMatchObject({ type: PROBLEM_TYPES.validation, status: 400, traceId: expect.any(String) });
    expect(response.body.extraDetails).toEqual([
      {
        name: "receipt.orderLines[1].totalAmount",
        reason: "totalAmount (10000) must equal totalAmountExcludingTax (7999) + totalTaxAmount (2000).",
      },
    ]);
  });

  it("rejects malformed JSON with 400, a non-JSON content type with 415 and a missing body with 400", async () => {
    const malformed = await h.api("POST", "/epayment/v1/payments", undefined, {
      rawBody: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.type).toBe(PROBLEM_TYPES.malformedRequest);
    const text = await h.api("POST", "/epayment/v1/payments", undefined, {
      rawBody: JSON.stringify(h.paymentRequest()),
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);
    expect((await h.api("POST", "/epayment/v1/payments")).status).toBe(400);
  });

  it("rejects over-long Vipps-System-* headers", async () => {
    const response = await h.api("POST", "/epayment/v1/payments", h.paymentRequest(), {
      headers: { "Vipps-System-Name": "x".repeat(31) },
    });
    expect(response.status).toBe(400);
    expect(extraNames(response)).toEqual(["Vipps-System-Name"]);
  });
});

describe("423 Locked: a concurrent operation on the same payment", () => {
  // Sources: developer.vippsmobilepay.com/docs/knowledge-base/errors (423, retried with the same
  // Idempotency-Key) and vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/references/errors.md
  // (423: the payment is locked by a concurrent operation; 6160 "Order processing").
  const encoder = new TextEncoder();

  /** A capture whose body arrives only when `finish` is called: the operation holds its payment until then. */
  async function slowCapture(reference: string, value: number, idempotencyKey: string) {
    let finish!: () => void;
    let reading!: () => void;
    const bodyRead = new Promise<void>((resolve) => (reading = resolve));
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode('{"modificationAmount":'));
          finish = () => {
            controller.enqueue(encoder.encode(`${JSON.stringify({ value, currency: "NOK" })}}`));
            controller.close();
          };
        },
        // With no high-water mark, pulled only once the capture reads past what is queued.
        pull: () => reading(),
      },
      { highWaterMark: 0 },
    );
    const headers = await h.authHeaders({ "Idempotency-Key": idempotencyKey, "content-type": "application/json" });
    const init = { method: "POST", headers, body, duplex: "half" } as RequestInit;
    const answer = h.sim.handle(new Request(`${TEST_ORIGIN}/sim/epayment/v1/payments/${reference}/capture`, init));
    // The capture reads its body while it holds the payment.
    await bodyRead;
    return { finish, answer };
  }

  it("answers 423 problem+json to a cancel, refund, second capture or force approve while a capture is running, and does none of them", async () => {
    const { reference } = await h.authorizedPayment();
    const capture = await slowCapture(reference, 4_000, "slow-capture");

    for (const [label, attempt] of [
      ["cancel", () => h.cancel(reference)],
      ["refund", () => h.refund(reference, 100)],
      ["capture with the same key", () => h.capture(reference, 4_000, "slow-capture")],
      ["force approve", () => approve(reference)],
    ] as const) {
      const locked = await attempt();
      expect(locked.status, label).toBe(423);
      expect(locked.contentType, label).toBe("application/problem+json");
      expect(locked.body, label).toMatchObject({
        status: 423,
        title: "Order processing",
        traceId: expect.any(String),
        extraDetails: [{ name: "reference" }],
      });
    }
    // Other payments are not held, and reading this one is not an operation on it.
    const other = await h.authorizedPayment();
    expect((await h.capture(other.reference, 1_000)).status).toBe(200);
    expect((await h.getPayment(reference)).status).toBe(200);

    capture.finish();
    const done = await capture.answer;
    expect(done.status).toBe(200);
    expect(((await done.json()) as { aggregate: unknown }).aggregate).toEqual(aggregate(10_000, 0, 4_000, 0));
    // Nothing refused was done: only the capture happened.
    expect(await eventNames(reference)).toEqual(["CREATED", "AUTHORIZED", "CAPTURED"]);

    // Once the lock is gone, retries with the same keys go through: the capture is replayed, the cancel done.
    expect((await h.capture(reference, 4_000, "slow-capture")).body.aggregate).toEqual(aggregate(10_000, 0, 4_000, 0));
    expect((await h.cancel(reference)).body.aggregate).toEqual(aggregate(10_000, 6_000, 4_000, 0));
  });

  it("a refused operation releases the payment too: a bad body, then the next operation goes through", async () => {
    const { reference } = await h.authorizedPayment();
    const bad = await h.api("POST", `/epayment/v1/payments/${reference}/capture`, undefined, {
      rawBody: "{",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect((await h.capture(reference, 10_000)).status).toBe(200);
  });

  it("the Vipps client retries the 423 with the same key and gets the capture's result once the lock is gone", async () => {
    const { createVippsClient } = await import("@/lib/vipps/client");
    const { AccessTokenCache } = await import("@/lib/vipps/access-token");
    const { reference } = await h.authorizedPayment();
    const capture = await slowCapture(reference, 10_000, "client-capture");
    const sleeps: number[] = [];
    const client = createVippsClient({
      baseUrl: `${TEST_ORIGIN}/sim`,
      credentials: h.credentials,
      fetch: (input, init) => h.sim.handle(new Request(input, init)),
      tokenCache: new AccessTokenCache(),
      random: () => 0,
      sleep: async (ms) => {
        sleeps.push(ms);
        capture.finish();
        await capture.answer;
      },
    });
    const result = await client.capturePayment(
      reference,
      { modificationAmount: { value: 10_000, currency: "NOK" } },
      { idempotencyKey: "client-capture" },
    );
    expect(result.aggregate.capturedAmount.value).toBe(10_000);
    expect(sleeps).toEqual([100]);
    expect(
      (await h.getEvents(reference)).body.filter((event: { name: string }) => event.name === "CAPTURED"),
    ).toHaveLength(1);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After after 5 captures of one payment within a minute", async () => {
    await h.stop();
    h = createHarness({ rateLimits: true });
    const { reference } = await h.authorizedPayment();
    for (let i = 0; i < 5; i++) expect((await h.capture(reference, 100)).status).toBe(200);
    const limited = await h.capture(reference, 100);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    h.clock.advance(60_000);
    expect((await h.capture(reference, 100)).status).toBe(200);
  });

  it("limits create, cancel and refund to 5 and the event log to 120 a minute per payment, each 429 with Retry-After", async () => {
    // Sources: ../shared/vipps/EPAYMENT-API.md §6 and vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/
    // references/errors.md (the rate-limit table; respect any Retry-After).
    await h.stop();
    h = createHarness({ rateLimits: true });
    const expectLimited = (response: { status: number; headers: Headers }, label: string) => {
      expect(response.status, label).toBe(429);
      const seconds = Number(response.headers.get("retry-after"));
      expect(seconds, label).toBeGreaterThanOrEqual(1);
      expect(seconds, label).toBeLessThanOrEqual(60);
    };
    const request = h.paymentRequest();
    for (let i = 0; i < 5; i++) await h.api("POST", "/epayment/v1/payments", request);
    expectLimited(await h.api("POST", "/epayment/v1/payments", request), "create");

    const created = await h.createPayment();
    for (let i = 0; i < 5; i++) await h.cancel(created.reference);
    expectLimited(await h.cancel(created.reference), "cancel");

    const { reference } = await h.authorizedPayment();
    await h.capture(reference, 10_000);
    for (let i = 0; i < 5; i++) expect((await h.refund(reference, 100)).status).toBe(200);
    expectLimited(await h.refund(reference, 100), "refund");

    for (let i = 0; i < 120; i++) await h.getEvents(reference);
    expectLimited(await h.getEvents(reference), "events");
  });

  it("allows polling GET payment 120 times a minute per reference", async () => {
    await h.stop();
    h = createHarness({ rateLimits: true });
    const { reference } = await h.createPayment();
    for (let i = 0; i < 120; i++) expect((await h.getPayment(reference)).status).toBe(200);
    expect((await h.getPayment(reference)).status).toBe(429);
    // Another reference has its own budget.
    const other = await h.createPayment();
    expect((await h.getPayment(other.reference)).status).toBe(200);
  });
});
