import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_CLOCK_SKEW_MS,
  computeSignature,
  contentHash,
  signWebhookRequest,
  stringToSign,
  verifyWebhookSignature,
  type VerifyWebhookParams,
} from "@/lib/vipps/webhook-signature";

// The worked example from EPAYMENT-API.md §7.4 (values from the public Vipps MobilePay docs).
const EXAMPLE = {
  secret: "A0+AeKBRG2KRGvnNwJpQlb6IJFk48CKXCIcrLoHncVJKDILsQSxS6NWCccwWm6r6FhGKhiHTBsG2wo/xU6FY/A==",
  url: "https://webhook.site/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63",
  host: "webhook.site",
  pathAndQuery: "/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63",
  body: '{"some-unique-content":"ee6e441b-cc4a-46f8-895d-a5af79bcc233/hello-world"}',
  date: "Thu, 30 Mar 2023 08:38:32 GMT",
  contentHash: "lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=",
  stringToSign:
    "POST\n/e2cee29b-012e-4f1d-8ef4-e95fd74a7a63\nThu, 30 Mar 2023 08:38:32 GMT;webhook.site;lNlsp1XA03N34HrQsVzPgJKtC+r7l/RBF4V3JQUWMj4=",
  signature: "agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=",
  authorization:
    "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=agAiSyogQbDHpeucoNwYz+yAr5nJ+v+zasdkSbqzv+U=",
};
const EXAMPLE_NOW = Date.parse(EXAMPLE.date) + 30_000;

function exampleHeaders(overrides: Record<string, string | undefined> = {}): Headers {
  const headers = new Headers();
  const values: Record<string, string | undefined> = {
    "x-ms-date": EXAMPLE.date,
    "x-ms-content-sha256": EXAMPLE.contentHash,
    host: EXAMPLE.host,
    authorization: EXAMPLE.authorization,
    ...overrides,
  };
  for (const [name, value] of Object.entries(values)) if (value !== undefined) headers.set(name, value);
  return headers;
}

function verifyExample(overrides: Partial<VerifyWebhookParams> = {}) {
  return verifyWebhookSignature({
    secret: EXAMPLE.secret,
    pathAndQuery: EXAMPLE.pathAndQuery,
    host: EXAMPLE.host,
    headers: exampleHeaders(),
    rawBody: EXAMPLE.body,
    nowMs: EXAMPLE_NOW,
    ...overrides,
  });
}

describe("webhook signature: documented example (golden)", () => {
  it("computes the documented intermediate values", () => {
    expect(contentHash(EXAMPLE.body)).toBe(EXAMPLE.contentHash);
    expect(contentHash(new TextEncoder().encode(EXAMPLE.body))).toBe(EXAMPLE.contentHash);
    const toSign = stringToSign("POST", EXAMPLE.pathAndQuery, EXAMPLE.date, EXAMPLE.host, EXAMPLE.contentHash);
    expect(toSign).toBe(EXAMPLE.stringToSign);
    expect(computeSignature(EXAMPLE.secret, toSign)).toBe(EXAMPLE.signature);
  });

  it("uses the secret's UTF-8 bytes as the key, not its base64 decoding", () => {
    const decodedKey = createHmac("sha256", Buffer.from(EXAMPLE.secret, "base64"))
      .update(EXAMPLE.stringToSign)
      .digest("base64");
    expect(decodedKey).not.toBe(EXAMPLE.signature);
    expect(computeSignature(EXAMPLE.secret, EXAMPLE.stringToSign)).toBe(EXAMPLE.signature);
  });

  it("signWebhookRequest produces exactly the documented headers", () => {
    const signed = signWebhookRequest({
      secret: EXAMPLE.secret,
      url: EXAMPLE.url,
      body: EXAMPLE.body,
      date: new Date(Date.parse(EXAMPLE.date)),
    });
    expect(signed).toEqual({
      "x-ms-date": EXAMPLE.date,
      "x-ms-content-sha256": EXAMPLE.contentHash,
      host: EXAMPLE.host,
      authorization: EXAMPLE.authorization,
    });
  });

  it("verifyWebhookSignature accepts the documented request", () => {
    expect(verifyExample()).toEqual({ ok: true });
  });

  it("reads headers case-insensitively (as a Fetch Headers object does)", () => {
    const headers = new Headers({
      "X-MS-DATE": EXAMPLE.date,
      "X-Ms-Content-Sha256": EXAMPLE.contentHash,
      Authorization: EXAMPLE.authorization,
    });
    expect(verifyExample({ headers })).toEqual({ ok: true });
  });
});

