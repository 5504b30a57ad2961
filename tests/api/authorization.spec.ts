/**
 * Authorisation on the server, on every route: each operation of /api/v1/openapi.json is called as
 * each role, as a store-scoped API key, and as a manager and a key of another store, and each answer
 * is checked against the table below. "A": allowed (the policy lets it through: any answer but 401,
 * 403 or a 404 that the object's store caused); "F": 403; "N": 404 (another store's object). Bodies
 * are empty where that is enough: an allowed caller then gets 400, a refused one 403 before the
 * body is read. A new operation without a row here fails the test.
 */
import { TWO_LINES } from "./helpers";
import { addStaff, callAs, createKey, signIn } from "./staff-helpers";
import { expect, test } from "../support/fixtures";

const CALLERS = ["owner", "manager", "cashier", "key", "managerB", "keyB"] as const;
type Caller = (typeof CALLERS)[number];
type Verdict = "A" | "F" | "N";

// Columns: owner, manager (store-1), cashier (store-1), key (store-1: sales:read, sales:write),
// managerB (store-2), keyB (store-2, every scope). Every terminal, and so every sale, is in store-1.
const TABLE: Record<string, string> = {
  "post /api/v1/sales": "A A A A N N",
  "get /api/v1/sales": "A A A A F F",
  "get /api/v1/sales/{id}": "A A A A N N",
  "get /api/v1/sales/{id}/events": "A A A A N N",
  "post /api/v1/sales/{id}/cancel": "A A A A N N",
  "post /api/v1/sales/{id}/capture": "A A A A N N",
  "post /api/v1/sales/{id}/refund": "A A F F N N",
  "post /api/v1/sales/{id}/new-qr": "A A A A N N",
  "get /api/v1/sales/summary": "A A A A F F",
  "get /api/v1/sales/export.csv": "A A A A F F",
  "get /api/v1/terminals": "A A A A A A",
  "post /api/v1/terminals": "A A F F A A",
  "get /api/v1/terminals/{id}": "A A A A N N",
  "patch /api/v1/terminals/{id}": "A A F F N N",
  "post /api/v1/terminals/{id}/display-link": "A A F F N N",
  "post /api/v1/terminals/{id}/pair": "A A F F N N",
  "post /api/v1/terminals/{id}/sticker": "A A F F N N",
  "get /api/v1/terminals/{id}/devices": "A A F F N N",
  "patch /api/v1/terminals/{id}/devices/{deviceId}": "A A F F N N",
  "delete /api/v1/terminals/{id}/devices/{deviceId}": "A A F F N N",
  "post /api/v1/terminals/{id}/closes": "A A F F N N",
  "get /api/v1/terminals/{id}/closes": "A A F A N N",
  "get /api/v1/terminals/{id}/closes/preview": "A A F A N N",
  "get /api/v1/terminals/{id}/closes/schedule": "A A F A N N",
  "put /api/v1/terminals/{id}/closes/schedule": "A A F F N N",
  "get /api/v1/closes/{id}": "A A F A N N",
  "get /api/v1/closes/{id}.csv": "A A F A N N",
  "get /api/v1/terminals/{id}/cart": "A A A A N N",
  "put /api/v1/terminals/{id}/cart": "A A A A N N",
  "delete /api/v1/terminals/{id}/cart": "A A A A N N",
  "get /api/v1/products": "A A A A A A",
  "post /api/v1/products": "A A F F A A",
  "patch /api/v1/products/{id}": "A A F F A A",
  "delete /api/v1/products/{id}": "A A F F A A",
  "get /api/v1/settings": "A A A A A A",
  "patch /api/v1/settings": "A A F F A A",
  "put /api/v1/settings/logo": "A A F F A A",
  "delete /api/v1/settings/logo": "A A F F A A",
  "get /api/v1/settlements": "A A F A A A",
  "get /api/v1/settlements/{ledgerDate}": "A A F A A A",
  "get /api/v1/settlements/export.csv": "A A F A A A",
  "get /api/v1/stores": "A A A A A A",
  "post /api/v1/stores": "A F F F F A",
  "get /api/v1/stores/{id}": "A A A A N N",
  "patch /api/v1/stores/{id}": "A A F F N N",
  "put /api/v1/stores/{id}/logo": "A A F F N N",
  "delete /api/v1/stores/{id}/logo": "A A F F N N",
  "get /api/v1/go-live": "A F F F F A",
  "get /api/v1/go-live/evidence": "A F F F F A",
  "get /api/v1/webhook-endpoints": "A F F F F A",
  "post /api/v1/webhook-endpoints": "A F F F F A",
  "delete /api/v1/webhook-endpoints/{id}": "A F F F F A",
  "post /api/v1/webhook-endpoints/{id}/rotate-secret": "A F F F F A",
  "get /api/v1/webhook-deliveries": "A F F F F A",
  "post /api/v1/webhook-deliveries/{id}/send-again": "A F F F F A",
  "get /api/v1/events": "A F F F F A",
  "get /api/v1/me": "A A A A A A",
  "get /api/v1/me/sessions": "A A A F A F",
  "delete /api/v1/me/sessions/{id}": "A A A F A F",
  "get /api/v1/staff": "A A F F A F",
  "post /api/v1/staff": "A A F F A F",
  "get /api/v1/staff/{id}": "A A F F N F",
  "patch /api/v1/staff/{id}": "A A F F N F",
  "delete /api/v1/staff/{id}": "A A F F N F",
  "get /api/v1/staff/{id}/sessions": "A F F F F F",
  "delete /api/v1/staff/{id}/sessions": "A F F F F F",
  "get /api/v1/api-keys": "A F F F F F",
  "post /api/v1/api-keys": "A F F F F F",
  "delete /api/v1/api-keys/{id}": "A F F F F F",
  "post /api/v1/api-keys/{id}/rotate": "A F F F F F",
  "get /api/v1/audit": "A A F F A F",
  "get /api/v1/audit/export.csv": "A A F F A F",
};

