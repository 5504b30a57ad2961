import { afterEach, describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "@/lib/vipps/webhook-signature";
import { createHarness, type Harness, TEST_PUBLIC_URL } from "../support/simulator-harness";

let h: Harness;
afterEach(async () => {
  await h.stop();
});

const HOOK_URL = "https://merchant.example/api/webhooks/vipps";
const PHONE = "4791234567";

async function putSticker(id = "till-1", locationDescription = "Kasse 1") {
  const response = await h.api("PUT", `/qr/v1/merchant-callback/${id}`, { locationDescription });
  expect(response.status).toBe(200);
}

async function scan(id: string, phoneNumber = PHONE) {
  const response = await h.send("POST", `/_sim/stickers/${id}/scan`, { body: { phoneNumber } });
  expect(response.status).toBe(200);
  await h.sim.runDueWork();
  return response.body as { customerToken: string; merchantQrId: string; msn: string; initiatedAt: string };
}

const pushPayment = (customer: Record<string, string>) =>
  h.api("POST", "/epayment/v1/payments", h.paymentRequest({ userFlow: "PUSH_MESSAGE", qrFormat: undefined, customer }));

describe("QR API merchant callback endpoints", () => {
  it("creates, reads, lists, renames and deletes a sticker, keeping its content", async () => {
    h = createHarness();
    await putSticker("till-1", "Kasse 1");
    const first = await h.api("GET", "/qr/v1/merchant-callback/till-1");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      merchantSerialNumber: h.credentials.msn,
      merchantQrId: "till-1",
      locationDescription: "Kasse 1",
      qrContent: `${TEST_PUBLIC_URL}/sim/sticker/${h.credentials.msn}/till-1`,
    });

    await putSticker("till-1", "Kasse 2");
    const renamed = await h.api("GET", "/qr/v1/merchant-callback/till-1");
    expect(renamed.body.locationDescription).toBe("Kasse 2");
    expect(renamed.body.qrContent).toBe(first.body.qrContent);

    const list = await h.api("GET", "/qr/v1/merchant-callback");
    expect(list.body.map((qr: { merchantQrId: string }) => qr.merchantQrId)).toEqual(["till-1"]);

    expect((await h.api("DELETE", "/qr/v1/merchant-callback/till-1")).status).toBe(200);
    expect((await h.api("GET", "/qr/v1/merchant-callback/till-1")).status).toBe(404);
    expect((await h.api("DELETE", "/qr/v1/merchant-callback/till-1")).status).toBe(404);
  });

  it("requires the keys and the Merchant-Serial-Number header, and a location of at most 36 characters", async () => {
    h = createHarness();
    const unauthenticated = await h.send("GET", "/qr/v1/merchant-callback");
    expect(unauthenticated.status).toBe(401);
    const headers = await h.authHeaders();
    delete headers["Merchant-Serial-Number"];
    const withoutMsn = await h.send("GET", "/qr/v1/merchant-callback", { headers });
    expect(withoutMsn.status).toBe(400);
    const tooLong = await h.api("PUT", "/qr/v1/merchant-callback/till-1", { locationDescription: "x".repeat(37) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.extraDetails[0].name).toBe("LocationDescription");
  });
});

describe("a scan of the sticker", () => {
  it("sends the signed user.checked-in.v1 webhook to the sales unit's registration for it", async () => {
    h = createHarness();
    const epaymentOnly = await h.registerWebhook("https://other.example/hook");
    const hook = await h.registerWebhook(HOOK_URL, ["user.checked-in.v1"]);
    await putSticker("till-1");
    h.clock.advance(5_000);
    const checkIn = await scan("till-1");

    expect(h.received.map((delivery) => delivery.url)).toEqual([HOOK_URL]);
    const delivery = h.received[0]!;
    const body = JSON.parse(delivery.body);
    expect(body).toEqual({
      customerToken: checkIn.customerToken,
      merchantQrId: "till-1",
      msn: h.credentials.msn,
      initiatedAt: checkIn.initiatedAt,
    });
    // On the simulator's clock, which the test moved five seconds ahead of the real one.
    expect(Date.parse(body.initiatedAt) - Date.now()).toBeGreaterThan(4_000);
    expect(Buffer.from(body.customerToken, "base64").toString("base64")).toBe(body.customerToken);
    const url = new URL(HOOK_URL);
    const verified = verifyWebhookSignature({
      secret: hook.secret,
      pathAndQuery: url.pathname,
      host: url.host,
      headers: delivery.headers,
      rawBody: delivery.body,
      nowMs: h.clock.now(),
    });
    expect(verified.ok).toBe(true);
    expect(epaymentOnly.id).not.toBe(hook.id);
  });

  it("answers 404 for an unknown sticker and 400 for a bad phone number", async () => {
    h = createHarness();
    await putSticker("till-1");
    expect((await h.send("POST", "/_sim/stickers/nope/scan", { body: { phoneNumber: PHONE } })).status).toBe(404);
    expect((await h.send("POST", "/_sim/stickers/till-1/scan", { body: { phoneNumber: "123" } })).status).toBe(400);
  });

  it("is a form on the sticker's page that checks in as the phone and opens that phone", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["user.checked-in.v1"]);
    await putSticker("till-1", "Kasse 1");
    const page = await h.send("GET", `/sticker/${h.credentials.msn}/till-1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Kasse 1");
    const posted = await h.send("POST", `/sticker/${h.credentials.msn}/till-1/scan`, {
      rawBody: `phoneNumber=${PHONE}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(posted.status).toBe(303);
    expect(posted.headers.get("location")).toBe(`/sim/phone/${PHONE}`);
    await h.sim.runDueWork();
    expect(JSON.parse(h.received[0]!.body).merchantQrId).toBe("till-1");
  });
});

