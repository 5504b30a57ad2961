/**
 * GET /_sim/requests: how many requests each route answered, by method and route pattern, so a
 * benchmark can count an app's polls per sale. Only with the test controls on.
 */
import { afterEach, describe, expect, it } from "vitest";
import { RequestCounts } from "@/lib/simulator/request-counts";
import { createHarness, type Harness } from "../support/simulator-harness";

let h: Harness;
afterEach(async () => {
  await h.stop();
});

describe("simulator request counts", () => {
  it("counts each routed request under its method and route pattern", async () => {
    h = createHarness({ controls: true });
    const payment = await h.createPayment();
    await h.getPayment(payment.reference);
    await h.getPayment(payment.reference);
    await h.send("GET", "/no/such/path");
    const { status, body } = await h.send("GET", "/_sim/requests");
    expect(status).toBe(200);
    expect(body.requests["GET /epayment/v1/payments/:reference"]).toBe(2);
    expect(body.requests["POST /epayment/v1/payments"]).toBe(1);
    expect(body.requests["POST /accesstoken/get"]).toBe(1);
    // Unknown paths match no route and are not counted; each read of the counts counts itself.
    expect(Object.keys(body.requests).some((key) => key.includes("no/such"))).toBe(false);
    expect((await h.send("GET", "/_sim/requests")).body.requests["GET /_sim/requests"]).toBe(2);
  });

  it("is not there without the test controls", async () => {
    h = createHarness({ controls: false });
    expect((await h.send("GET", "/_sim/requests")).status).toBe(404);
  });

  it("keeps counts per method and pattern", () => {
    const counts = new RequestCounts();
    counts.record("GET", "/a/:id");
    counts.record("GET", "/a/:id");
    counts.record("POST", "/a/:id");
    expect(counts.snapshot()).toEqual({ "GET /a/:id": 2, "POST /a/:id": 1 });
  });
});
