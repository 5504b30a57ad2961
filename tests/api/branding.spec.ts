// Shop branding over HTTP: the logo uploaded as raw bytes with the API key or the cashier's session
// (same-origin only), served publicly with headers that keep an SVG inert, refused with field
// reasons when it is not a harmless PNG, JPEG or SVG; the accent colour checked for contrast; both
// carried in the display state; and the logo removed again.
import { PNG } from "pngjs";
import { expect, test } from "../support/fixtures";

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 20"><rect width="40" height="20" rx="4" fill="#ffd400"/></svg>';

function png(width: number, height: number): Uint8Array<ArrayBuffer> {
  const image = new PNG({ width, height });
  image.data.fill(0xcc);
  return new Uint8Array(PNG.sync.write(image));
}

interface Settings {
  shopName: string;
  accentColor: string | null;
  logo: { url: string; contentType: string; size: number } | null;
}

interface Problem {
  status: number;
  detail: string;
  errors?: { field: string; reason: string }[];
}

test("a logo is uploaded, served inert and cacheable, shown to the displays and removed", async ({ app }) => {
  const put = (body: BodyInit, contentType: string, headers: Record<string, string> = {}) =>
    app.api("/api/v1/settings/logo", { method: "PUT", body, headers: { "content-type": contentType, ...headers } });
  const settings = async () => (await (await app.api("/api/v1/settings")).json()) as Settings;
  const terminal = (await (await app.api("/api/v1/terminals/pos-1")).json()) as { displayUrl: string };
  const token = new URL(terminal.displayUrl).searchParams.get("token")!;
  const displayState = async () =>
    (await (await fetch(`${app.url}/api/display/pos-1/state?token=${token}`)).json()) as {
      terminal: { brand?: { accent?: string; logoUrl?: string } };
    };

  expect(await settings()).toMatchObject({ accentColor: null, logo: null });
  const none = await fetch(`${app.url}/api/display/branding/logo`);
  expect(none.status).toBe(404);
  expect(none.headers.get("content-type")).toBe("application/problem+json");
  expect((await displayState()).terminal.brand).toBeUndefined();

  // A PNG with the API key.
  const bytes = png(64, 32);
  const uploaded = await put(bytes, "image/png");
  expect(uploaded.status, await uploaded.clone().text()).toBe(200);
  const { logo } = (await uploaded.json()) as Settings;
  expect(logo).toEqual({
    url: expect.stringMatching(/^\/api\/display\/branding\/logo\?v=[0-9a-f]{20}$/),
    contentType: "image/png",
    size: bytes.byteLength,
  });

  // Public: no key, no cookie. The versioned address may be cached for good; the ETag answers the rest.
  const served = await fetch(`${app.url}${logo!.url}`);
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toBe("image/png");
  expect(served.headers.get("x-content-type-options")).toBe("nosniff");
  expect(served.headers.get("content-security-policy")).toContain("default-src 'none'");
  expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  const etag = served.headers.get("etag")!;
  expect(etag).toBe(`"${new URL(logo!.url, app.url).searchParams.get("v")}"`);
  expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);
  const unversioned = await fetch(`${app.url}/api/display/branding/logo`);
  expect(unversioned.headers.get("cache-control")).toBe("no-cache");
  const revalidated = await fetch(`${app.url}/api/display/branding/logo`, { headers: { "if-none-match": etag } });
  expect(revalidated.status).toBe(304);
  expect((await displayState()).terminal.brand).toEqual({ logoUrl: logo!.url });

  // An SVG, sent as octet-stream: the bytes decide its type. It is served with a policy that lets it draw, nothing more.
  const svg = await put(SVG, "application/octet-stream");
  expect(svg.status, await svg.clone().text()).toBe(200);
  const svgLogo = ((await svg.json()) as Settings).logo!;
  expect(svgLogo.contentType).toBe("image/svg+xml");
  const servedSvg = await fetch(`${app.url}${svgLogo.url}`);
  expect(servedSvg.headers.get("content-type")).toBe("image/svg+xml");
  expect(servedSvg.headers.get("content-security-policy")).toContain("default-src 'none'; style-src 'unsafe-inline'");
  expect(servedSvg.headers.get("x-content-type-options")).toBe("nosniff");
  expect(await servedSvg.text()).toBe(SVG);
  // The old version's address no longer gets the forever-cache header.
  expect((await fetch(`${app.url}${logo!.url}`)).headers.get("cache-control")).toBe("no-cache");

  // Refusals, each naming the field and the reason; the stored logo stays.
  const refusal = async (response: Response) => {
    const problem = (await response.json()) as Problem;
    return { status: response.status, type: response.headers.get("content-type"), error: problem.errors?.[0] };
  };
  expect(await refusal(await put(SVG.replace("<rect", '<rect onclick="alert(1)"'), "image/svg+xml"))).toEqual({
    status: 400,
    type: "application/problem+json",
    error: { field: "logo", reason: expect.stringMatching(/event-handler attribute \(onclick/) },
  });
  expect(
    (await refusal(await put(SVG.replace("</svg>", "<script>alert(1)</script></svg>"), "image/svg+xml"))).error?.reason,
  ).toMatch(/<script> element/);
  expect(
    (await refusal(await put(SVG.replace("<rect", '<image href="https://example.com/a.png"/><rect'), "image/svg+xml")))
      .error?.reason,
  ).toMatch(/external reference/);
  expect((await refusal(await put("<html><script>alert(1)</script></html>", "image/svg+xml"))).error).toEqual({
    field: "logo",
    reason: expect.stringMatching(/not a PNG, JPEG or SVG/),
  });
  expect(await refusal(await put(png(4, 4), "image/svg+xml"))).toMatchObject({
    status: 400,
    error: { field: "Content-Type", reason: "the body is a PNG image, not image/svg+xml" },
  });
  expect(await refusal(await put(SVG, "text/html"))).toMatchObject({ status: 400, error: { field: "Content-Type" } });
  expect((await put(new Uint8Array(300 * 1024), "image/png")).status).toBe(413);
  expect(
    (
      await fetch(`${app.url}/api/v1/settings/logo`, {
        method: "PUT",
        headers: { "content-type": "image/png" },
        body: png(4, 4),
      })
    ).status,
  ).toBe(401);
  expect((await settings()).logo?.url).toBe(svgLogo.url);

  // The cashier's session may upload too, but only from the app's own origin.
  const signedIn = await fetch(`${app.url}/api/admin/session`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: app.url },
    body: JSON.stringify({ password: app.adminPassword }),
  });
  expect(signedIn.status).toBe(200);
  const cookie = signedIn.headers
    .getSetCookie()
    .map((value) => value.split(";")[0])
    .join("; ");
  const asCashier = (origin: string) =>
    fetch(`${app.url}/api/v1/settings/logo`, {
      method: "PUT",
      headers: { cookie, origin, "content-type": "image/png" },
      body: png(16, 16),
    });
  expect((await asCashier("https://evil.example")).status).toBe(403);
  expect((await settings()).logo?.url).toBe(svgLogo.url);
  const own = await asCashier(app.url);
  expect(own.status).toBe(200);
  expect(((await own.json()) as Settings).logo?.size).toBe(png(16, 16).byteLength);

  // Removed: gone from the settings, the public address and the display state.
  const removed = await app.api("/api/v1/settings/logo", { method: "DELETE" });
  expect(removed.status).toBe(204);
  expect((await settings()).logo).toBeNull();
  expect((await fetch(`${app.url}/api/display/branding/logo`)).status).toBe(404);
  expect((await displayState()).terminal.brand).toBeUndefined();
});

