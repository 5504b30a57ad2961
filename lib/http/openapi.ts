import { z } from "zod";
import {
  CreateSaleRequestSchema,
  ListSalesQuerySchema,
  ProductInputSchema,
  ProductPatchSchema,
  RefundRequestSchema,
  SettingsPatchSchema,
  TerminalCreateSchema,
  TerminalPatchSchema,
} from "@/lib/sales/sale-input";
import { CURRENCIES, LANGUAGES, SALE_STATES } from "@/lib/sales/types";

const toSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "any" });

const Money = { type: "object", required: ["value", "currency"], properties: { value: { type: "integer", description: "Minor units (øre, cents)" }, currency: { type: "string", enum: [...CURRENCIES] } } };

const Sale = {
  type: "object",
  required: ["id", "terminalId", "reference", "state", "amount", "qr", "lines", "createdAt"],
  properties: {
    id: { type: "string" },
    terminalId: { type: "string" },
    receiptNumber: { type: "string" },
    reference: { type: "string", description: "Vipps ePayment reference of the current attempt" },
    state: { type: "string", enum: [...SALE_STATES] },
    amount: Money,
    capturedAmount: Money,
    refundedAmount: Money,
    description: { type: "string" },
    lines: { type: "array", items: { type: "object" } },
    qr: { type: "object", nullable: true, properties: { url: { type: "string", description: "Exactly what the display encodes in the QR" }, expiresAt: { type: "string", format: "date-time" } } },
    autoCapture: { type: "boolean" },
    attemptCount: { type: "integer" },
    failureReason: { type: "string" },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
    endedAt: { type: "string", format: "date-time" },
  },
};

const Problem = {
  type: "object",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string", format: "uri", description: "Stable identifier: switch on this" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    errors: { type: "array", items: { type: "object", properties: { field: { type: "string" }, reason: { type: "string" } } } },
  },
};

const Terminal = {
  type: "object",
  required: ["id", "name", "posId", "language", "currency", "displayUrl", "activeSaleId"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    posId: { type: "string" },
    language: { type: "string", enum: [...LANGUAGES] },
    currency: { type: "string", enum: [...CURRENCIES] },
    displayUrl: { type: "string", format: "uri", description: "Opens the customer display; its token is a secret" },
    activeSaleId: { type: "string", nullable: true },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [String(code), { description: "Problem", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } }]));

const ok = (schema: object, status = "200", description = "OK") => ({ [status]: { description, content: { "application/json": { schema } } } });
const body = (schema: object) => ({ required: true, content: { "application/json": { schema } } });
const idParam = (name: string) => ({ name, in: "path", required: true, schema: { type: "string" } });
const saleRef = { $ref: "#/components/schemas/Sale" };
const terminalRef = { $ref: "#/components/schemas/Terminal" };

