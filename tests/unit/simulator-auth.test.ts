import { afterEach, describe, expect, it } from "vitest";
import { createHarness, type Harness, TEST_ORIGIN } from "../support/simulator-harness";

let h: Harness;
afterEach(async () => {
  await h.stop();
});

describe("simulator: POST /accesstoken/get", () => {
  it("issues a Bearer token with every field as a string", async () => {
    h = createHarness();
    const before = Math.floor(h.clock.now() / 1000);
    const response = await h.send("POST", "/accesstoken/get", { headers: h.tokenHeaders() });
    expect(response.status).toBe(200);
    expect(response.contentType).toMatch(/^application\/json/);
    const body = response.body;
    expect(Object.keys(body).sort()).toEqual(
      ["access_token", "expires_in", "expires_on", "ext_expires_in", "not_before", "resource", "token_type"].sort(),
    );
    for (const value of Object.values(body)) expect(typeof value).toBe("string");
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe("3600");
    expect(body.ext_expires_in).toBe("0");
    expect(Number(body.not_before)).toBeGreaterThanOrEqual(before);
    expect(Number(body.expires_on) - Number(body.not_before)).toBe(3600);
    // A JWT: three base64url segments.
    expect(body.access_token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("accepts an empty 'Authorization: Bearer ', a form content type and a body, and works without an MSN", async () => {
    h = createHarness();
    const headers = h.tokenHeaders({ Authorization: "Bearer ", "content-type": "application/x-www-form-urlencoded" });
    delete headers["Merchant-Serial-Number"];
    const response = await h.send("POST", "/accesstoken/get", { headers, rawBody: "grant_type=client_credentials" });
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe("Bearer");
  });

  it("rejects wrong credentials with 401 and a missing client secret with 400", async () => {
    h = createHarness();
    expect(
      (await h.send("POST", "/accesstoken/get", { headers: h.tokenHeaders({ client_secret: "nope" }) })).status,
    ).toBe(401);
    expect((await h.send("POST", "/accesstoken/get", { headers: h.tokenHeaders({ client_id: "0000" }) })).status).toBe(
      401,
    );
    const wrongKey = await h.send("POST", "/accesstoken/get", {
      headers: h.tokenHeaders({ "Ocp-Apim-Subscription-Key": "other" }),
    });
    expect(wrongKey.status).toBe(401);
    // APIM, not the API, answers this one: plain JSON rather than problem+json.
    expect(wrongKey.body).toMatchObject({ statusCode: 401 });
    expect(
      (await h.send("POST", "/accesstoken/get", { headers: h.tokenHeaders({ "Merchant-Serial-Number": "999999" }) }))
        .status,
    ).toBe(401);
    const headers = h.tokenHeaders();
    delete headers.client_secret;
    expect((await h.send("POST", "/accesstoken/get", { headers })).status).toBe(400);
  });

  it("answers a client whose ignored body breaks off while sending, with a debug line that says so", async () => {
    const lines: [string, string, Record<string, unknown> | undefined][] = [];
    h = createHarness({ log: (level, message, fields) => void lines.push([level, message, fields]) });
    const body = new ReadableStream({
      pull(controller) {
        controller.error(new Error("client went away"));
      },
    });
    const request = new Request(`${TEST_ORIGIN}/sim/accesstoken/get`, {
      method: "POST",
      headers: h.tokenHeaders(),
      body,
      duplex: "half",
    } as RequestInit);
    expect((await h.sim.handle(request)).status).toBe(200);
    expect(lines).toEqual([
      ["debug", "could not read the ignored body of a token request", { err: new Error("client went away") }],
    ]);
  });

  it("only answers POST", async () => {
    h = createHarness();
    const response = await h.send("GET", "/accesstoken/get", { headers: h.tokenHeaders() });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});

describe("simulator: bearer token checks on ePayment", () => {
  it("accepts a fresh token and rejects it once it expires by the simulator clock", async () => {
    h = createHarness({ tokenTtlSeconds: 60 });
    const { reference } = await h.createPayment();
    const headers = await h.authHeaders();
    const get = () => h.send("GET", `/epayment/v1/payments/${reference}`, { headers });
    expect((await get()).status).toBe(200);
    // The simulator clock runs on from real time as well: leave a loaded machine a few seconds.
    h.clock.advance(55_000);
    expect((await get()).status).toBe(200);
    h.clock.advance(5_000);
    const expired = await get();
    expect(expired.status).toBe(401);
    expect(expired.contentType).toBe("application/problem+json");
    expect(expired.body.detail).toMatch(/expired/);
  });

  it("rejects a missing, lowercase-'bearer', tampered or foreign token", async () => {
    h = createHarness();
    const { reference } = await h.createPayment();
    const token = await h.token();
    const base = {
      "Ocp-Apim-Subscription-Key": h.credentials.subscriptionKey,
      "Merchant-Serial-Number": h.credentials.msn,
    };
    const get = (headers: Record<string, string>) =>
      h.send("GET", `/epayment/v1/payments/${reference}`, { headers: { ...base, ...headers } });
    expect((await get({})).status).toBe(401);
    expect((await get({ Authorization: `bearer ${token}` })).status).toBe(401);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, exp: claims.exp + 999_999 })).toString("base64url");
    expect((await get({ Authorization: `Bearer ${header}.${forged}.${signature}` })).status).toBe(401);
    // A token from another simulator (another secret) is not valid here.
    const other = createHarness();
    const foreign = await other.token();
    await other.stop();
    expect((await get({ Authorization: `Bearer ${foreign}` })).status).toBe(401);
    expect((await get({ Authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it("answers APIM-style 401 for a missing or wrong subscription key", async () => {
    h = createHarness();
    const { reference } = await h.createPayment();
    const response = await h.send("GET", `/epayment/v1/payments/${reference}`, {
      headers: { Authorization: `Bearer ${await h.token()}`, "Merchant-Serial-Number": h.credentials.msn },
    });
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, message: expect.stringMatching(/missing subscription key/) });
    const wrong = await h.send("GET", `/epayment/v1/payments/${reference}`, {
      headers: await h.authHeaders({ "Ocp-Apim-Subscription-Key": "someone-else" }),
    });
    expect(wrong.status).toBe(401);
  });

  it("requires the Merchant-Serial-Number and refuses another MSN with 403", async () => {
    h = createHarness();
    const { reference } = await h.createPayment();
    const headers = await h.authHeaders();
    delete headers["Merchant-Serial-Number"];
    const missing = await h.send("GET", `/epayment/v1/payments/${reference}`, { headers });
    expect(missing.status).toBe(400);
    expect(missing.body.extraDetails).toEqual([expect.objectContaining({ name: "Merchant-Serial-Number" })]);
    const other = await h.api("GET", `/epayment/v1/payments/${reference}`, undefined, {
      headers: { "Merchant-Serial-Number": "654321" },
    });
    expect(other.status).toBe(403);
    expect(other.contentType).toBe("application/problem+json");
    const malformed = await h.api("GET", `/epayment/v1/payments/${reference}`, undefined, {
      headers: { "Merchant-Serial-Number": "12ab" },
    });
    expect(malformed.status).toBe(400);
  });

  it("keeps tokens valid across a restart on the same database file", async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dbFile = path.join(mkdtempSync(path.join(tmpdir(), "sim-token-")), "sim.sqlite");
    h = createHarness({ dbFile });
    const { reference } = await h.createPayment();
    await h.restart();
    // The harness keeps the token it fetched before the restart.
    expect((await h.getPayment(reference)).status).toBe(200);
  });
});
