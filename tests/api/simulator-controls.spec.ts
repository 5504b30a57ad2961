// The simulator's test controls (/sim/_sim/…) move the clock and force outcomes; a shop's server
// must not offer them. Off unless KASSA_SIMULATOR_CONTROLS=on, while the Vipps side of the
// simulator and the customer's phone page keep working.
import { expect, test } from "../support/fixtures";
import { createSale, getSale } from "./helpers";

// The default configuration: the variable the test harness sets is removed again.
test.use({ appOptions: { env: { KASSA_SIMULATOR_CONTROLS: undefined } } });

test("without KASSA_SIMULATOR_CONTROLS the test controls answer 404 and change nothing", async ({ app }) => {
  const sale = await createSale(app);
  expect(sale.state).toBe("pending");

  const advance = await app.sim("/clock/advance", { method: "POST", json: { ms: 1000 } });
  expect(advance.status, await advance.clone().text()).toBe(404);
  const deliveries = await app.sim("/deliveries");
  expect(deliveries.status, await deliveries.clone().text()).toBe(404);
  const approve = await app.sim(`/payments/${sale.reference}/approve`, { method: "POST" });
  expect(approve.status, await approve.clone().text()).toBe(404);

  // Past the first poll (1 s after the create): nothing was approved at "Vipps" either. A real wait: the
  // controls being off, nothing shows that the poll has happened.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  expect((await getSale(app, sale.id)).state).toBe("pending");

  // The customer's side of the simulator still works: the QR leads to the phone page.
  expect(sale.qr?.url).toContain("/sim/qr/");
  const phone = await fetch(sale.qr!.url);
  expect(phone.status).toBe(200);
  expect(phone.headers.get("content-type")).toContain("text/html");

  await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" });
});
