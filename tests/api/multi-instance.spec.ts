/**
 * Two app instances on one PostgreSQL database behind one PUBLIC_URL (as behind a load balancer),
 * with the standalone simulator: a display on the second instance follows sales made on the first,
 * and when the first dies mid-sale (SIGKILL) the second finishes the sale, capturing once.
 */
import { expect, test } from "@playwright/test";
import { type AppHandle, startApp } from "../support/app-server";
import { watchDisplay } from "../support/display-watcher";
import { createThrowawayDatabase, postgresUnavailable, type ThrowawayDatabase } from "../support/pg-database";
import { type SimulatorHandle, startSimulator } from "../support/simulator-process";
import { addStaff, callAs, signIn } from "./staff-helpers";

const LINE = {
  terminalId: "pos-1",
  currency: "NOK",
  lines: [{ name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500 }],
};

let database: ThrowawayDatabase;
let simulator: SimulatorHandle;
let first: AppHandle;
let second: AppHandle;

test.describe.configure({ mode: "serial", timeout: 120_000 });

test.beforeAll(async () => {
  const unavailable = await postgresUnavailable();
  test.skip(unavailable !== undefined, unavailable);
  database = await createThrowawayDatabase("kassa_multi");
  simulator = await startSimulator();
  const shared = { DATABASE_URL: database.url, VIPPS_BASE_URL: simulator.url };
  first = await startApp({ env: shared, checkAnswersAgainstDocument: true });
  // Both instances answer at the first one's address, as both would behind one load balancer.
  second = await startApp({ env: { ...shared, PUBLIC_URL: first.url }, checkAnswersAgainstDocument: true });
});

test.afterAll(async () => {
  await second?.stop();
  await first?.stop();
  await simulator?.stop();
  await database?.drop();
});

test("both instances share one database and say so", async () => {
  for (const app of [first, second]) {
    const health = (await (await fetch(`${app.url}/api/health`)).json()) as { store: string; simulator: boolean };
    expect(health.store).toBe("postgresql");
    // Neither embeds a simulator: VIPPS_BASE_URL names the standalone one.
    expect(health.simulator).toBe(false);
  }
});

test("a display on the second instance follows a sale made on the first to paid", async () => {
  const display = await watchDisplay(second, "pos-1");
  try {
    const created = await first.api("/api/v1/sales", { method: "POST", json: LINE });
    expect(created.status).toBe(201);
    const sale = (await created.json()) as { id: string; reference: string };
    await display.waitFor("pending", sale.id);
    const approvedAt = performance.now();
    expect((await simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" })).status).toBe(200);
    const paidAt = await display.waitFor("paid", sale.id);
    expect(paidAt - approvedAt).toBeLessThan(5_000);
    // Either instance tells the same story.
    const seenBySecond = (await (await second.api(`/api/v1/sales/${sale.id}`)).json()) as { state: string };
    expect(seenBySecond.state).toBe("captured");
  } finally {
    display.close();
  }
});

test("staff and sessions are shared: signed in on one instance, used and ended on the other", async () => {
  const owner = await signIn(first, { password: first.adminPassword });
  // The owner's session opened on the first is good on the second.
  expect((await callAs(second, { cookie: owner })("/api/v1/me")).status).toBe(200);
  await addStaff(first, owner, { username: "anna", role: "cashier", password: "anna-password-1" });
  const anna = await signIn(second, { username: "anna", password: "anna-password-1" });
  const me = await callAs(first, { cookie: anna })("/api/v1/me");
  expect(await me.json()).toMatchObject({ username: "anna", role: "cashier" });
  const sessions = await callAs(first, { cookie: owner })("/api/v1/staff");
  const annaId = ((await sessions.json()) as { items: { id: string; username: string }[] }).items.find(
    (member) => member.username === "anna",
  )!.id;
  expect(
    (await callAs(second, { cookie: owner })(`/api/v1/staff/${annaId}/sessions`, { method: "DELETE" })).status,
  ).toBe(204);
  expect((await callAs(first, { cookie: anna })("/api/v1/me")).status).toBe(401);
});

test("when the first instance is killed mid-sale, the second finishes it and captures once", async () => {
  const created = await first.api("/api/v1/sales", { method: "POST", json: LINE });
  expect(created.status).toBe(201);
  const sale = (await created.json()) as { id: string; reference: string; amount: { value: number } };
  // The first holds the background leases (it started first) and receives the webhooks.
  await first.kill();
  const killedAt = Date.now();
  expect((await simulator.control(`/payments/${sale.reference}/approve`, { method: "POST" })).status).toBe(200);
  // Webhooks go to the dead instance's address; the second must find out by polling, after
  // taking the leases over.
  await expect
    .poll(async () => ((await (await second.api(`/api/v1/sales/${sale.id}`)).json()) as { state: string }).state, {
      timeout: 20_000,
      intervals: [250],
    })
    .toBe("captured");
  expect(Date.now() - killedAt).toBeLessThan(15_000 + 2_000);
  const atVipps = (await (await simulator.control(`/payments/${sale.reference}`)).json()) as {
    aggregate: { capturedAmount: { value: number } };
    events: { name: string }[];
  };
  expect(atVipps.aggregate.capturedAmount.value).toBe(sale.amount.value);
  expect(atVipps.events.filter((event) => event.name === "CAPTURED")).toHaveLength(1);
});