describe("the phone's own page", () => {
  it("scans a sticker's content as that phone, and refuses what is no sticker", async () => {
    h = createHarness();
    await h.registerWebhook(HOOK_URL, ["user.checked-in.v1"]);
    await putSticker("till-1");
    const { qrContent } = (await h.api("GET", "/qr/v1/merchant-callback/till-1")).body as { qrContent: string };
    const form = (sticker: string) => ({
      rawBody: new URLSearchParams({ sticker }).toString(),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    const phonePage = await h.send("GET", `/phone/${PHONE}`);
    expect(phonePage.text).toContain('data-testid="phone-scan-sticker"');
    const scanned = await h.send("POST", `/phone/${PHONE}/scan-sticker`, form(qrContent));
    expect(scanned.status).toBe(303);
    await h.sim.runDueWork();
    expect(h.received).toHaveLength(1);
    expect(JSON.parse(h.received[0]!.body)).toMatchObject({ merchantQrId: "till-1", msn: h.credentials.msn });
    expect((await h.send("POST", `/phone/${PHONE}/scan-sticker`, form("https://example.com/x"))).status).toBe(400);
  });
});

describe("payments to a scanning customer", () => {
  it("pushes a payment named by the check-in's customer token to the phone that scanned", async () => {
    h = createHarness();
    await putSticker("till-1");
    const { customerToken } = await scan("till-1");
    const created = await pushPayment({ customerToken });
    expect(created.status).toBe(201);
    expect(created.body.redirectUrl).toBeUndefined();
    const inbox = await h.send("GET", `/phone/${PHONE}`);
    expect(inbox.text).toContain('data-testid="push-request"');
    const otherPhone = await h.send("GET", "/phone/4798765432");
    expect(otherPhone.text).not.toContain('data-testid="push-request"');
  });

  it("refuses a customer token after 15 minutes on the simulator's clock, and an unknown one", async () => {
    h = createHarness();
    await putSticker("till-1");
    const { customerToken } = await scan("till-1");
    // The harness clock runs on with real time too, so the last check is a moment before the end.
    h.clock.advance(15 * 60 * 1000 - 2_000);
    expect((await pushPayment({ customerToken })).status).toBe(201);
    h.clock.advance(2_000);
    const expired = await pushPayment({ customerToken });
    expect(expired.status).toBe(400);
    expect(expired.body.extraDetails).toEqual([
      { name: "customer.customerToken", reason: "The customer token has expired." },
    ]);
    const unknown = await pushPayment({ customerToken: "bm90IGEgdG9rZW4=" });
    expect(unknown.status).toBe(400);
  });

  it("pushes a payment named by the phone's personal QR, shown on the phone's page, to that phone", async () => {
    h = createHarness();
    const phonePage = await h.send("GET", `/phone/${PHONE}`);
    const content = /data-testid="personal-qr-content">([^<]+)</.exec(phonePage.text)?.[1];
    expect(content).toBe(`${TEST_PUBLIC_URL}/sim/personal-qr/${PHONE}?v=1`);
    expect(phonePage.text).toContain("<svg");
    expect((await pushPayment({ personalQr: content! })).status).toBe(201);
    expect((await h.send("GET", `/phone/${PHONE}`)).text).toContain('data-testid="push-request"');
    const bogus = await pushPayment({ personalQr: "https://example.com/not-a-personal-qr" });
    expect(bogus.status).toBe(400);
    expect(bogus.body.extraDetails[0].name).toBe("customer.personalQr");
  });
});
