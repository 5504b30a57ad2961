import { describe, expect, it } from "vitest";
import { type Route, Router } from "@/lib/simulator/router";

const ok = (name: string) => () => new Response(name);

const routes: Route[] = [
  { method: "GET", path: "/webhooks/v1/webhooks", handler: ok("list") },
  { method: "POST", path: "/webhooks/v1/webhooks", handler: ok("register") },
  { method: "GET", path: "/epayment/v1/payments/:reference", handler: ok("get") },
  { method: "POST", path: "/epayment/v1/payments/:reference/capture", handler: ok("capture") },
  { method: "POST", path: "/epayment/v1/test/payments/:reference/approve", handler: ok("approve") },
];

async function body(match: ReturnType<Router["match"]>): Promise<string> {
  if (match.kind !== "found") throw new Error(`expected a match, got ${match.kind}`);
  const response = await match.handler({
    request: new Request("http://x/"),
    url: new URL("http://x/"),
    params: match.params,
    signal: new AbortController().signal,
  });
  return response.text();
}

describe("simulator router", () => {
  const router = new Router(routes);

  it("matches literal segments and captures parameters", async () => {
    const match = router.match("POST", ["epayment", "v1", "payments", "ref-12345", "capture"]);
    expect(match).toMatchObject({ kind: "found", params: { reference: "ref-12345" } });
    expect(await body(match)).toBe("capture");
    expect(await body(router.match("POST", ["epayment", "v1", "test", "payments", "ref-1", "approve"]))).toBe(
      "approve",
    );
  });

  it("tells a known path with another method (and its allowed methods) from an unknown path", () => {
    expect(router.match("DELETE", ["webhooks", "v1", "webhooks"])).toEqual({
      kind: "wrong-method",
      allow: ["GET", "POST"],
    });
    expect(router.match("GET", ["epayment", "v1", "payments", "ref", "unknown"])).toEqual({ kind: "none" });
    expect(router.match("GET", ["epayment", "v1", "payments"])).toEqual({ kind: "none" });
    expect(router.match("GET", [])).toEqual({ kind: "none" });
  });

  it("refuses a table with the same method and path twice", () => {
    expect(
      () => new Router([...routes, { method: "GET", path: "/webhooks/v1/webhooks", handler: ok("again") }]),
    ).toThrow(/Duplicate/);
  });
});
