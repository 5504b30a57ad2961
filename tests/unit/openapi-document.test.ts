// The POS API's OpenAPI document (lib/http/openapi.ts, served at /api/v1/openapi.json and rendered
// at /api/docs): a valid OpenAPI 3.1 document, generated from the features' contracts
// (lib/contracts), with an example for every request body and every response, each of which
// matches its own schema.
import { StoreCreateSchema, StorePatchSchema } from "@/lib/contracts/stores";
import { WebhookEndpointInputSchema } from "@/lib/contracts/pos-events";
import { CloseScheduleRequestSchema } from "@/lib/contracts/closes";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { ProductInputSchema, ProductPatchSchema } from "@/lib/contracts/catalogue";
import { CreateSaleRequestSchema, RefundRequestSchema } from "@/lib/contracts/sales";
import { SettingsPatchSchema } from "@/lib/contracts/settings";
import { ApiKeyCreateSchema, StaffCreateSchema, StaffPatchSchema } from "@/lib/contracts/staff";
import {
  CartRequestSchema,
  PairRequestSchema,
  DeviceRenameSchema,
  TerminalCreateSchema,
  TerminalPatchSchema,
} from "@/lib/contracts/terminals";
import { buildOpenApiDocument } from "@/lib/http/openapi";

const SERVER = "http://192.168.1.20:3000";
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

type Json = Record<string, any>;
interface Operation {
  name: string;
  path: string;
  method: string;
  operation: Json;
}

/** Every method each route file under app/api/v1 exports, as "GET /api/v1/sales/{id}" (the document itself left out). */
function routesOnDisk(): string[] {
  const root = path.resolve(__dirname, "../../app");
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const urlPath = `/${path.relative(root, dir).split(path.sep).join("/")}`.replace(/\[([^\]]+)\]/g, "{$1}");
        if (urlPath === "/api/v1/openapi.json") continue;
        for (const match of readFileSync(full, "utf8").matchAll(
          /export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g,
        )) {
          found.push(`${match[1]} ${urlPath}`);
          // One route answers a close as JSON and, with .csv after its id, as CSV: two operations.
          if (urlPath === "/api/v1/closes/{id}") found.push(`${match[1]} ${urlPath}.csv`);
        }
      }
    }
  };
  walk(path.join(root, "api/v1"));
  return found.sort();
}

/** As a client receives it: JSON, without undefined members. */
const documentAsServed = (): Json => JSON.parse(JSON.stringify(buildOpenApiDocument(SERVER)));

function operationsOf(document: Json): Operation[] {
  return Object.entries<Json>(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({
      name: `${method.toUpperCase()} ${path}`,
      path,
      method,
      operation: item[method],
    })),
  );
}

/** Every example of a media type (its `example` or each of its `examples`), with a label for messages. */
function examplesOf(media: Json): { label: string; value: unknown }[] {
  const named = Object.entries<Json>(media.examples ?? {}).map(([key, example]) => ({
    label: key,
    value: example.value,
  }));
  return media.example === undefined ? named : [{ label: "example", value: media.example }, ...named];
}

