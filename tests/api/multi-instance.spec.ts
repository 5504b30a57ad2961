/**
 * Two app instances on one PostgreSQL database behind one PUBLIC_URL (as behind a load balancer),
 * with the standalone simulator: a display on the second instance follows sales made on the first,
 * and when the first dies mid-sale (SIGKILL) the second finishes the sale, capturing once.
 */
import { expect, test } from "@playwright/test";
import { watchDisplay } from "../support/display-watcher";
import { twoInstances } from "../support/two-instances";
import { addStaff, callAs, signIn } from "./staff-helpers";

const LINE = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [{ name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 }],
};

test.describe.configure({ mode: "serial", timeout: 120_000 });

const pair = twoInstances(test, { database: "kassa_multi" });

test("both instances share one database and say so", async () => {
  for (const app of [pair.first, pair.second]) {
    const health = (await (await fetch(`${app.url}/api/health`)).json()) as { store: string; simulator: boolean };
    expect(health.store).toBe("postgresql");
    // Neither embeds a simulator: VIPPS_BASE_URL names the standalone one.
    expect(health.simulator).toBe(false);
  }
});

test("a display on the second instance follows a sale made on the first to paid", async () => {
  const display = await watchDisplay(pair.second, "pos-1");
  try {
    const created = await pair.first.api("/api/v1/sales", { method: "POST", json: LINE });
    expect(created.status).toBe(201);
    const sale = (await created.json()) as { id: string; reference: string };
    await display.waitFor("pending", sale.id);
    const approvedAt = performance.now();
    expect((await pair.simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" })).status).toBe(200);
    const paidAt = await display.waitFor("paid", sale.id);
    expect(paidAt - approvedAt).toBeLessThan(5_000);
    // Either instance tells the same story.
    const seenBySecond = (await (await pair.second.api(`/api/v1/sales/${sale.id}`)).json()) as { state: string };
    expect(seenBySecond.state).toBe("captured");
  } finally {
    display.close();
  }
});

test("staff and sessions are shared: signed in on one instance, used and ended on the other", async () => {
  const owner = await signIn(pair.first, { password: pair.first.adminPassword });
  // The owner's session opened on the first is good on the second.
  expect((await callAs(pair.second, { cookie: owner })("/api/v1/me")).status).toBe(200);
  await addStaff(pair.first, owner, { username: "anna", role: "cashier", password: "anna-password-1" });
  const anna = await signIn(pair.second, { username: "anna", password: "anna-password-1" });
  const me = await callAs(pair.first, { cookie: anna })("/api/v1/me");
  expect(await me.json()).toMatchObject({ username: "anna", role: "cashier" });
  const sessions = await callAs(pair.first, { cookie: owner })("/api/v1/staff");
  const annaId = ((await sessions.json()) as { items: { id: string; username: string }[] }).items.find(
    (member) => member.username === "anna",
  )!.id;
  expect(
    (await callAs(pair.second, { cookie: owner })(`/api/v1/staff/${annaId}/sessions`, { method: "DELETE" })).status,
  ).toBe(204);
  expect((await callAs(pair.first, { cookie: anna })("/api/v1/me")).status).toBe(401);
});

test("when the first instance is killed mid-sale, the second finishes it and captures once", async () => {
  const created = await pair.first.api("/api/v1/sales", { method: "POST", json: LINE });
  expect(created.status).toBe(201);
  const sale = (await created.json()) as { id: string; reference: string; amount: { value: number } };
  // The first holds the background leases (it started first) and receives the webhooks.
  await pair.first.kill();
  const killedAt = Date.now();
  expect((await pair.simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" })).status).toBe(200);
  // Webhooks go to the dead instance's address; the second must find out by polling, after
  // taking the leases over.
  await expect
    .poll(async () => ((await (await pair.second.api(`/api/v1/sales/${sale.id}`)).json()) as { state: string }).state, {
      timeout: 20_000,
      intervals: [250],
    })
    .toBe("captured");
  expect(Date.now() - killedAt).toBeLessThan(15_000 + 2_000);
  const atVipps = (await (await pair.simulator.control(`/payments/${sale.reference}`)).json()) as {
    aggregate: { capturedAmount: { value: number } };
    events: { name: string }[];
  };
  expect(atVipps.aggregate.capturedAmount.value).toBe(sale.amount.value);
  expect(atVipps.events.filter((event) => event.name === "CAPTURED")).toHaveLength(1);
});