test("the accent colour is checked for form and for contrast on the dark display, and reaches the display state", async ({
  app,
}) => {
  const patch = (json: unknown) => app.api("/api/v1/settings", { method: "PATCH", json });
  const tooDark = await patch({ accentColor: "#1a237e" });
  expect(tooDark.status).toBe(400);
  const problem = (await tooDark.json()) as Problem;
  expect(problem.errors).toEqual([
    {
      field: "accentColor",
      reason: expect.stringMatching(/too dark for the display: .* is 1\.\d:1 and must be at least 3:1/),
    },
  ]);
  const malformed = (await (await patch({ accentColor: "orange" })).json()) as Problem;
  expect(malformed.errors).toEqual([{ field: "accentColor", reason: expect.stringMatching(/#rrggbb/) }]);

  const saved = await patch({ accentColor: "#FFD400" });
  expect(saved.status).toBe(200);
  expect(((await saved.json()) as Settings).accentColor).toBe("#ffd400");
  const terminal = (await (await app.api("/api/v1/terminals/pos-1")).json()) as { displayUrl: string };
  const token = new URL(terminal.displayUrl).searchParams.get("token")!;
  const state = (await (await fetch(`${app.url}/api/display/pos-1/state?token=${token}`)).json()) as {
    terminal: { brand?: unknown };
  };
  expect(state.terminal.brand).toEqual({ accent: "#ffd400" });

  expect(((await (await patch({ accentColor: null })).json()) as Settings).accentColor).toBeNull();
});

test("a store's own accent and logo are laid over the shop's on its displays only", async ({ app }) => {
  const created = await app.api("/api/v1/stores", {
    method: "POST",
    json: { id: "bergen", name: "Bergen", msn: "654399", currency: "NOK" },
  });
  expect(created.status, await created.clone().text()).toBe(201);
  expect(await created.json()).toMatchObject({ accentColor: null, logo: null });
  const added = await app.api("/api/v1/terminals", {
    method: "POST",
    json: { id: "bergen-1", name: "Bergen 1", currency: "NOK", storeId: "bergen" },
  });
  expect(added.status, await added.clone().text()).toBe(201);
  const brandOf = async (terminalId: string) => {
    const { displayUrl } = (await (await app.api(`/api/v1/terminals/${terminalId}`)).json()) as { displayUrl: string };
    const token = new URL(displayUrl).searchParams.get("token")!;
    const state = (await (await fetch(`${app.url}/api/display/${terminalId}/state?token=${token}`)).json()) as {
      terminal: { brand?: { accent?: string; logoUrl?: string } };
    };
    return state.terminal.brand;
  };

  expect((await app.api("/api/v1/settings", { method: "PATCH", json: { accentColor: "#ffd400" } })).status).toBe(200);
  expect(await brandOf("bergen-1")).toEqual({ accent: "#ffd400" });

  // A colour the dark display cannot show is refused with its field, and the store keeps the shop's.
  const dark = await app.api("/api/v1/stores/bergen", { method: "PATCH", json: { accentColor: "#101010", name: "X" } });
  expect(dark.status).toBe(400);
  expect(((await dark.json()) as Problem).errors?.[0]?.field).toBe("accentColor");
  expect(((await (await app.api("/api/v1/stores/bergen")).json()) as { name: string }).name).toBe("Bergen");

  const accent = await app.api("/api/v1/stores/bergen", { method: "PATCH", json: { accentColor: "#2F9E8F" } });
  expect(accent.status, await accent.clone().text()).toBe(200);
  expect(await accent.json()).toMatchObject({ accentColor: "#2f9e8f", logo: null });
  const logo = await app.api("/api/v1/stores/bergen/logo", {
    method: "PUT",
    body: SVG,
    headers: { "content-type": "image/svg+xml" },
  });
  expect(logo.status, await logo.clone().text()).toBe(200);
  const storeLogo = ((await logo.json()) as Settings).logo!;
  expect(storeLogo.url).toMatch(/^\/api\/display\/branding\/logo\?store=bergen&v=[0-9a-f]{20}$/);
  const served = await fetch(`${app.url}${storeLogo.url}`);
  expect(served.status).toBe(200);
  expect(served.headers.get("content-type")).toBe("image/svg+xml");
  expect(served.headers.get("content-security-policy")).toContain("default-src 'none'");
  expect(await served.text()).toBe(SVG);

  // Store B's display shows B's look; store 1's keeps the shop's.
  expect(await brandOf("bergen-1")).toEqual({ accent: "#2f9e8f", logoUrl: storeLogo.url });
  expect(await brandOf("pos-1")).toEqual({ accent: "#ffd400" });

  // An unknown store's logo route is a 404; removing B's logo leaves its accent over the shop's.
  expect((await app.api("/api/v1/stores/nowhere/logo", { method: "DELETE" })).status).toBe(404);
  expect((await app.api("/api/v1/stores/bergen/logo", { method: "DELETE" })).status).toBe(204);
  expect((await fetch(`${app.url}${storeLogo.url}`)).status).toBe(404);
  expect(await brandOf("bergen-1")).toEqual({ accent: "#2f9e8f" });
  expect((await app.api("/api/v1/stores/bergen", { method: "PATCH", json: { accentColor: null } })).status).toBe(200);
  expect(await brandOf("bergen-1")).toEqual({ accent: "#ffd400" });
  expect((await app.api("/api/v1/settings", { method: "PATCH", json: { accentColor: null } })).status).toBe(200);
});