describe("the OpenAPI document", () => {
  let document: Json;
  let resolved: Json;
  let operations: Operation[];

  beforeAll(async () => {
    document = documentAsServed();
    operations = operationsOf(document);
    const validator = new Validator();
    const result = await validator.validate(documentAsServed());
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
    resolved = validator.resolveRefs() as Json;
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    const validator = new Validator();
    const result = await validator.validate(documentAsServed());
    expect(result.valid, JSON.stringify(result.errors, null, 2)).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(document.servers).toEqual([{ url: SERVER }]);
  });

  it("describes every route of the POS API, and only those", () => {
    // A new route under app/api/v1 needs its operation here (lib/http/openapi.ts), with examples.
    expect(operations.map((operation) => operation.name).sort()).toEqual(routesOnDisk());
    expect(routesOnDisk()).toEqual(
      expect.arrayContaining([
        "GET /api/v1/sales",
        "POST /api/v1/sales",
        "GET /api/v1/sales/{id}",
        "GET /api/v1/sales/{id}/events",
        "POST /api/v1/sales/{id}/cancel",
        "POST /api/v1/sales/{id}/capture",
        "POST /api/v1/sales/{id}/refund",
        "POST /api/v1/sales/{id}/new-qr",
        "GET /api/v1/sales/summary",
        "GET /api/v1/sales/export.csv",
        "GET /api/v1/terminals",
        "POST /api/v1/terminals",
        "GET /api/v1/terminals/{id}",
        "PATCH /api/v1/terminals/{id}",
        "POST /api/v1/terminals/{id}/display-link",
        "POST /api/v1/terminals/{id}/pair",
        "GET /api/v1/terminals/{id}/devices",
        "DELETE /api/v1/terminals/{id}/devices/{deviceId}",
        "GET /api/v1/products",
        "POST /api/v1/products",
        "PATCH /api/v1/products/{id}",
        "DELETE /api/v1/products/{id}",
        "GET /api/v1/settings",
        "PATCH /api/v1/settings",
        "POST /api/v1/terminals/{id}/closes",
        "GET /api/v1/terminals/{id}/closes/preview",
        "GET /api/v1/closes/{id}.csv",
      ]),
    );
  });

  it("names and groups every operation", () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(ids.every((id) => typeof id === "string" && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const tags = new Set(document.tags.map((tag: Json) => tag.name));
    for (const { name, operation } of operations)
      expect(
        operation.tags.every((tag: string) => tags.has(tag)),
        name,
      ).toBe(true);
  });

  it("gives every request body and every response an example", () => {
    const missing: string[] = [];
    for (const { name, operation } of operations) {
      for (const [type, media] of Object.entries<Json>(operation.requestBody?.content ?? {})) {
        if (examplesOf(media).length === 0) missing.push(`${name} request ${type}`);
      }
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith("2"));
      expect(successes.length, `${name} has a success response`).toBeGreaterThan(0);
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        // 204 No Content is the one response without a body to show.
        if (status === "204") {
          expect(response.content, `${name} ${status} has no body`).toBeUndefined();
          continue;
        }
        const media = Object.entries<Json>(response.content ?? {});
        if (media.length === 0) missing.push(`${name} ${status} (no content)`);
        for (const [type, content] of media)
          if (examplesOf(content).length === 0) missing.push(`${name} ${status} ${type}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("has examples that match their schemas", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const failures: string[] = [];
    let checked = 0;
    const check = (where: string, media: Json) => {
      const validate = ajv.compile(media.schema);
      for (const { label, value } of examplesOf(media)) {
        checked++;
        if (!validate(value)) failures.push(`${where} ${label}: ${ajv.errorsText(validate.errors)}`);
      }
    };
    for (const { name, path, method } of operations) {
      const operation = resolved.paths[path][method];
      for (const [type, media] of Object.entries<Json>(operation.requestBody?.content ?? {}))
        check(`${name} request ${type}`, media);
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        for (const [type, media] of Object.entries<Json>(response.content ?? {}))
          check(`${name} ${status} ${type}`, media);
      }
      for (const parameter of operation.parameters ?? []) {
        if (parameter.example === undefined) continue;
        checked++;
        if (!ajv.validate(parameter.schema, parameter.example))
          failures.push(`${name} parameter ${parameter.name}: ${ajv.errorsText(ajv.errors)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it("has request examples that the route handlers' own schemas accept", () => {
    // null: a body that is not JSON (the logo's image bytes).
    const schemas: Record<string, z.ZodType | null> = {
      "POST /api/v1/sales": CreateSaleRequestSchema,
      "PUT /api/v1/terminals/{id}/cart": CartRequestSchema,
      "PUT /api/v1/settings/logo": null,
      "PUT /api/v1/stores/{id}/logo": null,
      "POST /api/v1/sales/{id}/refund": RefundRequestSchema,
      "POST /api/v1/terminals": TerminalCreateSchema,
      "PATCH /api/v1/terminals/{id}": TerminalPatchSchema,
      "POST /api/v1/terminals/{id}/pair": PairRequestSchema,
      "PATCH /api/v1/terminals/{id}/devices/{deviceId}": DeviceRenameSchema,
      "POST /api/v1/products": ProductInputSchema,
      "PATCH /api/v1/products/{id}": ProductPatchSchema,
      "PATCH /api/v1/settings": SettingsPatchSchema,
      "POST /api/v1/webhook-endpoints": WebhookEndpointInputSchema,
      "PUT /api/v1/terminals/{id}/closes/schedule": CloseScheduleRequestSchema,
      "POST /api/v1/stores": StoreCreateSchema,
      "PATCH /api/v1/stores/{id}": StorePatchSchema,
      "POST /api/v1/staff": StaffCreateSchema,
      "PATCH /api/v1/staff/{id}": StaffPatchSchema,
      "POST /api/v1/api-keys": ApiKeyCreateSchema,
    };
    const withBodies = operations
      .filter((operation) => operation.operation.requestBody)
      .map((operation) => operation.name);
    expect(withBodies.sort()).toEqual(Object.keys(schemas).sort());
    for (const { name, operation } of operations) {
      const schema = schemas[name];
      if (!schema) continue;
      for (const { label, value } of examplesOf(operation.requestBody.content["application/json"])) {
        const parsed = schema.safeParse(value);
        expect(parsed.success, `${name} ${label}: ${parsed.error?.message}`).toBe(true);
      }
    }
  });

  it("uses the server's own origin in the examples' links", () => {
    const created =
      document.paths["/api/v1/sales"].post.responses["201"].content["application/json"].examples.lines.value;
    expect(created.qr.url.startsWith(`${SERVER}/`)).toBe(true);
    const terminal =
      document.paths["/api/v1/terminals/{id}"].get.responses["200"].content["application/json"].examples.example.value;
    expect(terminal.displayUrl.startsWith(`${SERVER}/display/`)).toBe(true);
  });

  it("says where the request id of a problem is, so that a POS developer can quote it", () => {
    expect(document.info.description).toMatch(/Every problem answer carries `X-Request-Id`/);
  });

  it("documents the refund's Idempotency-Key: a retry never refunds twice; another amount under the key is 409", () => {
    const refund = document.paths["/api/v1/sales/{id}/refund"].post;
    const header = refund.parameters.find(
      (parameter: Json) => parameter.in === "header" && parameter.name === "Idempotency-Key",
    );
    // The whole key counts (it is hashed into the refund's id): no length is documented that is not enforced.
    expect(header).toMatchObject({ required: false, schema: { type: "string", minLength: 1 } });
    expect(header.schema.maxLength).toBeUndefined();
    expect(header.description).toMatch(/whole key counts/);
    expect(header.description).toMatch(/never refunds twice/);
    expect(header.description).toMatch(/different amount .* 409 idempotency-conflict/);
    const conflict = refund.responses["409"].content["application/problem+json"].examples;
    expect(conflict["idempotency-conflict"].value).toMatchObject({
      type: "https://kassa.display/problems/idempotency-conflict",
      status: 409,
      detail: "This Idempotency-Key was already used for a refund of another amount",
    });
    // A refund that waited too long for the sale (sale-busy), and Vipps asking to slow down, say when to retry.
    expect(conflict["sale-busy"]).toBeDefined();
    expect(refund.responses["409"].headers["Retry-After"]).toBeDefined();
    expect(refund.responses["429"].headers["Retry-After"]).toBeDefined();
  });

  it("answers every problem as application/problem+json with the Problem schema", () => {
    for (const { name, operation } of operations) {
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        if (Number(status) < 400) continue;
        expect(Object.keys(response.content), `${name} ${status}`).toEqual(["application/problem+json"]);
        expect(response.content["application/problem+json"].schema).toEqual({ $ref: "#/components/schemas/Problem" });
        for (const { value } of examplesOf(response.content["application/problem+json"]))
          expect((value as Json).status, `${name} ${status}`).toBe(Number(status));
      }
    }
  });
});
