// The check the API specs run on every answer they get (tests/support/pos-api-contract.ts), against
// the document the app generates: what it lets through and what it stops, with the reason.
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/http/openapi";
import { describedByPosApiDocument, PosApiContract } from "../support/pos-api-contract";

const document = JSON.parse(JSON.stringify(buildOpenApiDocument("http://127.0.0.1:3000")));
const contract = new PosApiContract(document);
const sale = document.paths["/api/v1/sales/{id}"].get.responses["200"].content["application/json"].examples.paid.value;
const JSON_TYPE = "application/json; charset=utf-8";
const PROBLEM_TYPE = "application/problem+json";

const answer = (
  method: string,
  path: string,
  status: number,
  body: unknown,
  contentType: string | null = JSON_TYPE,
) => ({
  method,
  path,
  status,
  contentType,
  body: typeof body === "string" ? body : JSON.stringify(body),
});

describe("the POS API's document as a check on answers", () => {
  it("lets a sale through as the API sends it, with a query string on the path", () => {
    expect(contract.mismatches(answer("GET", `/api/v1/sales/${sale.id}?x=1`, 200, sale))).toEqual([]);
    expect(
      contract.mismatches(answer("GET", "/api/v1/sales?limit=1", 200, { items: [sale], nextCursor: null })),
    ).toEqual([]);
  });

  it("stops a member the document does not describe, and a missing one, naming them", () => {
    const [extra] = contract.mismatches(answer("GET", "/api/v1/sales/sale_1", 200, { ...sale, tip: 100 }));
    expect(extra).toContain("GET /api/v1/sales/{id} 200");
    expect(extra).toContain("must NOT have additional properties");
    const { captureDeadline: _gone, ...without } = sale;
    expect(contract.mismatches(answer("GET", "/api/v1/sales/sale_1", 200, without)).join()).toContain(
      "must have required property 'captureDeadline'",
    );
    expect(
      contract.mismatches(answer("GET", "/api/v1/sales/sale_1", 200, { ...sale, createdAt: "yesterday" })).join(),
    ).toContain("/createdAt");
  });

  it("tells /api/v1/sales/summary from /api/v1/sales/{id}", () => {
    const summary = { items: [{ state: "captured", currency: "NOK", count: 1, amount: 100, refunded: 0, net: 100 }] };
    expect(contract.mismatches(answer("GET", "/api/v1/sales/summary", 200, summary))).toEqual([]);
  });

  it("stops a status the operation does not declare, and a path or method the document lacks", () => {
    expect(contract.mismatches(answer("GET", "/api/v1/products", 500, { type: "x" }, PROBLEM_TYPE)).join()).toContain(
      "declares no 500",
    );
    expect(contract.mismatches(answer("GET", "/api/v1/nothing", 200, {})).join()).toContain(
      "not in the OpenAPI document",
    );
    expect(contract.mismatches(answer("PUT", "/api/v1/products", 200, {})).join()).toContain(
      "PUT /api/v1/products is not in the OpenAPI document",
    );
    // A method the path does not offer is answered 405, the one right answer: nothing to check.
    expect(contract.mismatches(answer("PUT", "/api/v1/products", 405, ""))).toEqual([]);
  });

  it("checks problems as problem+json, their own members allowed", () => {
    const busy = {
      type: "https://kassa.display/problems/terminal-busy",
      title: "The terminal already has an active sale",
      status: 409,
      detail: "busy",
      activeSaleId: "sale_1",
    };
    expect(contract.mismatches(answer("POST", "/api/v1/sales", 409, busy, PROBLEM_TYPE))).toEqual([]);
    expect(contract.mismatches(answer("POST", "/api/v1/sales", 409, busy, "text/plain")).join()).toContain(
      "content type text/plain",
    );
    expect(
      contract.mismatches(answer("POST", "/api/v1/sales", 409, { ...busy, type: undefined }, PROBLEM_TYPE)).join(),
    ).toContain("must have required property 'type'");
  });

  it("stops a body on an answer the document declares empty, and a body that is not JSON", () => {
    expect(contract.mismatches(answer("DELETE", "/api/v1/products/p1", 204, ""))).toEqual([]);
    expect(contract.mismatches(answer("DELETE", "/api/v1/products/p1", 204, "{}")).join()).toContain(
      "declares no body",
    );
    expect(contract.mismatches(answer("GET", "/api/v1/settings", 200, "<html>")).join()).toContain("not JSON");
  });

  it("covers the POS API and not the document itself or other routes", () => {
    expect(describedByPosApiDocument("/api/v1/sales?limit=2")).toBe(true);
    expect(describedByPosApiDocument("/api/v1/openapi.json")).toBe(false);
    expect(describedByPosApiDocument("/api/display/pos-1/state")).toBe(false);
  });
});
