/**
 * The sign-in limiter from outside, as the hostile probe met it: the address it counts is the
 * connection's, unless KASSA_TRUST_PROXY names the proxies in front; and a till the cashier signed
 * in on before is never locked out by other addresses' guesses.
 */
import { startApp, type AppHandle } from "../support/app-server";
import { expect, test } from "../support/fixtures";
import { addStaff, callAs } from "./staff-helpers";

const signInAs = (app: AppHandle, body: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.url, ...headers },
    body: JSON.stringify(body),
  });
const signIn = (app: AppHandle, password: string, headers: Record<string, string> = {}) =>
  signInAs(app, { password }, headers);

/** A Set-Cookie's name=value, as the browser would send it back. */
const cookieNamed = (response: Response, name: string) =>
  response.headers
    .getSetCookie()
    .find((cookie) => cookie.startsWith(`${name}=`))
    ?.split(";")[0];

test("rotating X-Forwarded-For (or our own address header) buys no fresh guesses when no proxy is trusted", async ({
  app,
}) => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const forged = `198.51.100.${i + 1}`;
    statuses.push(
      (
        await signIn(app, "wrong-guess", {
          "x-forwarded-for": forged,
          "x-real-ip": forged,
          "x-kassa-peer-address": forged,
        })
      ).status,
    );
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  const limited = await signIn(app, app.adminPassword, { "x-forwarded-for": "192.0.2.99" });
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
});

test.describe("behind a trusted proxy", () => {
  let proxied: AppHandle;
  test.beforeAll(async () => {
    proxied = await startApp({ env: { KASSA_TRUST_PROXY: "on" }, checkAnswersAgainstDocument: true });
  });
  test.afterAll(async () => {
    await proxied?.stop();
  });

  // The proxy appends the address it saw; a client's own X-Forwarded-For entries come before it.
  const via = (client: string) => ({ "x-forwarded-for": `6.6.6.6, ${client}` });

  test("each client address is limited on its own, and strangers' guesses cannot lock out the shop's till", async () => {
    // The cashier's till signs in once and so becomes a known till.
    const first = await signIn(proxied, proxied.adminPassword, via("192.0.2.10"));
    expect(first.status).toBe(200);
    const till = first.headers
      .getSetCookie()
      .find((cookie) => cookie.startsWith("kassa_till="))
      ?.split(";")[0];
    expect(till).toBeDefined();

    // An attacker on one address: limited after five guesses, other addresses unaffected.
    for (let i = 0; i < 5; i++) expect((await signIn(proxied, "guess", via("203.0.113.66"))).status).toBe(401);
    expect((await signIn(proxied, "guess", via("203.0.113.66"))).status).toBe(429);
    expect((await signIn(proxied, proxied.adminPassword, via("192.0.2.20"))).status).toBe(200);

    // Guesses spread over many addresses fill the shared cap for unknown browsers…
    for (let a = 0; a < 6; a++) for (let i = 0; i < 5; i++) await signIn(proxied, "guess", via(`203.0.113.${100 + a}`));
    expect((await signIn(proxied, proxied.adminPassword, via("192.0.2.30"))).status).toBe(429);
    // …but the known till still signs in with the right password.
    const again = await signIn(proxied, proxied.adminPassword, { ...via("192.0.2.10"), cookie: till! });
    expect(again.status).toBe(200);
  });
});

test.describe("known-till cookies behind a trusted proxy", () => {
  let proxied: AppHandle;
  test.beforeAll(async () => {
    proxied = await startApp({ env: { KASSA_TRUST_PROXY: "on" } });
  });
  test.afterAll(async () => {
    await proxied?.stop();
  });

  const via = (client: string, cookie?: string) => ({
    "x-forwarded-for": client,
    ...(cookie ? { cookie } : {}),
  });

  test("till cookies earned before a password change buy no guesses after it", async () => {
    const owner = cookieNamed(await signIn(proxied, proxied.adminPassword, via("192.0.2.40")), "kassa_admin")!;
    const { id } = await addStaff(proxied, owner, { username: "mia", role: "manager", password: "mia-password-1" });
    const tills: string[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await signInAs(proxied, { username: "mia", password: "mia-password-1" }, via("192.0.2.41"));
      expect(response.status).toBe(200);
      tills.push(cookieNamed(response, "kassa_till")!);
    }
    const changed = await callAs(proxied, { cookie: owner })(`/api/v1/staff/${id}`, {
      method: "PATCH",
      json: { password: "mia-password-2" },
    });
    expect(changed.status).toBe(200);

    // The review's burst: five wrong guesses per cookie, all at once, from one address.
    const guesses = await Promise.all(
      tills.flatMap((till) =>
        Array.from({ length: 5 }, () =>
          signInAs(proxied, { username: "mia", password: "guess" }, via("192.0.2.41", till)),
        ),
      ),
    );
    const statuses = guesses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(35);
  });

  test("the cashier at her till gets in while strangers hold the cap, with her till cookie gone, garbled or foreign", async () => {
    const owner = cookieNamed(await signIn(proxied, proxied.adminPassword, via("192.0.2.50")), "kassa_admin")!;
    for (const username of ["anna", "mallory"]) {
      await addStaff(proxied, owner, { username, role: "cashier", password: `${username}-password` });
    }
    const anna = { username: "anna", password: "anna-password" };
    const own = cookieNamed(await signInAs(proxied, anna, via("192.0.2.51")), "kassa_till")!;
    // A page on another port of the same host sets its own kassa_till: one Mallory earned and used up.
    const mallory = { username: "mallory", password: "mallory-password" };
    const foreign = cookieNamed(await signInAs(proxied, mallory, via("198.51.100.66")), "kassa_till")!;
    for (let i = 0; i < 5; i++)
      await signInAs(proxied, { ...mallory, password: "guess" }, via("198.51.100.66", foreign));

    for (let a = 0; a < 6; a++) for (let i = 0; i < 5; i++) await signIn(proxied, "guess", via(`203.0.113.${100 + a}`));
    expect((await signInAs(proxied, anna, via("192.0.2.99"))).status).toBe(429);

    for (const cookie of [undefined, `${own.slice(0, -4)}AAAA`, foreign, own]) {
      expect((await signInAs(proxied, anna, via("192.0.2.51", cookie))).status, `cookie ${cookie}`).toBe(200);
    }
  });
});

test("pairing requests are limited per connection: rotating X-Forwarded-For does not get a flood through", async ({
  app,
}) => {
  const statuses: number[] = [];
  for (let i = 0; i < 25; i++) {
    const response = await fetch(`${app.url}/api/display/pairings`, {
      method: "POST",
      headers: { "x-forwarded-for": `198.51.100.${i + 1}` },
    });
    statuses.push(response.status);
  }
  // PAIRING_REQUESTS_PER_MINUTE (20) from one address, then 429 whatever the header says.
  expect(statuses.filter((status) => status === 201 || status === 200)).toHaveLength(20);
  expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
});
