// The POS API reference at /api/docs: Swagger UI served by the app itself from swagger-ui-dist,
// rendering the app's own OpenAPI document, offline (no request leaves the machine) and under a
// Content-Security-Policy that allows only this origin.
import type { Page } from "@playwright/test";
import { expect, test } from "../support/fixtures";
import { PosApiContract } from "../support/pos-api-contract";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Fails every request that would leave the machine, and remembers it. */
async function blockTheInternet(page: Page): Promise<string[]> {
  const external: string[] = [];
  await page.context().route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (LOOPBACK.has(url.hostname)) return route.continue();
    external.push(route.request().url());
    return route.abort("internetdisconnected");
  });
  return external;
}

/** Collects what the browser refused under the page's Content-Security-Policy. */
async function watchPolicyViolations(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
}

test("the reference renders every operation of the OpenAPI document, with no request leaving the machine", async ({
  app,
  page,
}) => {
  const external = await blockTheInternet(page);
  const violations = await watchPolicyViolations(page);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));

  const document = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { summary: string }>>;
    webhooks?: Record<string, Record<string, { summary: string }>>;
  };
  const operationsOf = (items: Record<string, Record<string, { summary: string }>>) =>
    Object.entries(items).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ path, method, summary: operation.summary })),
    );
  const operations = operationsOf(document.paths);
  // The webhooks the POS receives are operations of the document too, and the reference shows them.
  const webhooks = operationsOf(document.webhooks ?? {});
  expect(operations.length).toBeGreaterThan(20);
  expect(webhooks.length).toBeGreaterThan(0);

  await page.goto(`${app.url}/api/docs`);
  await expect(page.getByRole("heading", { name: /Kassa Display POS API/ })).toBeVisible();
  const blocks = page.locator(".opblock");
  await expect(blocks).toHaveCount(operations.length + webhooks.length);
  for (const { summary } of webhooks) {
    await expect(page.locator(".opblock-summary-description", { hasText: summary }).first()).toBeVisible();
  }
  for (const { path, method, summary } of operations) {
    const block = page.locator(`.opblock-${method}`).filter({
      has: page.locator(".opblock-summary-path", {
        hasText: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`),
      }),
    });
    await expect(block, `${method} ${path}`).toHaveCount(1);
    await expect(block.locator(".opblock-summary-description")).toHaveText(summary);
  }
  await page.screenshot({ path: test.info().outputPath("api-docs.png") });

  // The refund documents its Idempotency-Key and shows an example answer.
  const refund = page
    .locator(".opblock-post")
    .filter({ has: page.locator(".opblock-summary-path", { hasText: /^\/api\/v1\/sales\/\{id\}\/refund$/ }) });
  await refund.locator(".opblock-summary-control").click();
  await expect(refund.locator(".parameters")).toContainText("Idempotency-Key");
  await expect(refund.locator(".parameters")).toContainText("never refunds twice");
  await expect(refund.locator(".responses-wrapper")).toContainText('"refundedAmount"');

  expect(external, "requests to other hosts").toEqual([]);
  expect(await violations(), "Content-Security-Policy violations").toEqual([]);
  expect(errors, "page errors").toEqual([]);
});

test("Try it out calls this app's API, under the page's policy", async ({ app, page }) => {
  const external = await blockTheInternet(page);
  const violations = await watchPolicyViolations(page);
  await page.goto(`${app.url}/api/docs`);
  await page.locator(".btn.authorize").click();
  await page.locator(".auth-container input").fill(app.apiKey);
  await page.locator(".auth-container").getByRole("button", { name: "Apply credentials" }).click();
  await page.locator(".modal-ux").getByRole("button", { name: "Close" }).first().click();

  const settings = page.locator("#operations-Settings-getSettings");
  await settings.locator(".opblock-summary-control").click();
  await settings.getByRole("button", { name: "Try it out" }).click();
  await settings.getByRole("button", { name: "Execute" }).click();
  const live = settings.locator(".live-responses-table");
  await expect(live.locator("tr.response .response-col_status")).toHaveText("200");
  await expect(live).toContainText('"shopName"');
  expect(external).toEqual([]);
  expect(await violations()).toEqual([]);
});

test("the page, its policy and Swagger UI's files come from the app", async ({ app }) => {
  const reference = await fetch(`${app.url}/api/docs`);
  expect(reference.status).toBe(200);
  expect(reference.headers.get("content-type")).toContain("text/html");
  const policy = reference.headers.get("content-security-policy") ?? "";
  for (const directive of ["default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"])
    expect(policy).toContain(directive);
  const html = await reference.text();
  // Only the app's own files: no CDN, no inline script.
  const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
  expect(sources.length).toBeGreaterThan(4);
  for (const source of sources) expect(source.startsWith("/"), source).toBe(true);
  expect(html).not.toMatch(/<script>(?!<\/script>)/);

  for (const [file, type] of [
    ["swagger-ui-bundle.js", "text/javascript"],
    ["swagger-ui.css", "text/css"],
    ["docs.js", "text/javascript"],
    ["favicon-32x32.png", "image/png"],
  ] as const) {
    const response = await fetch(`${app.url}/api/docs/${file}`);
    expect(response.status, file).toBe(200);
    expect(response.headers.get("content-type"), file).toContain(type);
    expect((await response.arrayBuffer()).byteLength, file).toBeGreaterThan(100);
  }
  // Nothing else from node_modules, however it is asked for.
  for (const name of ["index.html", "package.json", "swagger-ui.js", "constructor", "..%2F..%2Fpackage.json"]) {
    expect((await fetch(`${app.url}/api/docs/${name}`)).status, name).toBe(404);
  }
  // The script turns off the online validator.
  expect(await (await fetch(`${app.url}/api/docs/docs.js`)).text()).toContain("validatorUrl: null");
});

test("the home page links to the reference", async ({ app, page }) => {
  await page.goto(`${app.url}/`);
  await page.getByRole("link", { name: /POS API/ }).click();
  await page.waitForURL(`${app.url}/api/docs`);
  await expect(page.locator(".opblock").first()).toBeVisible();
});

test("the API answers as the reference says: real responses match the document's schemas", async ({ app }) => {
  // app.api() already checks each answer against the document (tests/support/pos-api-contract.ts);
  // this walks every operation once, and checks the answers to requests made without it too.
  const contract = await PosApiContract.load(app.url);
  const mismatches: string[] = [];
  const check = async (method: string, response: Response) => {
    const answer = {
      method,
      path: new URL(response.url).pathname,
      status: response.status,
      contentType: response.headers.get("content-type"),
      body: await response.text(),
    };
    mismatches.push(...contract.mismatches(answer));
  };

  await check("get", await app.api("/api/v1/terminals"));
  await check("get", await app.api("/api/v1/terminals/pos-1"));
  await check("get", await app.api("/api/v1/products"));
  await check("get", await app.api("/api/v1/settings"));
  await check("get", await fetch(`${app.url}/api/v1/sales`));
  await check(
    "post",
    await app.api("/api/v1/sales", {
      method: "POST",
      json: { terminalId: "pos-1", currency: "NOK", lines: [{ name: "Coffee", quantity: 1, unitPrice: 49.5 }] },
    }),
  );
  const created = await app.api("/api/v1/sales", {
    method: "POST",
    headers: { "idempotency-key": "docs-check-1" },
    json: {
      terminalId: "pos-1",
      currency: "NOK",
      lines: [{ name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500 }],
    },
  });
  const sale = (await created.clone().json()) as { id: string; reference: string };
  await check("post", created);
  await check(
    "post",
    await app.api("/api/v1/sales", {
      method: "POST",
      json: { terminalId: "pos-1", currency: "NOK", amount: 25000, description: "Bicycle repair" },
    }),
  );
  await app.sim(`/payments/${sale.reference}/approve`, { method: "POST" });
  await expect
    .poll(async () => ((await (await app.api(`/api/v1/sales/${sale.id}`)).json()) as { state: string }).state)
    .toBe("captured");
  await check("get", await app.api(`/api/v1/sales/${sale.id}`));
  const refund = (amount: number) =>
    app.api(`/api/v1/sales/${sale.id}/refund`, {
      method: "POST",
      headers: { "idempotency-key": "docs-refund-1" },
      json: { amount },
    });
  await check("post", await refund(4900));
  await check("post", await refund(4900));
  await check("post", await refund(1000));
  await check("post", await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" }));
  await check("get", await app.api(`/api/v1/sales/${sale.id}/events`));
  await check("get", await app.api("/api/v1/sales/summary"));
  await check("get", await app.api("/api/v1/sales/export.csv"));
  await check("get", await app.api("/api/v1/sales?limit=1"));
  await check("get", await app.api("/api/v1/sales/sale_none"));

  // A payment request sent to a phone, the live cart, a terminal's settings, branding and go-live.
  const push = await app.api("/api/v1/sales", {
    method: "POST",
    json: {
      terminalId: "pos-1",
      currency: "NOK",
      amount: 25000,
      description: "Bicycle repair",
      customer: { phoneNumber: "4791234567" },
    },
  });
  const pushed = (await push.clone().json()) as { id: string };
  await check("post", push);
  await check("post", await app.api(`/api/v1/sales/${pushed.id}/cancel`, { method: "POST" }));
  const cart = { currency: "NOK", lines: [{ name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500 }] };
  await check("get", await app.api("/api/v1/terminals/pos-1/cart"));
  await check("put", await app.api("/api/v1/terminals/pos-1/cart", { method: "PUT", json: cart }));
  await check("get", await app.api("/api/v1/terminals/pos-1/cart"));
  await check("put", await app.api("/api/v1/terminals/pos-9/cart", { method: "PUT", json: cart }));
  await check("delete", await app.api("/api/v1/terminals/pos-1/cart", { method: "DELETE" }));
  await check("patch", await app.api("/api/v1/terminals/pos-1", { method: "PATCH", json: { chime: false } }));
  const logo = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>';
  await check(
    "put",
    await app.api("/api/v1/settings/logo", { method: "PUT", headers: { "content-type": "image/svg+xml" }, body: logo }),
  );
  await check("get", await app.api("/api/v1/settings"));
  await check("delete", await app.api("/api/v1/settings/logo", { method: "DELETE" }));
  await check("get", await app.api("/api/v1/go-live"));
  await check("get", await app.api("/api/v1/go-live/evidence"));

  // The rest of the operations: the catalogue, another counter and its displays, a capture and a new QR.
  const product = await app.api("/api/v1/products", {
    method: "POST",
    json: { name: "Oat milk latte", unitPrice: 5900 },
  });
  const productId = ((await product.clone().json()) as { id: string }).id;
  await check("post", product);
  await check("patch", await app.api(`/api/v1/products/${productId}`, { method: "PATCH", json: { unitPrice: 6100 } }));
  await check("delete", await app.api(`/api/v1/products/${productId}`, { method: "DELETE" }));
  await check("post", await app.api("/api/v1/terminals", { method: "POST", json: { name: "Counter 2" } }));
  await check("post", await app.api("/api/v1/terminals/pos-2/display-link", { method: "POST" }));
  await check("post", await app.api("/api/v1/terminals/pos-2/pair", { method: "POST", json: { code: "NOCODE" } }));
  await check("get", await app.api("/api/v1/terminals/pos-2/devices"));
  await check("delete", await app.api("/api/v1/terminals/pos-2/devices/no-such-display", { method: "DELETE" }));
  await check("post", await app.api(`/api/v1/sales/${sale.id}/capture`, { method: "POST" }));
  await check("post", await app.api(`/api/v1/sales/${pushed.id}/new-qr`, { method: "POST" }));
  expect(mismatches).toEqual([]);
});
