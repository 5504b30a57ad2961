import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeGreyscalePng, qrMatrix, renderQrSvg } from "@/lib/simulator/qr";
import { createHarness, type Harness } from "../support/simulator-harness";

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(async () => {
  await h.stop();
});

const simPath = (url: string) => new URL(url).pathname.replace(/^\/sim/, "");
const receipt = {
  orderLines: [
    {
      name: "Cappuccino <large>",
      id: "cap",
      totalAmount: 9_000,
      totalAmountExcludingTax: 7_200,
      totalTaxAmount: 1_800,
      taxRate: 2500,
      unitInfo: { unitPrice: 4_500, quantity: "2", quantityUnit: "PCS" },
    },
    {
      name: "Cinnamon bun",
      id: "bun",
      totalAmount: 4_500,
      totalAmountExcludingTax: 3_600,
      totalTaxAmount: 900,
      taxPercentage: 25,
    },
  ],
  bottomLine: { currency: "NOK", posId: "till-1", tipAmount: 500 },
};

function decodePng(bytes: Buffer): { width: number; height: number; text: string | undefined } {
  const png = PNG.sync.read(bytes);
  const code = jsQR(
    new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length),
    png.width,
    png.height,
  );
  return { width: png.width, height: png.height, text: code?.data };
}

describe("QR images", () => {
  it("serves an SVG image for IMAGE/SVG+XML that encodes the phone page URL", async () => {
    const { reference, redirectUrl } = await h.createPayment({ qrFormat: { format: "IMAGE/SVG+XML" } });
    const image = await h.send("GET", simPath(redirectUrl!));
    expect(image.status).toBe(200);
    expect(image.contentType).toBe("image/svg+xml");
    expect(image.text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
    expect(image.text).toContain('xmlns="http://www.w3.org/2000/svg"');
    const phonePageUrl = (await h.send("GET", `/_sim/payments/${reference}`)).body.phonePageUrl as string;
    // The SVG draws exactly the modules of a QR code for the phone page URL.
    const expected = renderQrSvg(phonePageUrl);
    expect(image.text).toBe(expected);
  });

  it("serves a PNG of the requested size (default 1024) that a QR reader decodes to the phone page URL", async () => {
    const sized = await h.createPayment({ qrFormat: { format: "IMAGE/PNG", size: 300 } });
    const response = await h.sim.handle(new Request(`http://sim.local${new URL(sized.redirectUrl!).pathname}`));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    const decoded = decodePng(Buffer.from(await response.arrayBuffer()));
    const phonePageUrl = (await h.send("GET", `/_sim/payments/${sized.reference}`)).body.phonePageUrl as string;
    expect(decoded).toEqual({ width: 300, height: 300, text: phonePageUrl });
    expect(phonePageUrl).toMatch(/^http:\/\/192\.168\.1\.20:3000\/sim\/qr\/[\w-]{32}$/);

    const byDefault = await h.createPayment({ qrFormat: { format: "IMAGE/PNG" } });
    const big = await h.sim.handle(new Request(`http://sim.local${new URL(byDefault.redirectUrl!).pathname}`));
    const decodedBig = decodePng(Buffer.from(await big.arrayBuffer()));
    expect(decodedBig.width).toBe(1024);
    expect(decodedBig.text).toMatch(/\/sim\/qr\/[\w-]{32}$/);
  });

  it("stops serving the image once the payment is no longer CREATED, and for unknown tokens", async () => {
    const authorized = await h.createPayment({ qrFormat: { format: "IMAGE/PNG", size: 100 } });
    await h.send("POST", `/_sim/payments/${authorized.reference}/approve`);
    expect((await h.send("GET", simPath(authorized.redirectUrl!))).status).toBe(404);
    const cancelled = await h.createPayment({ qrFormat: { format: "IMAGE/SVG+XML" } });
    await h.cancel(cancelled.reference);
    expect((await h.send("GET", simPath(cancelled.redirectUrl!))).status).toBe(404);
    const unknown = await h.send("GET", "/qr-image/abcdefabcdefabcdefabcdefabcdefab.svg");
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toBe("application/problem+json");
  });

  it("writes valid PNGs with its own encoder", () => {
    const pixels = Buffer.from([0, 255, 255, 0, 128, 64]);
    const png = PNG.sync.read(encodeGreyscalePng(3, 2, pixels));
    expect([png.width, png.height]).toEqual([3, 2]);
    // pngjs expands to RGBA: check the red channel of each pixel.
    expect([...Array(6).keys()].map((i) => png.data[i * 4])).toEqual([0, 255, 255, 0, 128, 64]);
  });

  it("reads a square module matrix with finder patterns from QRCodeSVG", () => {
    const matrix = qrMatrix("http://192.168.1.20:3000/sim/qr/token");
    expect(matrix.length).toBeGreaterThanOrEqual(21);
    expect(matrix.every((row) => row.length === matrix.length)).toBe(true);
    // Top-left finder pattern: a 7×7 dark ring.
    expect(matrix[0]!.slice(0, 7)).toEqual(Array(7).fill(true));
    expect(matrix[1]!.slice(0, 7)).toEqual([true, false, false, false, false, false, true]);
  });
});

describe("the simulated phone page", () => {
  it("shows merchant, amount, description, receipt lines and Pay/Decline forms", async () => {
    const { redirectUrl } = await h.createPayment({
      amount: { value: 14_000, currency: "NOK" },
      paymentDescription: "Order 42 <script>alert(1)</script>",
      receipt,
    });
    const page = await h.send("GET", simPath(redirectUrl!));
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    const html = page.text;
    expect(html).toContain('<meta name="viewport"');
    expect(html).toContain("Kassa demo shop");
    expect(html).toContain("MSN 123456");
    const amount = new Intl.NumberFormat("nb-NO", { style: "currency", currency: "NOK" }).format(140);
    expect(html).toContain(`data-testid="phone-amount">${amount}<`);
    // Escaped, never executed.
    expect(html).toContain("Order 42 &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>");
    expect(html).toContain("Cappuccino &lt;large&gt;");
    expect(html).toContain("Cinnamon bun");
    expect(html.match(/data-testid="phone-order-line"/g)).toHaveLength(2);
    expect(html).toContain(new Intl.NumberFormat("nb-NO", { style: "currency", currency: "NOK" }).format(90));
    expect(html).toContain("Tip");
    const token = new URL(redirectUrl!).pathname.split("/").at(-1);
    expect(html).toMatch(
      new RegExp(`<form method="post" action="/sim/qr/${token}/approve"><button[^>]*data-testid="phone-pay"`),
    );
    expect(html).toMatch(
      new RegExp(`<form method="post" action="/sim/qr/${token}/decline"><button[^>]*data-testid="phone-decline"`),
    );
  });

  it("formats other currencies for their locale", async () => {
    const { redirectUrl } = await h.createPayment({ amount: { value: 1_250, currency: "EUR" } });
    const html = (await h.send("GET", simPath(redirectUrl!))).text;
    expect(html).toContain(new Intl.NumberFormat("en-IE", { style: "currency", currency: "EUR" }).format(12.5));
  });

  it("Pay approves the payment and redirects (303) to a 'Payment approved' result page", async () => {
    const { reference, redirectUrl } = await h.createPayment();
    const base = simPath(redirectUrl!);
    const pay = await h.send("POST", `${base}/approve`);
    expect(pay.status).toBe(303);
    expect(pay.headers.get("location")).toBe(`/sim${base}/result`);
    const result = await h.send("GET", `${base}/result`);
    expect(result.status).toBe(200);
    expect(result.text).toMatch(/data-testid="phone-result" data-state="AUTHORIZED">Payment approved</);
    expect((await h.getPayment(reference)).body.state).toBe("AUTHORIZED");
    const events = (await h.getEvents(reference)).body as { name: string }[];
    expect(events.map((e) => e.name)).toEqual(["CREATED", "AUTHORIZED"]);
    // Revisiting the QR shows the state instead of the buttons; paying again changes nothing.
    const again = await h.send("GET", base);
    expect(again.text).toContain('data-testid="phone-state"');
    expect(again.text).not.toContain("phone-pay");
    expect((await h.send("POST", `${base}/approve`)).status).toBe(303);
    expect(((await h.getEvents(reference)).body as unknown[]).length).toBe(2);
  });

  it("Decline aborts the payment and shows 'Payment declined'", async () => {
    const { reference, redirectUrl } = await h.createPayment();
    const base = simPath(redirectUrl!);
    const decline = await h.send("POST", `${base}/decline`);
    expect(decline.status).toBe(303);
    const result = await h.send("GET", decline.headers.get("location")!.replace(/^\/sim/, ""));
    expect(result.text).toMatch(/data-testid="phone-result" data-state="ABORTED">Payment declined</);
    expect((await h.getPayment(reference)).body.state).toBe("ABORTED");
  });

  it("shows 'Payment cancelled' when the shop cancelled before the customer pressed Pay", async () => {
    const { reference, redirectUrl } = await h.createPayment();
    await h.cancel(reference);
    const base = simPath(redirectUrl!);
    const pay = await h.send("POST", `${base}/approve`);
    expect(pay.status).toBe(303);
    const result = await h.send("GET", `${base}/result`);
    expect(result.text).toContain("Payment cancelled");
    expect((await h.getPayment(reference)).body.state).toBe("TERMINATED");
  });

  it("answers 404 once the payment has expired, and for unknown tokens", async () => {
    const { reference, redirectUrl } = await h.createPayment();
    const base = simPath(redirectUrl!);
    h.clock.advance(10 * 60 * 1000);
    const page = await h.send("GET", base);
    expect(page.status).toBe(404);
    expect(page.text).toContain('data-testid="phone-not-found"');
    expect((await h.send("POST", `${base}/approve`)).status).toBe(404);
    expect((await h.getPayment(reference)).body.state).toBe("EXPIRED");
    expect((await h.send("GET", "/qr/unknown-token")).status).toBe(404);
  });

  it("uses a token that does not reveal the reference or MSN", async () => {
    const { reference, redirectUrl } = await h.createPayment({ reference: "guessable-order-0001" });
    const token = new URL(redirectUrl!).pathname.split("/").at(-1)!;
    expect(token).toMatch(/^[\w-]{32}$/);
    expect(token).not.toContain("guessable");
    expect(Buffer.from(token, "base64url").toString("latin1")).not.toContain("123456");
    expect(reference).toBe("guessable-order-0001");
  });

  it("links back to the merchant's returnUrl for WEB_REDIRECT payments", async () => {
    const { redirectUrl } = await h.createPayment({
      userFlow: "WEB_REDIRECT",
      returnUrl: "https://shop.example/return?order=1",
      qrFormat: undefined,
    });
    // The landing link (pay.vipps.no for NOK) sends the phone on to the payment page.
    expect(redirectUrl).toMatch(/\/sim\/landing\/pay\.vipps\.no\?token=[\w-]{32}$/);
    const landing = await h.send("GET", simPath(redirectUrl!) + new URL(redirectUrl!).search);
    expect(landing.status).toBe(302);
    const base = simPath(new URL(landing.headers.get("location")!, redirectUrl).href);
    await h.send("POST", `${base}/approve`);
    const result = await h.send("GET", `${base}/result`);
    expect(result.text).toContain('href="https://shop.example/return?order=1"');
  });
});

describe("the brand change (MobilePay becomes Vipps)", () => {
  const landingHost = (url: string | undefined) => new URL(url!).pathname.split("/").at(-1);

  it("moves DKK and EUR landing links to pay.vipps.dk/.fi and the phone's name to Vipps at the switch, by the simulator's clock", async () => {
    await h.stop();
    h = createHarness({ brandSwitchAtMs: Date.now() + 60_000 });
    const redirect = (currency: string) => ({
      userFlow: "WEB_REDIRECT",
      returnUrl: "https://shop.example/r",
      qrFormat: undefined,
      amount: { value: 1_000, currency },
    });

    const dkkBefore = await h.createPayment(redirect("DKK"));
    const eurBefore = await h.createPayment(redirect("EUR"));
    expect([landingHost(dkkBefore.redirectUrl), landingHost(eurBefore.redirectUrl)]).toEqual([
      "pay.mobilepay.dk",
      "pay.mobilepay.fi",
    ]);
    const qr = await h.createPayment();
    const pageBefore = await h.send("GET", simPath(qr.redirectUrl!));
    expect(pageBefore.text).toContain('data-testid="phone-wallet">Vipps MobilePay<');

    // Past the switch, well inside the payments' lifetime (they stay payable).
    h.clock.advance(90_000);
    const dkkAfter = await h.createPayment(redirect("DKK"));
    const eurAfter = await h.createPayment(redirect("EUR"));
    const nokAfter = await h.createPayment(redirect("NOK"));
    expect([
      landingHost(dkkAfter.redirectUrl),
      landingHost(eurAfter.redirectUrl),
      landingHost(nokAfter.redirectUrl),
    ]).toEqual(["pay.vipps.dk", "pay.vipps.fi", "pay.vipps.no"]);
    const pageAfter = await h.send("GET", simPath(qr.redirectUrl!));
    expect(pageAfter.text).toContain('data-testid="phone-wallet">Vipps<');
    expect(pageAfter.text).not.toContain("MobilePay");

    // A link made before the switch keeps working after it, like Vipps' old domains do.
    const old = await h.send("GET", simPath(dkkBefore.redirectUrl!) + new URL(dkkBefore.redirectUrl!).search);
    expect(old.status).toBe(302);
  });

  it("answers a landing link on a domain that is not Vipps', or with an unknown token, with the not-found page", async () => {
    const { redirectUrl } = await h.createPayment({
      userFlow: "WEB_REDIRECT",
      returnUrl: "https://shop.example/r",
      qrFormat: undefined,
    });
    const token = new URL(redirectUrl!).searchParams.get("token");
    expect((await h.send("GET", `/landing/pay.example.com?token=${token}`)).status).toBe(404);
    expect((await h.send("GET", "/landing/pay.vipps.no?token=nope")).status).toBe(404);
  });
});

describe("routing", () => {
  it("answers unknown paths with 404 problem+json and wrong methods with 405", async () => {
    const unknown = await h.send("GET", "/nothing/here");
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toBe("application/problem+json");
    const outside = await h.sim.handle(new Request("http://sim.local/elsewhere/epayment/v1/payments"));
    expect(outside.status).toBe(404);
    const wrong = await h.api("DELETE", "/epayment/v1/payments");
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
  });

  it("answers HEAD like GET without a body", async () => {
    const { redirectUrl } = await h.createPayment();
    const response = await h.sim.handle(
      new Request(`http://sim.local${new URL(redirectUrl!).pathname}`, { method: "HEAD" }),
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("reports the clock at /_sim/clock", async () => {
    const response = await h.send("GET", "/_sim/clock");
    expect(response.body).toEqual({ now: expect.any(String), nowMs: expect.any(Number), adjustable: true });
  });
});
