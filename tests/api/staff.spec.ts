/**
 * Staff with roles from outside: the owner of an upgraded install signs in with the old password
 * alone; a cashier's refund needs a manager's PIN on the spot; a scoped API key cannot refund; the
 * audit names who did each thing; an ended session's next request gets 401.
 */
import { createSale, simAction, waitForSaleState } from "./helpers";
import { addStaff, callAs, createKey, enrolTill, signIn } from "./staff-helpers";
import { expect, test } from "../support/fixtures";

test.describe.configure({ mode: "serial" });

test("a password without a username still signs the owner in, and /me says so", async ({ app }) => {
  const owner = await signIn(app, { password: app.adminPassword });
  const me = await callAs(app, { cookie: owner })("/api/v1/me");
  expect(await me.json()).toMatchObject({ type: "staff", username: "owner", role: "owner" });
  expect((await callAs(app, { key: app.apiKey })("/api/v1/me").then((r) => r.json())) as object).toMatchObject({
    type: "api-key",
    name: "KASSA_API_KEY",
  });
});

test("a cashier's refund is refused without a manager's approval and goes through with a manager's PIN", async ({
  app,
}) => {
  const owner = await signIn(app, { password: app.adminPassword });
  await addStaff(app, owner, { username: "mia", role: "manager", pin: "2468", password: "mia-password-1" });
  await addStaff(app, owner, { username: "anna", role: "cashier", password: "anna-password-1" });
  const anna = callAs(app, { cookie: await signIn(app, { username: "anna", password: "anna-password-1" }) });

  const created = await anna("/api/v1/sales", {
    method: "POST",
    json: { terminalId: "pos-1", currency: "NOK", amount: 12900, description: "Bicycle bell" },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const sale = (await created.json()) as { id: string; reference: string };
  await simAction(app, sale.reference, "approve");
  await waitForSaleState(app, sale.id, "captured");

  const refund = (json: unknown) => anna(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json });
  expect((await refund({ amount: 1000 })).status).toBe(403);
  const wrongPin = await refund({ amount: 1000, approval: { username: "mia", pin: "0000" } });
  expect(wrongPin.status).toBe(403);
  // A cashier cannot approve their own refund.
  expect((await refund({ amount: 1000, approval: { username: "anna", pin: "1234" } })).status).toBe(403);
  const approved = await refund({ amount: 1000, approval: { username: "mia", pin: "2468" } });
  expect(approved.status, await approved.clone().text()).toBe(200);
  expect(((await approved.json()) as { refundedAmount: { value: number } }).refundedAmount.value).toBe(1000);

  // The audit names the staff member for each action on the sale, from the owner's view.
  const audit = await callAs(app, { cookie: owner })(`/api/v1/audit?saleId=${sale.id}`);
  const items = ((await audit.json()) as { items: { action: string; actor: { username?: string } }[] }).items;
  expect(items.map((e) => [e.action, e.actor.username])).toEqual([
    ["sale.refund", "anna"],
    ["sale.create", "anna"],
  ]);
  const csv = await callAs(app, { cookie: owner })(`/api/v1/audit/export.csv?saleId=${sale.id}`);
  expect(await csv.text()).toContain("sale.refund,staff,anna");

  // The sale's operator is the cashier who made it: in the sales export and the X report.
  const exported = await (await callAs(app, { cookie: owner })("/api/v1/sales/export.csv")).text();
  expect(exported.split("\r\n")[0]).toContain('"operator"');
  expect(exported).toContain(`"${sale.id}"`);
  expect(exported.split("\r\n").find((line) => line.includes(sale.id))).toContain('"anna"');
  const preview = await callAs(app, { cookie: owner })("/api/v1/terminals/pos-1/closes/preview");
  expect(((await preview.json()) as { operators: unknown[] }).operators).toContainEqual({ operator: "anna", count: 1 });
});

test("a scoped API key can sell but not refund, and a revoked one is refused", async ({ app }) => {
  const owner = await signIn(app, { password: app.adminPassword });
  const { id, key } = await createKey(app, owner, {
    name: "Webshop",
    scopes: ["sales:read", "sales:write"],
    storeIds: ["store-1"],
  });
  const asKey = callAs(app, { key });
  const pos = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    asKey(path, { ...init, headers: { "user-agent": "Webshop POS 4.2" } });
  const sale = await createSale(app, undefined, {});
  expect((await pos(`/api/v1/sales/${sale.id}`)).status).toBe(200);
  expect((await pos(`/api/v1/sales/${sale.id}/refund`, { method: "POST", json: {} })).status).toBe(403);
  expect((await pos("/api/v1/settings", { method: "PATCH", json: { shopName: "Nope" } })).status).toBe(403);
  expect((await pos(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" })).status).toBe(200);

  const audit = await callAs(app, { cookie: owner })(`/api/v1/audit?actor=Webshop`);
  const items = ((await audit.json()) as { items: { action: string; actor: object }[] }).items;
  expect(items[0]).toMatchObject({
    action: "sale.cancel",
    actor: { type: "api-key", name: "Webshop" },
    device: "Webshop POS 4.2",
  });

  expect((await callAs(app, { cookie: owner })(`/api/v1/api-keys/${id}`, { method: "DELETE" })).status).toBe(204);
  expect((await pos(`/api/v1/sales/${sale.id}`)).status).toBe(401);
});

test("sessions are listed and ended; an ended session's next request gets 401", async ({ app }) => {
  const first = await signIn(app, { password: app.adminPassword });
  const second = await signIn(app, { password: app.adminPassword });
  type Sessions = { items: { id: string; current: boolean; device: string; lastSeenAt: string }[] };
  const sessionsOf = async (cookie: string) =>
    ((await (await callAs(app, { cookie })("/api/v1/me/sessions")).json()) as Sessions).items;
  const seenByFirst = await sessionsOf(first);
  expect(seenByFirst.filter((s) => s.current)).toHaveLength(1);
  const secondId = (await sessionsOf(second)).find((s) => s.current)!.id;
  expect(seenByFirst.find((s) => !s.current)?.id).toBe(secondId);
  // The second browser works until the first ends its session.
  expect((await callAs(app, { cookie: second })("/api/v1/me")).status).toBe(200);
  const ended = await callAs(app, { cookie: first })(`/api/v1/me/sessions/${secondId}`, { method: "DELETE" });
  expect(ended.status).toBe(204);
  expect((await callAs(app, { cookie: second })("/api/v1/me")).status).toBe(401);
  expect((await callAs(app, { cookie: first })("/api/v1/me")).status).toBe(200);
});

test("a password change ends the member's other sessions; the owner can end anyone's", async ({ app }) => {
  const owner = await signIn(app, { password: app.adminPassword });
  const { id } = await addStaff(app, owner, { username: "ola", role: "cashier", password: "ola-password-1" });
  const ola = await signIn(app, { username: "ola", password: "ola-password-1" });
  expect((await callAs(app, { cookie: ola })("/api/v1/me")).status).toBe(200);
  const sessions = await callAs(app, { cookie: owner })(`/api/v1/staff/${id}/sessions`);
  expect(((await sessions.json()) as { items: unknown[] }).items).toHaveLength(1);
  const changed = await callAs(app, { cookie: owner })(`/api/v1/staff/${id}`, {
    method: "PATCH",
    json: { password: "ola-password-2" },
  });
  expect(changed.status).toBe(200);
  expect((await callAs(app, { cookie: ola })("/api/v1/me")).status).toBe(401);

  const again = await signIn(app, { username: "ola", password: "ola-password-2" });
  expect((await callAs(app, { cookie: owner })(`/api/v1/staff/${id}/sessions`, { method: "DELETE" })).status).toBe(204);
  expect((await callAs(app, { cookie: again })("/api/v1/me")).status).toBe(401);
});

test("a cashier signs in with a PIN only on an enrolled till; five wrong PINs lock it until a manager resets it", async ({
  app,
}) => {
  const owner = await signIn(app, { password: app.adminPassword });
  const { id } = await addStaff(app, owner, { username: "pia", role: "cashier", pin: "1357" });
  const pinSignIn = (pin: string, cookie?: string) =>
    fetch(`${app.url}/api/admin/session`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: app.url, ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ username: "pia", pin }),
    });
  expect((await pinSignIn("1357")).status).toBe(403);
  const till = await enrolTill(app, owner, "Counter 1");
  expect((await pinSignIn("1357", till)).status).toBe(200);
  for (let i = 0; i < 5; i++) expect((await pinSignIn("0000", till)).status).toBe(401);
  expect((await pinSignIn("1357", till)).status).toBe(403);
  const member = await callAs(app, { cookie: owner })(`/api/v1/staff/${id}`);
  expect(await member.json()).toMatchObject({ pinLocked: true });
  expect(
    (await callAs(app, { cookie: owner })(`/api/v1/staff/${id}`, { method: "PATCH", json: { pin: "2468" } })).status,
  ).toBe(200);
  expect((await pinSignIn("2468", till)).status).toBe(200);
});