describe("webhook signature: rejections", () => {
  it("rejects a tampered body", () => {
    expect(verifyExample({ rawBody: EXAMPLE.body.replace("hello", "hellO") })).toEqual({
      ok: false,
      reason: "content-hash-mismatch",
    });
  });

  it("rejects a re-serialised body (whitespace matters)", () => {
    const reserialised = JSON.stringify(JSON.parse(EXAMPLE.body), null, 1);
    expect(verifyExample({ rawBody: reserialised })).toMatchObject({ ok: false, reason: "content-hash-mismatch" });
  });

  it("rejects a tampered x-ms-content-sha256 header", () => {
    const forgedHash = contentHash('{"forged":true}');
    expect(verifyExample({ headers: exampleHeaders({ "x-ms-content-sha256": forgedHash }) })).toEqual({
      ok: false,
      reason: "content-hash-mismatch",
    });
    // Even when the body is swapped to match the forged hash, the signature no longer matches.
    expect(
      verifyExample({ headers: exampleHeaders({ "x-ms-content-sha256": forgedHash }), rawBody: '{"forged":true}' }),
    ).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("rejects a tampered date header as a signature mismatch", () => {
    const laterDate = "Thu, 30 Mar 2023 08:38:33 GMT";
    expect(verifyExample({ headers: exampleHeaders({ "x-ms-date": laterDate }) })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("rejects a date further from now than the allowed skew, in either direction", () => {
    const sentAt = Date.parse(EXAMPLE.date);
    expect(verifyExample({ nowMs: sentAt + DEFAULT_MAX_CLOCK_SKEW_MS + 1_000 })).toEqual({
      ok: false,
      reason: "clock-skew",
    });
    expect(verifyExample({ nowMs: sentAt - DEFAULT_MAX_CLOCK_SKEW_MS - 1_000 })).toEqual({
      ok: false,
      reason: "clock-skew",
    });
    expect(verifyExample({ nowMs: sentAt + DEFAULT_MAX_CLOCK_SKEW_MS - 1_000 })).toEqual({ ok: true });
    expect(verifyExample({ nowMs: sentAt + 60_000, maxClockSkewMs: 30_000 })).toEqual({
      ok: false,
      reason: "clock-skew",
    });
  });

  it("rejects an unparsable date", () => {
    expect(verifyExample({ headers: exampleHeaders({ "x-ms-date": "yesterday-ish" }) })).toEqual({
      ok: false,
      reason: "bad-date",
    });
  });

  it("rejects a signature made with another secret", () => {
    expect(verifyExample({ secret: `${EXAMPLE.secret}x` })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("rejects a request signed for another path or host", () => {
    expect(verifyExample({ pathAndQuery: "/another-path" })).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyExample({ host: "evil.example" })).toEqual({ ok: false, reason: "bad-signature" });
  });

  it.each(["x-ms-date", "x-ms-content-sha256", "authorization"])("rejects a request without %s", (name) => {
    expect(verifyExample({ headers: exampleHeaders({ [name]: undefined }) })).toEqual({
      ok: false,
      reason: "missing-header",
    });
  });

  it("rejects an Authorization header with different signed headers", () => {
    const other = EXAMPLE.authorization.replace(
      "x-ms-date;host;x-ms-content-sha256",
      "host;x-ms-date;x-ms-content-sha256",
    );
    expect(verifyExample({ headers: exampleHeaders({ authorization: other }) })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });
});

describe("webhook signature: URL handling", () => {
  const secret = "webhook-secret-for-tests";
  const body = JSON.stringify({ msn: "123456", reference: "kassa-0001-abcdef", name: "AUTHORIZED" });
  const date = new Date("2024-05-01T10:00:00Z");

  it("keeps a non-default port in host, and drops the default one", () => {
    const signed = signWebhookRequest({ secret, url: "https://kassa.example.com:8443/api/vipps/webhook", body, date });
    expect(signed.host).toBe("kassa.example.com:8443");
    const base = {
      secret,
      pathAndQuery: "/api/vipps/webhook",
      rawBody: body,
      nowMs: date.getTime(),
      headers: new Headers({ ...signed }),
    };
    expect(verifyWebhookSignature({ ...base, host: "kassa.example.com:8443" })).toEqual({ ok: true });
    expect(verifyWebhookSignature({ ...base, host: "kassa.example.com" })).toEqual({
      ok: false,
      reason: "bad-signature",
    });

    expect(
      signWebhookRequest({ secret, url: "https://kassa.example.com:443/api/vipps/webhook", body, date }).host,
    ).toBe("kassa.example.com");
    expect(signWebhookRequest({ secret, url: "http://kassa.example.com:80/hook", body, date }).host).toBe(
      "kassa.example.com",
    );
    expect(signWebhookRequest({ secret, url: "http://kassa.example.com:8080/hook", body, date }).host).toBe(
      "kassa.example.com:8080",
    );
  });

  it("includes the query string in pathAndQuery", () => {
    const url = "https://kassa.example.com/api/vipps/webhook?display=till-1&v=2";
    const signed = signWebhookRequest({ secret, url, body, date });
    const expected = computeSignature(
      secret,
      stringToSign(
        "POST",
        "/api/vipps/webhook?display=till-1&v=2",
        signed["x-ms-date"],
        "kassa.example.com",
        contentHash(body),
      ),
    );
    expect(signed.authorization).toBe(
      `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${expected}`,
    );

    const base = {
      secret,
      host: "kassa.example.com",
      rawBody: body,
      nowMs: date.getTime(),
      headers: new Headers({ ...signed }),
    };
    expect(verifyWebhookSignature({ ...base, pathAndQuery: "/api/vipps/webhook?display=till-1&v=2" })).toEqual({
      ok: true,
    });
    expect(verifyWebhookSignature({ ...base, pathAndQuery: "/api/vipps/webhook" })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("round-trips a non-ASCII body byte-exactly", () => {
    const utf8Body = JSON.stringify({ paymentDescription: "Kaffe og wienerbrød – 2 stk" });
    const signed = signWebhookRequest({ secret, url: "https://kassa.example.com/hook", body: utf8Body, date });
    expect(signed["x-ms-content-sha256"]).toBe(contentHash(Buffer.from(utf8Body, "utf8")));
    expect(
      verifyWebhookSignature({
        secret,
        host: "kassa.example.com",
        pathAndQuery: "/hook",
        headers: new Headers({ ...signed }),
        rawBody: utf8Body,
        nowMs: date.getTime(),
      }),
    ).toEqual({ ok: true });
  });
});

describe("webhook signature: edges", () => {
  it("signs the method in upper case, whatever case it is given in", () => {
    expect(stringToSign("post", EXAMPLE.pathAndQuery, EXAMPLE.date, EXAMPLE.host, EXAMPLE.contentHash)).toBe(
      EXAMPLE.stringToSign,
    );
  });

  it("accepts a date exactly at the allowed skew, in either direction", () => {
    const sentAt = Date.parse(EXAMPLE.date);
    expect(verifyExample({ nowMs: sentAt + DEFAULT_MAX_CLOCK_SKEW_MS })).toEqual({ ok: true });
    expect(verifyExample({ nowMs: sentAt - DEFAULT_MAX_CLOCK_SKEW_MS })).toEqual({ ok: true });
    expect(verifyExample({ nowMs: sentAt + DEFAULT_MAX_CLOCK_SKEW_MS + 1 })).toEqual({
      ok: false,
      reason: "clock-skew",
    });
    expect(DEFAULT_MAX_CLOCK_SKEW_MS).toBe(5 * 60 * 1000);
  });

  it("a wider allowed skew is honoured", () => {
    const sentAt = Date.parse(EXAMPLE.date);
    expect(verifyExample({ nowMs: sentAt + 10 * 60_000, maxClockSkewMs: 15 * 60_000 })).toEqual({ ok: true });
  });

  it("a header of another length is a mismatch, not a crash", () => {
    expect(verifyExample({ headers: exampleHeaders({ "x-ms-content-sha256": "short" }) })).toEqual({
      ok: false,
      reason: "content-hash-mismatch",
    });
    expect(verifyExample({ headers: exampleHeaders({ authorization: EXAMPLE.authorization.slice(0, -1) }) })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(verifyExample({ headers: exampleHeaders({ authorization: `${EXAMPLE.authorization}=` }) })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(verifyExample({ headers: exampleHeaders({ authorization: EXAMPLE.signature }) })).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });

  it("an empty header counts as missing", () => {
    for (const name of ["x-ms-date", "x-ms-content-sha256", "authorization"]) {
      expect(verifyExample({ headers: exampleHeaders({ [name]: "" }) })).toEqual({
        ok: false,
        reason: "missing-header",
      });
    }
  });

  it("checks the body before the date, and the date before the signature", () => {
    // Tampered body and a stale date: the body is reported.
    expect(verifyExample({ rawBody: `${EXAMPLE.body} `, nowMs: Date.now() })).toEqual({
      ok: false,
      reason: "content-hash-mismatch",
    });
    // Stale date and a wrong secret: the date is reported.
    expect(verifyExample({ secret: "other", nowMs: Date.parse(EXAMPLE.date) + DEFAULT_MAX_CLOCK_SKEW_MS + 1 })).toEqual(
      { ok: false, reason: "clock-skew" },
    );
  });
});
