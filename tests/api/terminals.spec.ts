import { expect, test } from "../support/fixtures";
import type { AppHandle } from "../support/app-server";
import { createSale, TWO_LINES } from "./helpers";

interface TerminalBody {
  id: string;
  name: string;
  posId: string;
  language: string;
  currency: string;
  displayUrl: string;
  activeSaleId: string | null;
}

async function expectProblem(response: Response, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/problem+json");
  const body = await response.json();
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe("string");
  if (field) expect(body.errors.map((e: { field: string }) => e.field)).toContain(field);
  return body;
}

async function addTerminal(app: AppHandle, body: unknown): Promise<TerminalBody> {
  const response = await app.api("/api/v1/terminals", { method: "POST", json: body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as TerminalBody;
}

const tokenOf = (displayUrl: string) => new URL(displayUrl).searchParams.get("token")!;
const displayState = (app: AppHandle, terminalId: string, token: string) =>
  fetch(`${app.url}/api/display/${encodeURIComponent(terminalId)}/state?token=${encodeURIComponent(token)}`);

test.describe.configure({ mode: "serial" });

test("a terminal is added with and without an id; a taken id is 409, a bad one 400", async ({ app }) => {
  const generated = await addTerminal(app, { name: "Counter 2" });
  expect(generated).toMatchObject({
    id: "pos-2",
    name: "Counter 2",
    posId: "pos-2",
    language: "nb",
    currency: "NOK",
    activeSaleId: null,
  });
  expect(generated.displayUrl).toMatch(new RegExp(`^${app.url}/display/pos-2\\?token=[A-Za-z0-9_-]{24}$`));

  const named = await addTerminal(app, {
    id: "cafe-bar",
    name: "Café bar",
    posId: "BAR.1",
    language: "en",
    currency: "NOK",
  });
  expect(named).toMatchObject({ id: "cafe-bar", name: "Café bar", posId: "BAR.1", language: "en" });
  expect(tokenOf(named.displayUrl)).not.toBe(tokenOf(generated.displayUrl));

  const third = await addTerminal(app, { name: "Counter 3" });
  expect(third.id).toBe("pos-3");

  const duplicate = await expectProblem(
    await app.api("/api/v1/terminals", { method: "POST", json: { id: "pos-2", name: "Again" } }),
    409,
    "id",
  );
  expect(duplicate.type).toMatch(/\/conflict$/);
  expect(duplicate.title).toBe("Already exists");
  // The existing terminal is untouched by the refused create.
  expect(await (await app.api("/api/v1/terminals/pos-2")).json()).toMatchObject({
    name: "Counter 2",
    displayUrl: generated.displayUrl,
  });

  for (const id of ["Pos-9", "-pos", "pos_9", "a".repeat(33), "", "pos 9"]) {
    await expectProblem(await app.api("/api/v1/terminals", { method: "POST", json: { id, name: "Bad" } }), 400, "id");
  }
  await expectProblem(await app.api("/api/v1/terminals", { method: "POST", json: { id: "pos-9" } }), 400, "name");
  await expectProblem(
    await app.api("/api/v1/terminals", { method: "POST", json: { name: "X", language: "de" } }),
    400,
    "language",
  );
  await expectProblem(await app.api("/api/v1/terminals", { method: "POST", json: { name: "X", extra: 1 } }), 400);
  await expectProblem(
    await fetch(`${app.url}/api/v1/terminals`, {
      method: "POST",
      body: JSON.stringify({ name: "X" }),
      headers: { "content-type": "application/json" },
    }),
    401,
  );

  const list = (await (await app.api("/api/v1/terminals")).json()) as { items: TerminalBody[] };
  expect(list.items.map((terminal) => terminal.id).sort()).toEqual(["cafe-bar", "pos-1", "pos-2", "pos-3"]);
});

test("the new terminal takes a sale while pos-1 takes one at the same time", async ({ app }) => {
  const [onNew, onFirst] = await Promise.all([
    createSale(app, { ...TWO_LINES, terminalId: "pos-2" }),
    createSale(app, TWO_LINES),
  ]);
  expect(onNew.id).not.toBe(onFirst.id);
  expect(onNew.state).toBe("pending");
  expect(onFirst.state).toBe("pending");
  const [pos2, pos1] = await Promise.all([
    (await app.api("/api/v1/terminals/pos-2")).json(),
    (await app.api("/api/v1/terminals/pos-1")).json(),
  ]);
  expect(pos2.activeSaleId).toBe(onNew.id);
  expect(pos1.activeSaleId).toBe(onFirst.id);

  // Each terminal is still busy on its own: a second sale on pos-2 is refused, not queued elsewhere.
  await expectProblem(
    await app.api("/api/v1/sales", { method: "POST", json: { ...TWO_LINES, terminalId: "pos-2" } }),
    409,
  );

  const state = await displayState(app, "pos-2", tokenOf(pos2.displayUrl));
  expect(state.status).toBe(200);

  for (const sale of [onNew, onFirst])
    expect((await app.api(`/api/v1/sales/${sale.id}/cancel`, { method: "POST" })).status).toBe(200);
});

test("a new display link replaces the old one at once", async ({ app }) => {
  const before = (await (await app.api("/api/v1/terminals/pos-2")).json()) as TerminalBody;
  const oldToken = tokenOf(before.displayUrl);
  expect((await displayState(app, "pos-2", oldToken)).status).toBe(200);

  const response = await app.api("/api/v1/terminals/pos-2/display-link", { method: "POST" });
  expect(response.status, await response.clone().text()).toBe(200);
  const after = (await response.json()) as TerminalBody;
  const newToken = tokenOf(after.displayUrl);
  expect(newToken).not.toBe(oldToken);
  expect(after).toMatchObject({ id: "pos-2", name: "Counter 2", posId: "pos-2" });
  expect(after.displayUrl).toMatch(new RegExp(`^${app.url}/display/pos-2\\?token=[A-Za-z0-9_-]{24}$`));

  await expectProblem(await displayState(app, "pos-2", oldToken), 401);
  await expectProblem(await fetch(`${app.url}/api/display/pos-2/events?token=${encodeURIComponent(oldToken)}`), 401);
  expect((await displayState(app, "pos-2", newToken)).status).toBe(200);
  expect(await (await app.api("/api/v1/terminals/pos-2")).json()).toMatchObject({ displayUrl: after.displayUrl });

  // A later edit of the terminal keeps the new link; the old one stays dead.
  const patched = await app.api("/api/v1/terminals/pos-2", { method: "PATCH", json: { name: "Counter two" } });
  expect(((await patched.json()) as TerminalBody).displayUrl).toBe(after.displayUrl);
  await expectProblem(await displayState(app, "pos-2", oldToken), 401);

  // Other terminals' links are untouched.
  const pos1 = (await (await app.api("/api/v1/terminals/pos-1")).json()) as TerminalBody;
  expect((await displayState(app, "pos-1", tokenOf(pos1.displayUrl))).status).toBe(200);
  // The old pos-2 token does not open another terminal either.
  await expectProblem(await displayState(app, "pos-1", oldToken), 401);

  await expectProblem(await app.api("/api/v1/terminals/nope/display-link", { method: "POST" }), 404);
  await expectProblem(await fetch(`${app.url}/api/v1/terminals/pos-2/display-link`, { method: "POST" }), 401);
});

test("a stream opened with the old link ends at its next heartbeat after the link is replaced", async ({ app }) => {
  test.setTimeout(40_000);
  const before = (await (await app.api("/api/v1/terminals/pos-3")).json()) as TerminalBody;
  const controller = new AbortController();
  const stream = await fetch(
    `${app.url}/api/display/pos-3/events?token=${encodeURIComponent(tokenOf(before.displayUrl))}`,
    { signal: controller.signal },
  );
  expect(stream.status).toBe(200);
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let received = "";
  while (!received.includes("event: state")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("stream ended before the first state");
    received += decoder.decode(value);
  }
  expect((await app.api("/api/v1/terminals/pos-3/display-link", { method: "POST" })).status).toBe(200);
  const startedWaiting = Date.now();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      expect(decoder.decode(value), "no ping after the link was replaced").not.toContain("event: ping");
    }
  } finally {
    controller.abort();
  }
  expect(Date.now() - startedWaiting).toBeLessThan(20_000);
});

test("the OpenAPI document describes both operations", async ({ app }) => {
  const openapi = await (await fetch(`${app.url}/api/v1/openapi.json`)).json();
  expect(openapi.paths["/api/v1/terminals"].post.responses["201"]).toBeTruthy();
  expect(openapi.paths["/api/v1/terminals"].post.responses["409"]).toBeTruthy();
  expect(openapi.paths["/api/v1/terminals/{id}/display-link"].post.responses["200"]).toBeTruthy();
  expect(openapi.components.schemas.TerminalCreate.required).toEqual(["name"]);
});
