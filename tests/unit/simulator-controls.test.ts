/**
 * The /_sim test controls exist only with `controls: true`. Without them every /_sim path answers
 * like a path that was never there, while the Vipps API (including its own test approve) and the
 * customer's phone page keep working.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PROBLEM_TYPES } from "@/lib/simulator";
import { createHarness, type Harness } from "../support/simulator-harness";

let h: Harness;
afterEach(async () => {
  await h.stop();
});

const CONTROL_REQUESTS: [string, string][] = [
  ["GET", "/_sim/clock"],
  ["POST", "/_sim/clock/advance"],
  ["GET", "/_sim/webhook-faults"],
  ["PUT", "/_sim/webhook-faults"],
  ["GET", "/_sim/faults"],
  ["PUT", "/_sim/faults"],
  ["DELETE", "/_sim/faults"],
  ["GET", "/_sim/deliveries"],
  ["GET", "/_sim/payments/ref-controls-1"],
  ["POST", "/_sim/payments/ref-controls-1/approve"],
  ["POST", "/_sim/payments/ref-controls-1/reject"],
  ["POST", "/_sim/payments/ref-controls-1/expire"],
  ["POST", "/_sim/run-due-work"],
  ["GET", "/_sim/report/config"],
  ["PUT", "/_sim/report/config"],
  ["POST", "/_sim/report/entries"],
  // A wrong method must not give the route away with a 405 either.
  ["DELETE", "/_sim/clock"],
];

describe("simulator test controls", () => {
  it("are off by default: every /_sim path is a 404 shaped like an unknown path", async () => {
    h = createHarness({ controls: false });
    const unknown = await h.send("GET", "/no/such/path");
    for (const [method, path] of CONTROL_REQUESTS) {
      const response = await h.send(method, path, method === "GET" ? {} : { body: { ms: 1000, mode: "drop" } });
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.contentType).toBe(unknown.contentType);
      expect(Object.keys(response.body).sort()).toEqual(Object.keys(unknown.body).sort());
      expect(response.body).toMatchObject({ type: PROBLEM_TYPES.notFound, title: "Not Found", status: 404 });
      expect(response.body.detail).toBe(`No simulator route for ${method} /sim${path}.`);
      expect(response.headers.get("allow")).toBeNull();
    }
  });

  it("without controls, the API, its own test approve, the phone page and the QR images still work", async () => {
    h = createHarness({ controls: false });
    const page = await h.createPayment();
    const phone = await h.send("GET", new URL(page.redirectUrl!).pathname.replace(/^\/sim/, ""));
    expect(phone.status).toBe(200);
    expect(phone.contentType).toContain("text/html");

    const image = await h.createPayment({ qrFormat: { format: "IMAGE/SVG+XML" } });
    expect((await h.send("GET", new URL(image.redirectUrl!).pathname.replace(/^\/sim/, ""))).status).toBe(200);

    const approved = await h.authorizedPayment();
    expect((await h.getPayment(approved.reference)).body.state).toBe("AUTHORIZED");
    expect((await h.capture(approved.reference, 10_000)).status).toBe(200);
  });

  it("answer when enabled", async () => {
    h = createHarness({ controls: true });
    expect((await h.send("GET", "/_sim/clock")).status).toBe(200);
    expect((await h.send("POST", "/_sim/run-due-work")).status).toBe(200);
    expect((await h.send("GET", "/_sim/faults")).status).toBe(200);
    expect((await h.send("DELETE", "/_sim/clock")).status).toBe(405);
  });
});