test("every operation answers each role and each store-scoped key as the table says", async ({ app }) => {
  test.setTimeout(120_000);
  const owner = await signIn(app, { password: app.adminPassword });
  await addStaff(app, owner, { username: "mia", role: "manager", password: "mia-password-1" });
  await addStaff(app, owner, { username: "anna", role: "cashier", password: "anna-password-1" });
  await addStaff(app, owner, { username: "bo", role: "manager", password: "bo-password-12", storeIds: ["store-2"] });
  const key = await createKey(app, owner, {
    name: "Store 1 POS",
    scopes: ["sales:read", "sales:write"],
    storeIds: ["store-1"],
  });
  const keyB = await createKey(app, owner, {
    name: "Store 2 everything",
    scopes: ["sales:read", "sales:write", "refunds", "catalogue", "terminals", "settings", "events"],
    storeIds: ["store-2"],
  });
  const as: Record<Caller, ReturnType<typeof callAs>> = {
    owner: callAs(app, { cookie: owner }),
    manager: callAs(app, { cookie: await signIn(app, { username: "mia", password: "mia-password-1" }) }),
    cashier: callAs(app, { cookie: await signIn(app, { username: "anna", password: "anna-password-1" }) }),
    key: callAs(app, { key: key.key }),
    managerB: callAs(app, { cookie: await signIn(app, { username: "bo", password: "bo-password-12" }) }),
    keyB: callAs(app, { key: keyB.key }),
  };

  // Real objects of store-1 for the path parameters, so that a 404 can only be the store's doing.
  const sale = (await (await as.owner("/api/v1/sales", { method: "POST", json: TWO_LINES })).json()) as { id: string };
  const close = (await (await as.owner("/api/v1/terminals/pos-1/closes", { method: "POST" })).json()) as { id: string };
  const target = await addStaff(app, owner, { username: "temp", role: "cashier" });
  const spareKey = await createKey(app, owner, { name: "Spare", scopes: ["sales:read"] });
  const params: Record<string, string> = {
    "/api/v1/sales/": sale.id,
    "/api/v1/terminals/": "pos-1",
    "/api/v1/closes/": close.id,
    "/api/v1/staff/": target.id,
    "/api/v1/api-keys/": spareKey.id,
    "/api/v1/products/": "p1",
    "/api/v1/stores/": "store-1",
  };
  const fill = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_whole, name: string, offset: number) => {
      const prefix = path.slice(0, offset);
      return params[prefix] ?? (name === "deviceId" ? "dev_nope" : "nope");
    });

  const document = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method} ${path}`),
  );
  expect(operations.filter((operation) => !(operation in TABLE))).toEqual([]);

  const mismatches: string[] = [];
  for (const operation of operations) {
    const [method, path] = operation.split(" ") as [string, string];
    const verdicts = TABLE[operation]!.split(" ") as Verdict[];
    // The least privileged first: refused calls change nothing, so the objects are still there
    // for the calls that get through (and may delete them) at the end.
    for (const index of [5, 4, 3, 2, 1, 0]) {
      const caller = CALLERS[index]!;
      const body = operation === "post /api/v1/sales" ? TWO_LINES : {};
      const init: RequestInit & { json?: unknown } = { method: method.toUpperCase() };
      if (["post", "put", "patch"].includes(method)) init.json = body;
      const response = await as[caller](fill(path), init);
      const expected = verdicts[index]!;
      const status = response.status;
      const ok = expected === "F" ? status === 403 : expected === "N" ? status === 404 : ![401, 403].includes(status);
      if (!ok) mismatches.push(`${operation} as ${caller}: ${status}, expected ${expected} (${await response.text()})`);
      else await response.body?.cancel();
    }
  }
  expect(mismatches).toEqual([]);
});

test("a terminal is made only in a store of the caller's: another store's id answers 404", async ({ app }) => {
  const owner = await signIn(app, { password: app.adminPassword });
  const asOwner = callAs(app, { cookie: owner });
  const made = await asOwner("/api/v1/stores", {
    method: "POST",
    json: { name: "Torget", msn: "222333", currency: "NOK" },
  });
  expect(made.status, await made.clone().text()).toBe(201);
  const storeB = ((await made.json()) as { id: string }).id;
  await addStaff(app, owner, { username: "lea", role: "manager", password: "lea-password-1" });
  await addStaff(app, owner, { username: "ola", role: "manager", password: "ola-password-1", storeIds: [storeB] });
  const managerA = callAs(app, { cookie: await signIn(app, { username: "lea", password: "lea-password-1" }) });
  const managerB = callAs(app, { cookie: await signIn(app, { username: "ola", password: "ola-password-1" }) });
  const keyA = callAs(app, {
    key: (await createKey(app, owner, { name: "Store 1 admin", scopes: ["terminals"], storeIds: ["store-1"] })).key,
  });
  const terminalIds = async () =>
    ((await (await asOwner("/api/v1/terminals")).json()) as { items: { id: string }[] }).items.map((t) => t.id);
  const before = await terminalIds();

  for (const [caller, id] of [
    [managerA, "sneaky-a"],
    [keyA, "sneaky-key"],
  ] as const) {
    const refused = await caller("/api/v1/terminals", {
      method: "POST",
      json: { id, name: "Not mine", storeId: storeB },
    });
    expect(refused.status, await refused.clone().text()).toBe(404);
  }
  // Left out, the store is the first one: a manager of store B only must name theirs.
  const unnamed = await managerB("/api/v1/terminals", { method: "POST", json: { id: "sneaky-b", name: "Where?" } });
  expect(unnamed.status).toBe(403);
  expect((await unnamed.json()).errors).toEqual([{ field: "storeId", reason: "required for your stores" }]);
  expect(await terminalIds()).toEqual(before);

  const own = await managerB("/api/v1/terminals", {
    method: "POST",
    json: { id: "torget-1", name: "T1", storeId: storeB },
  });
  expect(own.status, await own.clone().text()).toBe(201);
  expect((await own.json()).storeId).toBe(storeB);
  // A terminal does not move between stores: PATCH takes no storeId, and another store's terminal is 404.
  const move = await managerA("/api/v1/terminals/pos-1", { method: "PATCH", json: { storeId: storeB } });
  expect(move.status).toBe(400);
  const foreign = await managerA("/api/v1/terminals/torget-1", { method: "PATCH", json: { name: "Mine now" } });
  expect(foreign.status).toBe(404);
});

test("a manager's audit holds their stores' entries and their own deployment-wide ones only", async ({ app }) => {
  const owner = await signIn(app, { password: app.adminPassword });
  const asOwner = callAs(app, { cookie: owner });
  const made = await asOwner("/api/v1/stores", {
    method: "POST",
    json: { name: "Kaien", msn: "333444", currency: "NOK" },
  });
  expect(made.status, await made.clone().text()).toBe(201);
  const storeB = ((await made.json()) as { id: string }).id;
  await addStaff(app, owner, { username: "ida", role: "manager", password: "ida-password-1" });
  await addStaff(app, owner, { username: "per", role: "manager", password: "per-password-1", storeIds: [storeB] });
  const ida = callAs(app, { cookie: await signIn(app, { username: "ida", password: "ida-password-1" }) });
  const per = callAs(app, { cookie: await signIn(app, { username: "per", password: "per-password-1" }) });
  const call = async (as: ReturnType<typeof callAs>, path: string, init: RequestInit & { json?: unknown }) => {
    const response = await as(path, init);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
  };
  await call(asOwner, "/api/v1/terminals", { method: "POST", json: { id: "kaien-1", name: "K1", storeId: storeB } });
  await call(asOwner, "/api/v1/settings", { method: "PATCH", json: { autoCapture: true } });
  await call(ida, "/api/v1/terminals", { method: "POST", json: { id: "ida-1", name: "I1", storeId: "store-1" } });
  await call(ida, "/api/v1/settings", { method: "PATCH", json: { autoCapture: true } });
  await call(per, "/api/v1/terminals", { method: "POST", json: { id: "kaien-2", name: "K2", storeId: storeB } });

  type Entry = { action: string; target: string; storeId: string | null; actor: { username?: string } };
  const entries = async (as: ReturnType<typeof callAs>, query = "") => {
    const response = await as(`/api/v1/audit${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { items: Entry[] }).items;
  };
  const seen = (items: Entry[]) => items.map((e) => `${e.action} ${e.target} ${e.actor.username ?? ""}`);

  const ofIda = await entries(ida);
  expect(ofIda.every((e) => e.storeId === "store-1" || (e.storeId === null && e.actor.username === "ida"))).toBe(true);
  expect(ofIda.map((e) => e.action)).toEqual(expect.arrayContaining(["terminal.create", "settings.update"]));
  expect(seen(ofIda).filter((line) => line.includes("kaien"))).toEqual([]);

  const ofPer = await entries(per);
  expect(seen(ofPer)).toEqual([
    "terminal.create terminal:kaien-2 per",
    "terminal.create terminal:kaien-1 owner",
    `store.create store:${storeB} owner`,
  ]);
  expect(ofPer.every((e) => e.storeId === storeB)).toBe(true);

  // The owner sees every entry, and one store's when asking for it; a manager asking for another store's gets 404.
  const all = await entries(asOwner);
  expect(all.some((e) => e.storeId === null && e.actor.username === "ida")).toBe(true);
  expect(all.some((e) => e.storeId === null && e.action === "settings.update" && e.actor.username === "owner")).toBe(
    true,
  );
  expect(seen(await entries(asOwner, `?storeId=${storeB}`))).toEqual(seen(ofPer));
  expect((await ida(`/api/v1/audit?storeId=${storeB}`)).status).toBe(404);
  const csv = await (await ida("/api/v1/audit/export.csv")).text();
  expect(csv.split("\r\n")[0]).toBe("at,action,actor type,actor,target,sale id,device,address,store id");
  expect(csv).toContain("terminal.create,staff,ida,terminal:ida-1");
  expect(csv).not.toContain("kaien");
});
