// The live cart from a POS: PUT shows the basket on the display (no QR), DELETE returns it to
// idle, bad carts are refused like bad sales, and charging turns the cart into the sale.
import { expect, test } from "../support/fixtures";
import { createSale, TWO_LINES } from "./helpers";

const displayState = async (app: { url: string; api(path: string): Promise<Response> }) => {
  const link = ((await (await app.api("/api/v1/terminals/pos-1")).json()) as { displayUrl: string }).displayUrl;
  const token = new URL(link).searchParams.get("token");
  return (await (await fetch(`${app.url}/api/display/pos-1/state?token=${token}`)).json()) as {
    phase: string;
    cart?: { lines: unknown[]; total: { value: number } };
    sale?: unknown;
  };
};

test("PUT cart shows the basket on the display, DELETE returns it to idle, and a sale replaces it", async ({ app }) => {
  const cart = { currency: "NOK", lines: [{ name: "Kaffe", quantity: 2, unitPrice: 3500, taxRate: 1500 }] };
  const put = await app.api("/api/v1/terminals/pos-1/cart", { method: "PUT", json: cart });
  expect(put.status).toBe(200);
  expect(await put.json()).toMatchObject({
    terminalId: "pos-1",
    total: 7000,
    lines: [{ name: "Kaffe", totalAmount: 7000 }],
  });
  const shown = await displayState(app);
  expect(shown).toMatchObject({ phase: "cart", cart: { total: { value: 7000 } } });
  expect(shown.sale).toBeUndefined();
  expect(JSON.stringify(shown)).not.toContain("qr");

  const bad = await app.api("/api/v1/terminals/pos-1/cart", {
    method: "PUT",
    json: { currency: "NOK", lines: [{ name: "Kaffe", quantity: 0, unitPrice: 1.5 }] },
  });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(
    expect.arrayContaining(["lines[0].quantity", "lines[0].unitPrice"]),
  );
  expect((await displayState(app)).cart?.total.value).toBe(7000);

  expect((await app.api("/api/v1/terminals/pos-1/cart", { method: "DELETE" })).status).toBe(204);
  expect((await displayState(app)).phase).toBe("idle");
  expect(await (await app.api("/api/v1/terminals/pos-1/cart")).json()).toEqual({ cart: null });

  await app.api("/api/v1/terminals/pos-1/cart", { method: "PUT", json: cart });
  await createSale(app, TWO_LINES);
  expect((await displayState(app)).phase).toBe("pending");
  expect(await (await app.api("/api/v1/terminals/pos-1/cart")).json()).toEqual({ cart: null });
  expect((await app.api("/api/v1/terminals/nope/cart", { method: "PUT", json: cart })).status).toBe(404);
});