/** The POS API described from the same zod schemas the route handlers validate with. */
export function buildOpenApiDocument(serverUrl: string) {
  const listQuery = toSchema(ListSalesQuerySchema) as { properties: Record<string, object> };
  return {
    openapi: "3.0.3",
    info: {
      title: "Kassa Display POS API",
      version: "1",
      description: "Start Vipps MobilePay QR sales on a counter display, follow them, cancel, capture and refund. Amounts are integer minor units.",
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "KASSA_API_KEY" } },
      schemas: {
        CreateSaleRequest: toSchema(CreateSaleRequestSchema),
        RefundRequest: toSchema(RefundRequestSchema),
        ProductInput: toSchema(ProductInputSchema),
        ProductPatch: toSchema(ProductPatchSchema),
        TerminalCreate: toSchema(TerminalCreateSchema),
        TerminalPatch: toSchema(TerminalPatchSchema),
        Terminal,
        SettingsPatch: toSchema(SettingsPatchSchema),
        Sale,
        Money,
        Problem,
      },
    },
    paths: {
      "/api/v1/sales": {
        post: {
          summary: "Start a sale: creates the Vipps QR payment and shows it on the terminal's display",
          parameters: [{ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", maxLength: 100 }, description: "Retry-safe creation: the same key and body return the same sale" }],
          requestBody: body({ $ref: "#/components/schemas/CreateSaleRequest" }),
          responses: { ...ok(saleRef, "201", "Created"), ...ok(saleRef, "200", "Replayed for a repeated Idempotency-Key"), ...errors(400, 401, 409, 413, 415, 502, 503) },
        },
        get: {
          summary: "List sales, newest first",
          parameters: Object.entries(listQuery.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
          responses: { ...ok({ type: "object", properties: { items: { type: "array", items: saleRef }, nextCursor: { type: "string", nullable: true } } }), ...errors(400, 401) },
        },
      },
      "/api/v1/sales/{id}": { get: { summary: "One sale", parameters: [idParam("id")], responses: { ...ok(saleRef), ...errors(401, 404) } } },
      "/api/v1/sales/{id}/events": { get: { summary: "The sale's audit log", parameters: [idParam("id")], responses: { ...ok({ type: "object" }), ...errors(401, 404) } } },
      "/api/v1/sales/{id}/cancel": { post: { summary: "Cancel before capture (also at Vipps)", parameters: [idParam("id")], responses: { ...ok(saleRef), ...errors(401, 404, 409, 502, 503) } } },
      "/api/v1/sales/{id}/capture": { post: { summary: "Capture an approved sale (when auto-capture is off)", parameters: [idParam("id")], responses: { ...ok(saleRef), ...errors(401, 404, 409, 502, 503) } } },
      "/api/v1/sales/{id}/refund": {
        post: { summary: "Refund all or part of a captured sale", parameters: [idParam("id")], requestBody: { required: false, content: { "application/json": { schema: { $ref: "#/components/schemas/RefundRequest" } } } }, responses: { ...ok(saleRef), ...errors(400, 401, 404, 409, 422, 502, 503) } },
      },
      "/api/v1/sales/{id}/new-qr": { post: { summary: "A new QR (new Vipps reference) for an expired or declined sale", parameters: [idParam("id")], responses: { ...ok(saleRef), ...errors(401, 404, 409, 502, 503) } } },
      "/api/v1/sales/summary": { get: { summary: "Count and amount per state", responses: { ...ok({ type: "object" }), ...errors(400, 401) } } },
      "/api/v1/sales/export.csv": { get: { summary: "Sales as CSV", responses: { "200": { description: "CSV", content: { "text/csv": { schema: { type: "string" } } } }, ...errors(400, 401) } } },
      "/api/v1/terminals": {
        get: { summary: "Terminals", responses: { ...ok({ type: "object", properties: { items: { type: "array", items: terminalRef } } }), ...errors(401) } },
        post: {
          summary: "Add a terminal (another counter); without an id it gets the next free pos-N",
          requestBody: body({ $ref: "#/components/schemas/TerminalCreate" }),
          responses: { ...ok(terminalRef, "201", "Created"), ...errors(400, 401, 409, 413, 415) },
        },
      },
      "/api/v1/terminals/{id}": {
        get: { summary: "A terminal with its displayUrl", parameters: [idParam("id")], responses: { ...ok(terminalRef), ...errors(401, 404) } },
        patch: { summary: "Rename, set posId, language or currency", parameters: [idParam("id")], requestBody: body({ $ref: "#/components/schemas/TerminalPatch" }), responses: { ...ok(terminalRef), ...errors(400, 401, 404) } },
      },
      "/api/v1/terminals/{id}/display-link": {
        post: {
          summary: "Replace the display link: the old link stops opening the display at once; paired displays are not affected",
          parameters: [idParam("id")],
          responses: { ...ok(terminalRef, "200", "The terminal with its new displayUrl"), ...errors(401, 404) },
        },
      },
      "/api/v1/terminals/{id}/pair": {
        post: {
          summary: "Pair a display that shows this code with the terminal",
          parameters: [idParam("id")],
          requestBody: body({ type: "object", required: ["code"], properties: { code: { type: "string", description: "The code on the unpaired display" } } }),
          responses: { ...ok({ type: "object" }), ...errors(400, 401, 404) },
        },
      },
      "/api/v1/terminals/{id}/devices": {
        get: { summary: "Displays paired with the terminal", parameters: [idParam("id")], responses: { ...ok({ type: "object" }), ...errors(401, 404) } },
      },
      "/api/v1/terminals/{id}/devices/{deviceId}": {
        delete: { summary: "Unpair a display: it sees nothing more until paired again", parameters: [idParam("id"), idParam("deviceId")], responses: { "204": { description: "Revoked" }, ...errors(401, 404) } },
      },
      "/api/v1/products": {
        get: { summary: "The catalogue", responses: { ...ok({ type: "object" }), ...errors(401) } },
        post: { summary: "Add a product", requestBody: body({ $ref: "#/components/schemas/ProductInput" }), responses: { ...ok({ type: "object" }, "201", "Created"), ...errors(400, 401) } },
      },
      "/api/v1/products/{id}": {
        patch: { summary: "Edit a product", parameters: [idParam("id")], requestBody: body({ $ref: "#/components/schemas/ProductPatch" }), responses: { ...ok({ type: "object" }), ...errors(400, 401, 404) } },
        delete: { summary: "Remove a product", parameters: [idParam("id")], responses: { "204": { description: "Removed" }, ...errors(401, 404) } },
      },
      "/api/v1/settings": {
        get: { summary: "Shop settings", responses: { ...ok({ type: "object" }), ...errors(401) } },
        patch: { summary: "Change shop name or auto-capture", requestBody: body({ $ref: "#/components/schemas/SettingsPatch" }), responses: { ...ok({ type: "object" }), ...errors(400, 401) } },
      },
    },
  };
}
