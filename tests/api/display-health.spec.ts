// Display health over HTTP: a stream that names its display makes it online; closing the stream
// makes it offline at once; heartbeats need the display's credentials and a well-formed id.
import { expect, test } from "../support/fixtures";

test("a named display stream is online while open and offline once closed; heartbeats are checked", async ({ app }) => {
  const terminal = (await (await app.api("/api/v1/terminals/pos-1")).json()) as {
    displayUrl: string;
    displays: unknown[];
  };
  expect(terminal.displays).toEqual([]);
  const token = new URL(terminal.displayUrl).searchParams.get("token")!;
  const base = `${app.url}/api/display/pos-1`;

  const stream = new AbortController();
  const response = await fetch(`${base}/events?token=${token}&display=api-test-display&screen=800x1280`, {
    signal: stream.signal,
    headers: { "user-agent": "KioskTest/1.0" },
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  await reader.read();
  const listed = async () =>
    (
      (await (await app.api("/api/v1/terminals/pos-1")).json()) as {
        displays: { id: string; online: boolean; kind: string; screen: string; userAgent: string }[];
      }
    ).displays;
  expect(await listed()).toEqual([
    expect.objectContaining({
      id: "api-test-display",
      kind: "link",
      online: true,
      screen: "800x1280",
      userAgent: "KioskTest/1.0",
    }),
  ]);

  const beat = (body: unknown, query = `?token=${token}`) =>
    fetch(`${base}/heartbeat${query}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  expect((await beat({ displayId: "api-test-display", screen: "800x1280" })).status).toBe(204);
  const refused = await beat({ displayId: "no" });
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe("displayId");
  expect((await beat({ displayId: "api-test-display" }, "?token=wrong")).status).toBe(401);

  stream.abort();
  await expect.poll(async () => (await listed())[0]?.online, { timeout: 5_000 }).toBe(false);
});
