/**
 * The test environment's special amounts in the simulator: paying one in the (simulated) app gives a
 * fixed failure instead of an approval, while force approve ignores them.
 *
 * Sources: vippsas/agent-toolkit plugins/vipps-developer/skills/test-and-go-live/SKILL.md (the amounts
 * and their results, 197 and 202 Norway only); vippsas/vipps-developers developer-resources/test-environment.md
 * (the same amounts as 1.51–2.02, and that force approve does not apply them); and the payment FAQ,
 * developer.vippsmobilepay.com/docs/knowledge-base/payment-faq (after a card failure the user can retry,
 * so the payment is not over).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TEST_AMOUNTS, testAmountOutcome } from "@/lib/simulator/payments";
import { createHarness, type Harness } from "../support/simulator-harness";

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.stop();
});

const simPath = (url: string) => new URL(url).pathname.replace(/^\/sim/, "");
const nok = (value: number) => ({ value, currency: "NOK" });
const eventNames = async (reference: string) =>
  ((await h.getEvents(reference)).body as { name: string }[]).map((event) => event.name);

/** Follows a form on the phone's result page as a browser would: its action resolved against the page URL. */
function formTarget(html: string, testId: string, pageUrl: string): string {
  const match = new RegExp(`<form method="post" action="([^"]+)"><button[^>]*data-testid="${testId}"`).exec(html);
  if (!match) throw new Error(`no ${testId} form in ${html}`);
  return new URL(match[1]!, `http://sim.local/sim${pageUrl}`).pathname.replace(/^\/sim/, "");
}

describe("the documented test amounts", () => {
  it("are the nine approval amounts, in minor units", () => {
    expect([...TEST_AMOUNTS.keys()]).toEqual([151, 182, 183, 184, 186, 187, 197, 201, 202]);
    expect(testAmountOutcome(nok(151))).toEqual({ result: "declined", reason: "Insufficient funds" });
    expect(testAmountOutcome(nok(186))).toEqual({ result: "declined", reason: "Expired card" });
    expect(testAmountOutcome(nok(201))).toEqual({ result: "unknown", reason: "Unknown result" });
    // Neighbours and larger amounts ending alike are ordinary amounts.
    for (const value of [150, 152, 185, 1_510, 15_100, 20_100])
      expect(testAmountOutcome(nok(value)), String(value)).toBeUndefined();
    // 3-D Secure and strong customer authentication are Norwegian only.
    expect(testAmountOutcome({ value: 197, currency: "DKK" })).toBeUndefined();
    expect(testAmountOutcome({ value: 202, currency: "EUR" })).toBeUndefined();
    expect(testAmountOutcome({ value: 151, currency: "DKK" })).toEqual({
      result: "declined",
      reason: "Insufficient funds",
    });
  });

  it.each([
    [151, "Insufficient funds"],
    [182, "Refused by the card issuer"],
    [183, "Suspected fraud"],
    [184, "Withdrawal limit exceeded"],
    [186, "Expired card"],
    [187, "Invalid card"],
    [197, "3-D Secure denied"],
    [202, "Strong customer authentication required"],
  ])(
    "Pay on %i in the app fails with %s; the payment stays CREATED and nothing is logged or sent",
    async (value, reason) => {
      const hook = await h.registerWebhook();
      const { reference, redirectUrl } = await h.createPayment({ amount: nok(value) });
      const base = simPath(redirectUrl!);
      const pay = await h.send("POST", `${base}/approve`);
      expect(pay.status).toBe(303);
      const result = await h.send("GET", `${base}/result`);
      expect(result.status).toBe(200);
      expect(result.text).toMatch(
        /data-testid="phone-result" data-state="CREATED" data-test-amount="declined">Payment failed</,
      );
      expect(result.text).toContain(`${reason}. Nothing was charged.`);
      expect((await h.getPayment(reference)).body).toMatchObject({
        state: "CREATED",
        aggregate: { authorizedAmount: nok(0) },
      });
      expect(await eventNames(reference)).toEqual(["CREATED"]);
      await h.sim.runDueWork();
      const names = h.received
        .filter((delivery) => delivery.url === hook.url)
        .map((delivery) => (JSON.parse(delivery.body) as { name: string }).name);
      expect(names).toEqual(["CREATED"]);
    },
  );

  it("Try again fails the same way; Cancel payment declines it (ABORTED), as the user would in the app", async () => {
    const { reference, redirectUrl } = await h.createPayment({ amount: nok(151) });
    const base = simPath(redirectUrl!);
    await h.send("POST", `${base}/approve`);
    const resultPath = `${base}/result`;
    const failed = (await h.send("GET", resultPath)).text;

    const retry = await h.send("POST", formTarget(failed, "phone-retry", resultPath));
    expect(retry.status).toBe(303);
    expect(retry.headers.get("location")).toBe(`/sim${resultPath}`);
    expect((await h.getPayment(reference)).body.state).toBe("CREATED");

    const cancel = await h.send("POST", formTarget(failed, "phone-cancel", resultPath));
    expect(cancel.status).toBe(303);
    expect((await h.getPayment(reference)).body.state).toBe("ABORTED");
    expect(await eventNames(reference)).toEqual(["CREATED", "ABORTED"]);
    expect((await h.send("GET", resultPath)).text).toMatch(/data-state="ABORTED">Payment declined</);
  });

  it("201 leaves the result unknown: no approval, no failure to act on, and the payment expires as usual", async () => {
    const { reference, redirectUrl } = await h.createPayment({ amount: nok(201) });
    const base = simPath(redirectUrl!);
    await h.send("POST", `${base}/approve`);
    const result = (await h.send("GET", `${base}/result`)).text;
    expect(result).toMatch(/data-test-amount="unknown">Result unknown</);
    expect(result).not.toContain("phone-retry");
    expect((await h.getPayment(reference)).body.state).toBe("CREATED");
    h.clock.advance(10 * 60_000);
    await h.sim.runDueWork();
    expect((await h.getPayment(reference)).body.state).toBe("EXPIRED");
  });

  it("the /_sim approve control acts like the app: the payment stays CREATED and the debug view says why", async () => {
    const { reference } = await h.createPayment({ amount: nok(187) });
    const response = await h.send("POST", `/_sim/payments/${reference}/approve`);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      state: "CREATED",
      testAmount: { result: "declined", reason: "Invalid card" },
    });
    // The reject control still declines it.
    expect((await h.send("POST", `/_sim/payments/${reference}/reject`)).body.state).toBe("ABORTED");
  });

  it("force approve (the test API) ignores test amounts and authorizes", async () => {
    const { reference } = await h.createPayment({ amount: nok(151) });
    const approve = await h.api("POST", `/epayment/v1/test/payments/${reference}/approve`, undefined, {
      idempotencyKey: null,
    });
    expect(approve.status).toBe(200);
    expect((await h.getPayment(reference)).body).toMatchObject({
      state: "AUTHORIZED",
      aggregate: { authorizedAmount: nok(151) },
    });
  });

  it("ordinary amounts and the Norwegian-only amounts in other currencies are approved on the phone", async () => {
    for (const amount of [nok(150), nok(15_100), { value: 197, currency: "DKK" }, { value: 202, currency: "EUR" }]) {
      const { reference, redirectUrl } = await h.createPayment({ amount });
      await h.send("POST", `${simPath(redirectUrl!)}/approve`);
      expect((await h.getPayment(reference)).body.state, JSON.stringify(amount)).toBe("AUTHORIZED");
    }
  });
});
