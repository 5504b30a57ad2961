import { z } from "zod";
import { PROBLEM_TYPES, type ProblemKind } from "@/lib/http/problem";
import {
  CartRequestSchema,
  CreateSaleRequestSchema,
  ListSalesQuerySchema,
  PairRequestSchema,
  ProductInputSchema,
  ProductPatchSchema,
  RefundRequestSchema,
  SettingsPatchSchema,
  TerminalCreateSchema,
  TerminalPatchSchema,
} from "@/lib/sales/sale-input";
import { CURRENCIES, LANGUAGES, SALE_STATES } from "@/lib/sales/types";

type Schema = Record<string, unknown>;

/**
 * A request schema as OpenAPI 3.0 JSON Schema. A zod schema with a meta id comes back as a $ref
 * into a `definitions` block of its own, which OpenAPI 3.0 does not have (the $ref would point
 * nowhere in the document): such a schema is inlined.
 */
function toSchema(schema: z.ZodType): Schema {
  const { definitions, ...root } = z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "any" }) as Schema & {
    definitions?: Record<string, Schema>;
  };
  if (!definitions) return root;
  const name = typeof root.$ref === "string" && root.$ref.startsWith("#/definitions/") ? root.$ref.slice("#/definitions/".length) : undefined;
  const inlined = name === undefined ? undefined : definitions[name];
  if (!inlined || Object.keys(definitions).length !== 1 || JSON.stringify(inlined).includes("#/definitions/")) {
    throw new Error("Only a request schema whose own id is its one definition can be inlined into the OpenAPI document");
  }
  return inlined;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const dateTime = { type: "string", format: "date-time" };
const SaleStateSchema = { type: "string", enum: [...SALE_STATES] };

const Money = {
  type: "object",
  required: ["value", "currency"],
  properties: { value: { type: "integer", description: "Minor units (øre, cents)" }, currency: { type: "string", enum: [...CURRENCIES] } },
};

const SaleLine = {
  type: "object",
  description: "An order line as priced by the server. Amounts in minor units, tax included.",
  required: ["id", "name", "quantity", "unitPrice", "taxRate", "totalAmount", "taxAmount"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    quantity: { type: "integer" },
    unitPrice: { type: "integer" },
    taxRate: { type: "integer", description: "Basis points: 2500 = 25 %" },
    totalAmount: { type: "integer" },
    taxAmount: { type: "integer" },
    productId: { type: "string" },
  },
};

const Sale = {
  type: "object",
  required: ["id", "terminalId", "receiptNumber", "reference", "state", "amount", "capturedAmount", "refundedAmount", "description", "lines", "flow", "qr", "autoCapture", "captureDeadline", "attemptCount", "createdAt", "updatedAt"],
  properties: {
    id: { type: "string" },
    terminalId: { type: "string" },
    receiptNumber: { type: "string" },
    reference: { type: "string", description: "Vipps ePayment reference of the current attempt" },
    state: SaleStateSchema,
    amount: ref("Money"),
    capturedAmount: ref("Money"),
    refundedAmount: ref("Money"),
    description: { type: "string" },
    lines: { type: "array", items: ref("SaleLine") },
    flow: { type: "string", enum: ["qr", "push"], description: "qr: a QR code on the display; push: a payment request sent to the customer's phone" },
    phoneEnding: { type: "string", description: "Push sales: the last two digits of the phone the request went to (never the whole number)" },
    expiresAt: { ...dateTime, description: "While the sale is pending: when the payment request (QR or push) runs out" },
    qr: {
      type: "object",
      nullable: true,
      description: "Only while the QR can be scanned; null otherwise",
      required: ["url", "expiresAt"],
      properties: { url: { type: "string", description: "Exactly what the display encodes in the QR" }, expiresAt: dateTime },
    },
    autoCapture: { type: "boolean" },
    captureDeadline: {
      ...dateTime,
      nullable: true,
      description: "While the sale is approved but not captured: when Vipps MobilePay's reservation runs out (180 days for NOK, 14 for DKK and EUR); null in every other state",
    },
    attemptCount: { type: "integer", description: "1, plus one for each new QR" },
    failureReason: { type: "string" },
    createdAt: dateTime,
    updatedAt: dateTime,
    endedAt: dateTime,
  },
};

const SaleList = {
  type: "object",
  required: ["items", "nextCursor"],
  properties: {
    items: { type: "array", items: ref("Sale") },
    nextCursor: { type: "string", nullable: true, description: "Pass as `cursor` for the next page; null on the last page" },
  },
};

const SaleHistory = {
  type: "object",
  required: ["items", "attempts", "refunds"],
  properties: {
    items: {
      type: "array",
      description: "The audit log, oldest first",
      items: {
        type: "object",
        required: ["id", "type", "source", "at"],
        properties: {
          id: { type: "integer" },
          attemptId: { type: "string" },
          type: { type: "string", description: "e.g. sale.created, payment.authorized, payment.captured, payment.refunded" },
          source: { type: "string", enum: ["api", "cashier", "webhook", "poll", "system"] },
          fromState: SaleStateSchema,
          toState: SaleStateSchema,
          detail: { type: "object", additionalProperties: true },
          at: dateTime,
        },
      },
    },
    attempts: {
      type: "array",
      description: "One Vipps payment per QR shown",
      items: {
        type: "object",
        required: ["id", "reference", "state", "createdAt", "expiresAt", "pollCount"],
        properties: {
          id: { type: "string" },
          reference: { type: "string" },
          state: { type: "string", description: "The Vipps payment's state, e.g. CREATED, AUTHORIZED, TERMINATED, EXPIRED" },
          createdAt: dateTime,
          expiresAt: dateTime,
          pollCount: { type: "integer" },
        },
      },
    },
    refunds: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "saleId", "amount", "state", "createdAt"],
        properties: {
          id: { type: "string" },
          saleId: { type: "string" },
          amount: { type: "integer" },
          state: { type: "string", enum: ["pending", "done", "failed"] },
          createdAt: dateTime,
        },
      },
    },
  },
};

const SalesSummary = {
  type: "object",
  required: ["items"],
  properties: {
    items: {
      type: "array",
      items: {
        type: "object",
        required: ["state", "currency", "count", "amount"],
        properties: { state: SaleStateSchema, currency: { type: "string" }, count: { type: "integer" }, amount: { type: "integer", description: "Sum of the sales' amounts, minor units" } },
      },
    },
  },
};

const Problem = {
  type: "object",
  description: "RFC 9457 problem details. Some problems add members of their own, e.g. activeSaleId (terminal-busy) or refundable (refund-exceeds-captured).",
  required: ["type", "title", "status", "detail"],
  additionalProperties: true,
  properties: {
    type: { type: "string", format: "uri", description: "Stable identifier: switch on this" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    errors: { type: "array", items: { type: "object", required: ["field", "reason"], properties: { field: { type: "string" }, reason: { type: "string" } } } },
  },
};

const DisplayHealth = {
  type: "object",
  description: "A customer display of the terminal seen in the last day",
  required: ["id", "kind", "online", "lastSeenAt", "connectedAt", "userAgent", "screen"],
  properties: {
    id: { type: "string", description: "The display's own id, kept in its browser" },
    kind: { type: "string", enum: ["link", "paired"], description: "Opened with the display link, or paired by code" },
    online: { type: "boolean", description: "Its stream is open and it was heard from within the last minute" },
    lastSeenAt: dateTime,
    connectedAt: dateTime,
    userAgent: { type: "string" },
    screen: { type: "string", nullable: true, description: "Width x height in CSS pixels, e.g. 1920x1080" },
  },
};

const Terminal = {
  type: "object",
  required: ["id", "name", "posId", "language", "currency", "chime", "displayUrl", "activeSaleId", "displays"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    posId: { type: "string" },
    language: { type: "string", enum: [...LANGUAGES] },
    currency: { type: "string", enum: [...CURRENCIES] },
    chime: { type: "boolean", description: "The display plays a short chime when a payment is through" },
    displayUrl: { type: "string", format: "uri", description: "Opens the customer display; its token is a secret" },
    activeSaleId: { type: "string", nullable: true },
    displays: { type: "array", items: ref("DisplayHealth") },
  },
};

const Device = {
  type: "object",
  required: ["id", "label", "createdAt", "revokedAt"],
  properties: { id: { type: "string" }, label: { type: "string" }, createdAt: dateTime, revokedAt: { ...dateTime, nullable: true } },
};

const PairResult = {
  type: "object",
  required: ["paired", "terminalId", "deviceId"],
  properties: { paired: { type: "boolean", enum: [true] }, terminalId: { type: "string" }, deviceId: { type: "string" } },
};

const Product = {
  type: "object",
  required: ["id", "name", "unitPrice", "currency", "taxRate"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    unitPrice: { type: "integer", description: "Minor units, tax included" },
    currency: { type: "string", enum: [...CURRENCIES] },
    taxRate: { type: "integer", description: "Basis points: 2500 = 25 %" },
  },
};

const Settings = {
  type: "object",
  required: ["shopName", "autoCapture", "accentColor", "logo"],
  properties: {
    shopName: { type: "string", description: "Shown on the displays and in the Vipps app" },
    autoCapture: { type: "boolean", description: "Capture approved payments at once (the default); off, POST .../capture does it" },
    accentColor: { type: "string", nullable: true, pattern: "^#[0-9a-f]{6}$", description: "The displays' accent colour, or null for the default" },
    logo: {
      type: "object",
      nullable: true,
      description: "The shop's logo on the displays (PUT /api/v1/settings/logo), or null",
      required: ["url", "contentType", "size"],
      properties: { url: { type: "string", description: "Where the displays load it" }, contentType: { type: "string", enum: ["image/png", "image/jpeg", "image/svg+xml"] }, size: { type: "integer", description: "Bytes" } },
    },
  },
};

const Cart = {
  type: "object",
  description: "The live cart: what the customer display shows while the till rings items up",
  required: ["terminalId", "currency", "lines", "total", "updatedAt"],
  properties: {
    terminalId: { type: "string" },
    currency: { type: "string", enum: [...CURRENCIES] },
    lines: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "quantity", "unitPrice", "totalAmount"],
        properties: { name: { type: "string" }, quantity: { type: "integer" }, unitPrice: { type: "integer" }, totalAmount: { type: "integer" } },
      },
    },
    total: { type: "integer", description: "Minor units" },
    updatedAt: dateTime,
  },
};

const GoLiveItem = {
  type: "object",
  required: ["id", "title", "ok", "evidence"],
  properties: {
    id: { type: "string", description: "e.g. endpoint-create, webhook-registration, customer-present, test-captured" },
    title: { type: "string" },
    ok: { type: "boolean", description: "Met" },
    evidence: { type: "object", additionalProperties: true, description: "What shows it, as recorded by the app" },
  },
};

const GoLiveReport = {
  type: "object",
  description: "The Vipps MobilePay go-live checklist, each item met or not",
  required: ["generatedAt", "environment", "items"],
  properties: { generatedAt: dateTime, environment: { type: "string", enum: ["simulator", "test", "production"] }, items: { type: "array", items: ref("GoLiveItem") } },
};

const GoLiveEvidence = {
  type: "object",
  description: "Everything behind the checklist, for Vipps MobilePay's go-live review. Holds no secret.",
  required: ["generatedAt", "environment", "merchantSerialNumber", "system", "summary", "items"],
  properties: {
    generatedAt: dateTime,
    environment: { type: "string", enum: ["simulator", "test", "production"] },
    merchantSerialNumber: { type: "string" },
    system: { type: "object", additionalProperties: true, description: "The Vipps-System-* header values the app sends" },
    summary: { type: "object", required: ["met", "total"], properties: { met: { type: "integer" }, total: { type: "integer" } } },
    items: { type: "array", items: ref("GoLiveItem") },
    webhookRegistration: { type: "object", additionalProperties: true },
    testReferences: { type: "array", items: { type: "object", additionalProperties: true }, description: "The test payments, each with the app's and Vipps' event logs" },
    requests: { type: "array", items: { type: "object", additionalProperties: true }, description: "The Vipps API requests kept as samples" },
  },
};

const listOf = (name: string) => ({ type: "object", required: ["items"], properties: { items: { type: "array", items: ref(name) } } });

type Example = { summary: string; value: unknown };
type Examples = Record<string, Example>;

const PROBLEM_BASE = "https://kassa.display/problems/";

/** A problem example built from the app's own problem table, so type, title and status are the ones it sends. */
function problemExample(kind: ProblemKind, detail: string, extra: Record<string, unknown> = {}): [string, Example] {
  const { slug, title, status } = PROBLEM_TYPES[kind];
  return [slug, { summary: title, value: { type: `${PROBLEM_BASE}${slug}`, title, status, detail, ...extra } }];
}

const retryAfter = {
  "Retry-After": { description: "Seconds to wait before trying again", schema: { type: "integer", minimum: 1 } },
};

/** Problem responses grouped by status, each with an example of every problem it may be. */
function problems(...entries: [string, Example][]) {
  const byStatus = new Map<number, Examples>();
  for (const [slug, example] of entries) {
    const status = (example.value as { status: number }).status;
    byStatus.set(status, { ...byStatus.get(status), [slug]: example });
  }
  return Object.fromEntries(
    [...byStatus.entries()].map(([status, examples]) => {
      const titles = Object.values(examples).map((example) => example.summary);
      const slugs = Object.keys(examples);
      // 429 always says when to try again; of the 409s only sale-busy does.
      const headers = status === 429 || slugs.includes(PROBLEM_TYPES.saleBusy.slug) ? { headers: retryAfter } : {};
      return [
        String(status),
        { description: titles.join("; "), ...headers, content: { "application/problem+json": { schema: ref("Problem"), examples } } },
      ];
    }),
  );
}

/** The problems every endpoint can answer with. */
const common = {
  unauthorized: problemExample("unauthorized", "Send Authorization: Bearer <KASSA_API_KEY>, or sign in to the admin page."),
  malformedJson: problemExample("malformedJson", "The body is not valid JSON (UTF-8)"),
  unsupportedMediaType: problemExample("unsupportedMediaType", "Send the body as application/json"),
  payloadTooLarge: problemExample("payloadTooLarge", "The body may be at most 65536 bytes"),
  unavailable: (what: string) => problemExample("paymentProviderUnavailable", `${what}: TimeoutError: The operation was aborted due to timeout`),
  refused: (what: string) => problemExample("paymentProvider", `${what}: 400 The payment is not in a state that allows this`),
  rateLimited: (what: string) => problemExample("paymentProviderRateLimited", `${what}: 429 Too many requests`),
  saleNotFound: problemExample("notFound", "No sale with id sale_tCb3xdFe3lNoYw"),
  terminalNotFound: problemExample("notFound", "No terminal with id pos-9"),
  productNotFound: problemExample("notFound", "No product with id prod_473e0c3719da"),
};

/** The problems of any request with a JSON body, besides its own validation. */
const bodyProblems = [common.malformedJson, common.unsupportedMediaType, common.payloadTooLarge];

const json = (schema: object, examples: Examples) => ({ "application/json": { schema, examples } });
const ok = (schema: object, examples: Examples, status = "200", description = "OK") => ({ [status]: { description, content: json(schema, examples) } });
const body = (schema: object, examples: Examples, required = true) => ({ required, content: json(schema, examples) });
const idParam = (name: string, example: string, description?: string) => ({ name, in: "path", required: true, schema: { type: "string" }, example, ...(description ? { description } : {}) });

const TAGS = [
  { name: "Sales", description: "Start a QR sale on a terminal's display, follow it, cancel, capture, refund; reports" },
  { name: "Terminals", description: "Counters, their display links, paired displays and live carts" },
  { name: "Products", description: "The catalogue the till picks from" },
  { name: "Settings", description: "The shop's name, auto-capture and branding" },
  { name: "Go-live", description: "The Vipps MobilePay go-live checklist and its evidence" },
];

/** Stable names for client generators, and each operation's group in the reference. */
const OPERATIONS: Record<string, { operationId: string; tag: string }> = {
  "post /api/v1/sales": { operationId: "createSale", tag: "Sales" },
  "get /api/v1/sales": { operationId: "listSales", tag: "Sales" },
  "get /api/v1/sales/{id}": { operationId: "getSale", tag: "Sales" },
  "get /api/v1/sales/{id}/events": { operationId: "getSaleEvents", tag: "Sales" },
  "post /api/v1/sales/{id}/cancel": { operationId: "cancelSale", tag: "Sales" },
  "post /api/v1/sales/{id}/capture": { operationId: "captureSale", tag: "Sales" },
  "post /api/v1/sales/{id}/refund": { operationId: "refundSale", tag: "Sales" },
  "post /api/v1/sales/{id}/new-qr": { operationId: "newQrForSale", tag: "Sales" },
  "get /api/v1/sales/summary": { operationId: "getSalesSummary", tag: "Sales" },
  "get /api/v1/sales/export.csv": { operationId: "exportSalesCsv", tag: "Sales" },
  "get /api/v1/terminals": { operationId: "listTerminals", tag: "Terminals" },
  "post /api/v1/terminals": { operationId: "createTerminal", tag: "Terminals" },
  "get /api/v1/terminals/{id}": { operationId: "getTerminal", tag: "Terminals" },
  "patch /api/v1/terminals/{id}": { operationId: "updateTerminal", tag: "Terminals" },
  "post /api/v1/terminals/{id}/display-link": { operationId: "replaceDisplayLink", tag: "Terminals" },
  "post /api/v1/terminals/{id}/pair": { operationId: "pairDisplay", tag: "Terminals" },
  "get /api/v1/terminals/{id}/devices": { operationId: "listPairedDisplays", tag: "Terminals" },
  "delete /api/v1/terminals/{id}/devices/{deviceId}": { operationId: "unpairDisplay", tag: "Terminals" },
  "get /api/v1/products": { operationId: "listProducts", tag: "Products" },
  "post /api/v1/products": { operationId: "createProduct", tag: "Products" },
  "patch /api/v1/products/{id}": { operationId: "updateProduct", tag: "Products" },
  "delete /api/v1/products/{id}": { operationId: "deleteProduct", tag: "Products" },
  "get /api/v1/terminals/{id}/cart": { operationId: "getCart", tag: "Terminals" },
  "put /api/v1/terminals/{id}/cart": { operationId: "replaceCart", tag: "Terminals" },
  "delete /api/v1/terminals/{id}/cart": { operationId: "clearCart", tag: "Terminals" },
  "get /api/v1/settings": { operationId: "getSettings", tag: "Settings" },
  "patch /api/v1/settings": { operationId: "updateSettings", tag: "Settings" },
  "put /api/v1/settings/logo": { operationId: "setLogo", tag: "Settings" },
  "delete /api/v1/settings/logo": { operationId: "removeLogo", tag: "Settings" },
  "get /api/v1/go-live": { operationId: "getGoLiveReport", tag: "Go-live" },
  "get /api/v1/go-live/evidence": { operationId: "downloadGoLiveEvidence", tag: "Go-live" },
};

/** Adds each operation's operationId and tag; an operation missing from OPERATIONS is a mistake here. */
function named<P extends Record<string, Record<string, object>>>(paths: P): P {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const name = OPERATIONS[`${method} ${path}`];
      if (!name) throw new Error(`No operationId for ${method} ${path}`);
      Object.assign(operation, { operationId: name.operationId, tags: [name.tag] });
    }
  }
  return paths;
}

/** The POS API described from the same zod schemas the route handlers validate with. */
export function buildOpenApiDocument(serverUrl: string) {
  const listQuery = toSchema(ListSalesQuerySchema) as { properties: Record<string, object> };
  const origin = serverUrl.replace(/\/+$/, "");

  // Examples: one sale's life (two coffees and ear buds), as the API answered them.
  const lines = [
    { id: "1", name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500, totalAmount: 9800, taxAmount: 1278 },
    { id: "2", name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500, totalAmount: 42924, taxAmount: 8585, productId: "p4" },
  ];
  const nok = (value: number) => ({ value, currency: "NOK" });
  // The fields every sale has; a pending one adds expiresAt.
  const saleBase = {
    id: "sale_tCb3xdFe3lNoYw",
    terminalId: "pos-1",
    receiptNumber: "000001",
    reference: "kd-mx9rm2p6-ce7b9b0f333daa52",
    state: "pending",
    amount: nok(52724),
    capturedAmount: nok(0),
    refundedAmount: nok(0),
    description: "2 × Cappuccino, Ear buds",
    lines,
    flow: "qr",
    qr: null,
    autoCapture: true,
    captureDeadline: null,
    attemptCount: 1,
    createdAt: "2026-12-05T10:00:02.346Z",
    updatedAt: "2026-12-05T10:00:02.346Z",
  };
  const pendingSale = {
    ...saleBase,
    qr: { url: `${origin}/sim/qr/P4qJ0IItXzfqY2r9981bZT8V7hrJebbd`, expiresAt: "2026-12-05T10:09:59.346Z" },
    expiresAt: "2026-12-05T10:09:59.346Z",
  };
  const ended = { updatedAt: "2026-12-05T10:00:31.718Z", endedAt: "2026-12-05T10:00:31.718Z" };
  const capturedSale = { ...saleBase, ...ended, state: "captured", capturedAmount: nok(52724) };
  const refundedSale = { ...capturedSale, refundedAmount: nok(4900), updatedAt: "2026-12-05T10:02:04.321Z" };
  const fullyRefundedSale = { ...capturedSale, state: "refunded", refundedAmount: nok(52724), updatedAt: "2026-12-05T10:02:04.321Z" };
  const approvedSale = {
    ...saleBase,
    state: "authorized",
    autoCapture: false,
    captureDeadline: "2027-06-03T10:00:31.651Z",
    updatedAt: "2026-12-05T10:00:31.651Z",
  };
  const manuallyCaptured = {
    ...capturedSale,
    autoCapture: false,
    updatedAt: "2026-12-05T10:01:12.381Z",
    endedAt: "2026-12-05T10:01:12.381Z",
  };
  const cancelledSale = { ...saleBase, ...ended, state: "cancelled" };
  const newQrSale = {
    ...pendingSale,
    reference: "kd-mx9rz3cc-7444bfc3f763d164",
    attemptCount: 2,
    qr: { url: `${origin}/sim/qr/PWLQNhrTg26WlcKmvQjEZfEupRfq0_ia`, expiresAt: "2026-12-05T10:20:06.708Z" },
    expiresAt: "2026-12-05T10:20:06.708Z",
    updatedAt: "2026-12-05T10:10:09.708Z",
  };
  const amountSale = {
    ...pendingSale,
    id: "sale_NbhJOO1JSqyewg",
    receiptNumber: "000002",
    reference: "kd-mx9rm4ah-03f827cdfbb3c9b5",
    amount: nok(25000),
    description: "Bicycle repair",
    lines: [{ id: "1", name: "Bicycle repair", quantity: 1, unitPrice: 25000, taxRate: 2500, totalAmount: 25000, taxAmount: 5000 }],
    qr: { url: `${origin}/sim/qr/1WTUbhnp88b5pg0jikn0CgHf6nEmRm9F`, expiresAt: "2026-12-05T10:14:01.409Z" },
    expiresAt: "2026-12-05T10:14:01.409Z",
    createdAt: "2026-12-05T10:04:04.409Z",
    updatedAt: "2026-12-05T10:04:04.409Z",
  };
  // Sent to the customer's phone: no QR; the sale shows only the number's last two digits.
  const pushSale = { ...amountSale, id: "sale_1HHs7aHKnyDHgA", receiptNumber: "000003", reference: "kd-mx9v34ei-c1c87ee4106324f9", flow: "push", phoneEnding: "67", qr: null };
  const terminal = {
    id: "pos-1",
    name: "Counter 1",
    posId: "pos-1",
    language: "nb",
    currency: "NOK",
    chime: true,
    displayUrl: `${origin}/display/pos-1?token=Lvzre3BhLevHf84iugHC_Yi5`,
    activeSaleId: null,
    displays: [
      {
        id: "k7Qm2xVb9LrT4wZa",
        kind: "link",
        online: true,
        lastSeenAt: "2026-12-05T10:00:41.120Z",
        connectedAt: "2026-12-05T07:58:12.004Z",
        userAgent: "Mozilla/5.0 (X11; Linux aarch64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        screen: "1920x1080",
      },
    ],
  };
  const secondTerminal = { ...terminal, id: "pos-2", name: "Café counter", posId: "till-2", language: "en", displayUrl: `${origin}/display/pos-2?token=A6EaXUdrKkCf4J1-X5-lDbMv`, displays: [] };
  const products = [
    { id: "p2", name: "Cappuccino", unitPrice: 4900, currency: "NOK", taxRate: 1500 },
    { id: "p4", name: "Ear buds", unitPrice: 42924, currency: "NOK", taxRate: 2500 },
    { id: "p5", name: "Phone charger", unitPrice: 19900, currency: "NOK", taxRate: 2500 },
  ];
  const settings = { shopName: "Kassa demo shop", autoCapture: true, accentColor: null, logo: null };
  const cartLines = [
    { name: "Cappuccino", quantity: 2, unitPrice: 4900, totalAmount: 9800 },
    { name: "Cinnamon bun", quantity: 1, unitPrice: 4500, totalAmount: 4500 },
  ];
  const cart = { currency: "NOK", lines: cartLines, total: 14300, terminalId: "pos-1", updatedAt: "2026-12-05T09:59:16.071Z" };
  const createEvidence = {
    endpoint: "POST /epayment/v1/payments",
    requestsKept: 1,
    lastRequestAt: "2026-12-05T10:00:02.594Z",
    lastPath: "POST /epayment/v1/payments",
    lastReference: pendingSale.reference,
    saleNow: { id: pendingSale.id, receiptNumber: pendingSale.receiptNumber, state: "captured" },
  };
  const goLive = {
    generatedAt: "2026-12-05T10:05:16.929Z",
    environment: "test",
    items: [
      { id: "endpoint-create", title: "Create payment (POST /epayment/v1/payments)", ok: true, evidence: createEvidence },
      { id: "endpoint-refund", title: "Refund payment (POST /epayment/v1/payments/{reference}/refund)", ok: false, evidence: { endpoint: "POST /epayment/v1/payments/{reference}/refund", requestsKept: 0 } },
      {
        id: "webhook-registration",
        title: "Webhook registered at Vipps and checked hourly",
        ok: true,
        evidence: { state: "registered", registered: true, url: `${origin}/api/webhooks/vipps`, lastCheckedAt: "2026-12-05T09:58:14.941Z", lastRegisteredAt: "2026-12-05T09:58:14.941Z", lastError: null },
      },
      {
        id: "customer-present",
        title: "customerInteraction CUSTOMER_PRESENT on every payment (a shop counter)",
        ok: true,
        evidence: { createRequests: 1, customerPresent: 1, userFlows: ["QR"] },
      },
    ],
  };
  const goLiveEvidence = {
    ...goLive,
    merchantSerialNumber: "123456",
    system: { name: "kassa-display", version: "0.1.0", pluginName: "kassa-display-pos", pluginVersion: "0.1.0" },
    summary: { met: 3, total: 4 },
    webhookRegistration: goLive.items[2]!.evidence,
    testReferences: [{ outcome: "captured", reference: pendingSale.reference, saleId: pendingSale.id, amount: nok(52724), state: "captured" }],
    requests: [{ id: 4, operation: "createPayment", method: "POST", path: "/epayment/v1/payments", reference: pendingSale.reference, at: "2026-12-05T10:00:02.594Z" }],
  };
  const newProduct = { id: "prod_473e0c3719da", name: "Oat milk latte", unitPrice: 5900, currency: "NOK", taxRate: 1500 };

  const stateReason = `Invalid option: expected one of ${SALE_STATES.map((state) => `"${state}"`).join("|")}`;
  const one = (summary: string, value: unknown): Examples => ({ example: { summary, value } });

  const saleErrors = {
    busy: problemExample("terminalBusy", "Terminal pos-1 already shows sale sale_tCb3xdFe3lNoYw; finish or cancel it first", { activeSaleId: "sale_tCb3xdFe3lNoYw" }),
    saleBusy: problemExample("saleBusy", "Another operation on this sale is in progress; try again in a moment."),
    invalidState: (detail: string) => problemExample("invalidState", detail),
  };

  // Creating the Vipps payment: a refusal (any 4xx, 429 included) or no answer. The sale is then failed.
  const createFailures = [
    problemExample("paymentProvider", "Vipps MobilePay did not create the payment: 400 Invalid MSN", { saleId: pendingSale.id }),
    problemExample("paymentProviderUnavailable", "Vipps MobilePay did not create the payment: TimeoutError: The operation was aborted due to timeout", { saleId: pendingSale.id }),
  ];

  const createSaleRequests: Examples = {
    lines: {
      summary: "Order lines (unit prices include tax)",
      value: {
        terminalId: "pos-1",
        currency: "NOK",
        lines: [
          { name: "Cappuccino", quantity: 2, unitPrice: 4900, taxRate: 1500 },
          { name: "Ear buds", quantity: 1, unitPrice: 42924, taxRate: 2500, productId: "p4" },
        ],
      },
    },
    amount: { summary: "A typed amount with a description", value: { terminalId: "pos-1", currency: "NOK", amount: 25000, description: "Bicycle repair" } },
    push: {
      summary: "Sent to the customer's phone instead of a QR (number with country code)",
      value: { terminalId: "pos-1", currency: "NOK", amount: 25000, description: "Bicycle repair", customer: { phoneNumber: "4791234567" } },
    },
  };

  const refundKeyDescription = [
    "Makes a retried refund safe. Send a fresh key for each refund you mean (e.g. your return's id) and the same key when you retry it after a timeout or a lost answer.",
    "A retry with the same key answers with the sale as the first request left it and never refunds twice: once that refund is done nothing more is sent to Vipps,",
    "and a refund whose outcome was unknown is retried with the amount first asked for, under the same Vipps idempotency key.",
    "A different amount with a key whose refund is done answers 409 idempotency-conflict. Keys count per sale; at most 100 characters are used.",
    "Without the header every request is a new refund.",
  ].join(" ");

  return {
    openapi: "3.0.3",
    info: {
      title: "Kassa Display POS API",
      version: "1",
      description: [
        "Start Vipps MobilePay QR sales on a counter display, follow them, cancel, capture and refund. Amounts are integer minor units (øre, cents).",
        "",
        "Authenticate with `Authorization: Bearer <KASSA_API_KEY>`. Errors are RFC 9457 problem details (`application/problem+json`); switch on their `type`.",
        "",
        "Retries are safe: send an `Idempotency-Key` with POST /api/v1/sales and with refunds.",
      ].join("\n"),
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    tags: TAGS,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "KASSA_API_KEY" } },
      schemas: {
        CreateSaleRequest: toSchema(CreateSaleRequestSchema),
        RefundRequest: toSchema(RefundRequestSchema),
        ProductInput: toSchema(ProductInputSchema),
        ProductPatch: toSchema(ProductPatchSchema),
        TerminalCreate: toSchema(TerminalCreateSchema),
        TerminalPatch: toSchema(TerminalPatchSchema),
        PairRequest: toSchema(PairRequestSchema),
        SettingsPatch: toSchema(SettingsPatchSchema),
        CartRequest: toSchema(CartRequestSchema),
        Cart,
        GoLiveItem,
        GoLiveReport,
        GoLiveEvidence,
        Terminal,
        DisplayHealth,
        TerminalList: listOf("Terminal"),
        Device,
        DeviceList: listOf("Device"),
        PairResult,
        Product,
        ProductList: listOf("Product"),
        Settings,
        Sale,
        SaleLine,
        SaleList,
        SaleHistory,
        SalesSummary,
        Money,
        Problem,
      },
    },
    paths: named({
      "/api/v1/sales": {
        post: {
          summary: "Start a sale: creates the Vipps QR payment and shows it on the terminal's display",
          parameters: [
            {
              name: "Idempotency-Key",
              in: "header",
              required: false,
              schema: { type: "string", minLength: 1, maxLength: 100, pattern: "^[\\x21-\\x7e]+$" },
              example: "order-4711",
              description: "Retry-safe creation: the same key and body answer 200 with the sale the first request made; the same key with another body is 409 idempotency-conflict.",
            },
          ],
          requestBody: body(ref("CreateSaleRequest"), createSaleRequests),
          responses: {
            "201": {
              description: "Created: the QR is on the terminal's display",
              headers: { Location: { description: "The sale's URL", schema: { type: "string" } } },
              content: json(ref("Sale"), {
                lines: { summary: "A sale from order lines", value: pendingSale },
                amount: { summary: "A sale from a typed amount", value: amountSale },
                push: { summary: "A payment request sent to the customer's phone", value: pushSale },
              }),
            },
            "200": { description: "Replayed for a repeated Idempotency-Key", content: json(ref("Sale"), one("The sale the first request made", pendingSale)) },
            ...problems(
              problemExample("validation", "lines[0].unitPrice: unitPrice must be a whole number of minor units (øre/cents), not a decimal", {
                errors: [{ field: "lines[0].unitPrice", reason: "unitPrice must be a whole number of minor units (øre/cents), not a decimal" }],
              }),
              ...bodyProblems,
              common.unauthorized,
              saleErrors.busy,
              problemExample("idempotencyConflict", "This Idempotency-Key was already used for a different sale request", {
                errors: [{ field: "Idempotency-Key", reason: "reused with a different body" }],
              }),
              ...createFailures,
            ),
          },
        },
        get: {
          summary: "List sales, newest first",
          parameters: Object.entries(listQuery.properties).map(([name, schema]) => ({ name, in: "query", required: false, schema })),
          responses: {
            ...ok(ref("SaleList"), one("A page of two sales", { items: [refundedSale, cancelledSale], nextCursor: "MjAyNi0xMi0wNVQxMDowMDowNi40MDNafHNhbGVfTmpZTnJNS3BhcHhkd0E" })),
            ...problems(problemExample("validation", "from: from must be an ISO 8601 date-time", { errors: [{ field: "from", reason: "from must be an ISO 8601 date-time" }] }), common.unauthorized),
          },
        },
      },
      "/api/v1/sales/{id}": {
        get: {
          summary: "One sale",
          parameters: [idParam("id", pendingSale.id)],
          responses: {
            ...ok(ref("Sale"), {
              paid: { summary: "A paid sale", value: capturedSale },
              approved: { summary: "Approved, waiting for capture (auto-capture off): captureDeadline says until when", value: approvedSale },
            }),
            ...problems(common.unauthorized, common.saleNotFound),
          },
        },
      },
      "/api/v1/sales/{id}/events": {
        get: {
          summary: "The sale's audit log, with its Vipps payments and refunds",
          parameters: [idParam("id", pendingSale.id)],
          responses: {
            ...ok(
              ref("SaleHistory"),
              one("Created, approved, captured and partly refunded", {
                items: [
                  { id: 1, attemptId: "att_BqN5TMv5xOIfOw", type: "sale.created", source: "api", toState: "pending", detail: { amount: 52724, currency: "NOK", lines: 2, reference: pendingSale.reference }, at: "2026-12-05T10:00:02.350Z" },
                  { id: 2, attemptId: "att_BqN5TMv5xOIfOw", type: "payment.created", source: "api", detail: { reference: pendingSale.reference, expiresAt: pendingSale.qr.expiresAt }, at: "2026-12-05T10:00:02.485Z" },
                  { id: 3, attemptId: "att_BqN5TMv5xOIfOw", type: "payment.authorized", source: "webhook", fromState: "pending", toState: "authorized", detail: { reference: pendingSale.reference }, at: "2026-12-05T10:00:31.651Z" },
                  { id: 4, attemptId: "att_BqN5TMv5xOIfOw", type: "payment.captured", source: "webhook", fromState: "authorized", toState: "captured", detail: { reference: pendingSale.reference, capturedAmount: 52724, refundedAmount: 0 }, at: "2026-12-05T10:00:31.726Z" },
                  { id: 5, attemptId: "att_BqN5TMv5xOIfOw", type: "payment.refunded", source: "api", fromState: "captured", toState: "captured", detail: { amount: 4900, refundedAmount: 4900 }, at: "2026-12-05T10:02:04.322Z" },
                ],
                attempts: [{ id: "att_BqN5TMv5xOIfOw", reference: pendingSale.reference, state: "AUTHORIZED", createdAt: pendingSale.createdAt, expiresAt: pendingSale.qr.expiresAt, pollCount: 2 }],
                refunds: [{ id: "rf_98169e92f84d4e344b8105c1", saleId: pendingSale.id, amount: 4900, state: "done", createdAt: "2026-12-05T10:02:04.189Z" }],
              }),
            ),
            ...problems(common.unauthorized, common.saleNotFound),
          },
        },
      },
      "/api/v1/sales/{id}/cancel": {
        post: {
          summary: "Cancel before capture (also at Vipps)",
          parameters: [idParam("id", pendingSale.id)],
          responses: {
            ...ok(ref("Sale"), one("Cancelled: the QR has left the display", cancelledSale)),
            ...problems(
              common.unauthorized,
              common.saleNotFound,
              saleErrors.invalidState("A captured sale cannot be cancelled. Refund it instead."),
              common.rateLimited("Cancel failed"),
              common.refused("Cancel failed"),
              common.unavailable("Cancel failed"),
            ),
          },
        },
      },
      "/api/v1/sales/{id}/capture": {
        post: {
          summary: "Capture an approved sale (when auto-capture is off)",
          parameters: [idParam("id", pendingSale.id)],
          responses: {
            ...ok(ref("Sale"), one("Captured", manuallyCaptured)),
            ...problems(
              common.unauthorized,
              common.saleNotFound,
              saleErrors.invalidState("Only an approved sale can be captured; this one is pending"),
              common.rateLimited("Capture failed"),
              common.refused("Capture failed"),
              common.unavailable("Capture failed"),
            ),
          },
        },
      },
      "/api/v1/sales/{id}/refund": {
        post: {
          summary: "Refund all or part of a captured sale",
          description: "Without a body (or without `amount`) refunds everything not yet refunded. Send an `Idempotency-Key`, so that a retry never moves money twice.",
          parameters: [
            idParam("id", pendingSale.id),
            { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string", minLength: 1, maxLength: 100 }, example: "return-4711-1", description: refundKeyDescription },
          ],
          requestBody: body(
            ref("RefundRequest"),
            { partial: { summary: "Refund one cappuccino (49,00 kr)", value: { amount: 4900 } }, all: { summary: "Refund everything left", value: {} } },
            false,
          ),
          responses: {
            "200": {
              description: "Refunded; also the answer to a retry with the same Idempotency-Key, which refunds nothing more",
              content: json(ref("Sale"), {
                partial: { summary: "Partly refunded: still captured, refundedAmount counts up", value: refundedSale },
                all: { summary: "Everything refunded", value: fullyRefundedSale },
              }),
            },
            ...problems(
              problemExample("validation", "amount: amount must be a whole number of minor units (øre/cents), not a decimal", {
                errors: [{ field: "amount", reason: "amount must be a whole number of minor units (øre/cents), not a decimal" }],
              }),
              ...bodyProblems,
              common.unauthorized,
              common.saleNotFound,
              problemExample("idempotencyConflict", "This Idempotency-Key was already used for a refund of another amount"),
              saleErrors.invalidState("Only a paid sale can be refunded; this one is cancelled"),
              saleErrors.saleBusy,
              problemExample("refundTooLarge", "At most 47824 minor units of NOK can be refunded; asked for 50000", {
                refundable: 47824,
                errors: [{ field: "amount", reason: "must be between 1 and 47824" }],
              }),
              common.rateLimited("Refund failed"),
              common.refused("Refund failed"),
              common.unavailable("Refund failed"),
            ),
          },
        },
      },
      "/api/v1/sales/{id}/new-qr": {
        post: {
          summary: "A new QR (new Vipps reference) for an expired, declined, failed or cancelled sale",
          parameters: [idParam("id", pendingSale.id)],
          responses: {
            ...ok(ref("Sale"), one("A new QR on the display, valid for ten minutes", newQrSale)),
            ...problems(
              common.unauthorized,
              common.saleNotFound,
              saleErrors.invalidState("A new QR can be made only for an expired, declined, failed or cancelled sale; this one is captured"),
              saleErrors.busy,
              ...createFailures,
            ),
          },
        },
      },
      "/api/v1/sales/summary": {
        get: {
          summary: "Count and amount per state and currency",
          parameters: ["terminalId", "from", "to"].map((name) => ({ name, in: "query", required: false, schema: listQuery.properties[name] })),
          responses: {
            ...ok(
              ref("SalesSummary"),
              one("Today so far", {
                items: [
                  { state: "cancelled", currency: "NOK", count: 2, amount: 23850 },
                  { state: "captured", currency: "NOK", count: 2, amount: 77724 },
                ],
              }),
            ),
            ...problems(problemExample("validation", "from: from must be an ISO 8601 date-time", { errors: [{ field: "from", reason: "from must be an ISO 8601 date-time" }] }), common.unauthorized),
          },
        },
      },
      "/api/v1/sales/export.csv": {
        get: {
          summary: "Sales as CSV, newest first",
          parameters: ["terminalId", "state", "from", "to"].map((name) => ({ name, in: "query", required: false, schema: listQuery.properties[name] })),
          responses: {
            "200": {
              description: "CSV (RFC 4180, CRLF line ends); amounts in major units",
              headers: { "Content-Disposition": { description: 'attachment; filename="kassa-sales-YYYY-MM-DD.csv"', schema: { type: "string" } } },
              content: {
                "text/csv": {
                  schema: { type: "string" },
                  examples: one(
                    "Two sales",
                    [
                      '"created_at","sale_id","receipt_number","terminal_id","reference","state","currency","amount","captured","refunded","description","lines"',
                      '"2026-12-05T10:04:04.409Z","sale_NbhJOO1JSqyewg","000002","pos-1","kd-mx9rm4ah-03f827cdfbb3c9b5","captured","NOK",250.00,250.00,0.00,"Bicycle repair","1 x Bicycle repair"',
                      '"2026-12-05T10:00:02.346Z","sale_tCb3xdFe3lNoYw","000001","pos-1","kd-mx9rm2p6-ce7b9b0f333daa52","captured","NOK",527.24,527.24,49.00,"2 × Cappuccino, Ear buds","2 x Cappuccino; 1 x Ear buds"',
                      "",
                    ].join("\r\n"),
                  ),
                },
              },
            },
            ...problems(problemExample("validation", `state: ${stateReason}`, { errors: [{ field: "state", reason: stateReason }] }), common.unauthorized),
          },
        },
      },
      "/api/v1/terminals": {
        get: {
          summary: "Terminals",
          responses: { ...ok(ref("TerminalList"), one("Two counters", { items: [terminal, secondTerminal] })), ...problems(common.unauthorized) },
        },
        post: {
          summary: "Add a terminal (another counter); without an id it gets the next free pos-N",
          requestBody: body(ref("TerminalCreate"), one("A second counter", { name: "Counter 2", language: "en", currency: "NOK" })),
          responses: {
            "201": {
              description: "Created",
              headers: { Location: { description: "The terminal's URL", schema: { type: "string" } } },
              content: json(ref("Terminal"), one("The new terminal with its display link", { ...secondTerminal, name: "Counter 2", posId: "pos-2" })),
            },
            ...problems(
              problemExample("validation", "name: name is at most 60 characters", { errors: [{ field: "name", reason: "name is at most 60 characters" }] }),
              ...bodyProblems,
              common.unauthorized,
              problemExample("conflict", "A terminal with id pos-2 already exists", { errors: [{ field: "id", reason: "already exists" }] }),
            ),
          },
        },
      },
      "/api/v1/terminals/{id}": {
        get: {
          summary: "A terminal with its displayUrl",
          parameters: [idParam("id", "pos-1")],
          responses: { ...ok(ref("Terminal"), one("Counter 1", terminal)), ...problems(common.unauthorized, common.terminalNotFound) },
        },
        patch: {
          summary: "Rename, set posId, language or currency",
          parameters: [idParam("id", "pos-2")],
          requestBody: body(ref("TerminalPatch"), one("Rename and set the POS's own id", { name: "Café counter", posId: "till-2" })),
          responses: {
            ...ok(ref("Terminal"), one("The changed terminal", secondTerminal)),
            ...problems(
              problemExample("validation", "posId: posId may contain letters, digits, . _ -", { errors: [{ field: "posId", reason: "posId may contain letters, digits, . _ -" }] }),
              ...bodyProblems,
              common.unauthorized,
              common.terminalNotFound,
            ),
          },
        },
      },
      "/api/v1/terminals/{id}/display-link": {
        post: {
          summary: "Replace the display link: the old link stops opening the display at once; paired displays are not affected",
          parameters: [idParam("id", "pos-2")],
          responses: {
            ...ok(ref("Terminal"), one("The terminal with its new displayUrl", { ...secondTerminal, displayUrl: `${origin}/display/pos-2?token=M99ixg_awh0Wb76KRFozTknd` }), "200", "The terminal with its new displayUrl"),
            ...problems(common.unauthorized, common.terminalNotFound),
          },
        },
      },
      "/api/v1/terminals/{id}/pair": {
        post: {
          summary: "Pair a display that shows this code with the terminal",
          parameters: [idParam("id", "pos-2")],
          requestBody: body(ref("PairRequest"), one("The code on the unpaired display, and a name for it", { code: "K3PKF4", label: "Screen by the door" })),
          responses: {
            ...ok(ref("PairResult"), one("Paired: the display now shows this terminal", { paired: true, terminalId: "pos-2", deviceId: "1cf484ec-926d-49f8-9a0e-7e91f628bd21" }), "201", "Paired"),
            ...problems(
              problemExample("validation", "No display is showing that code. Check the letters on the display.", { errors: [{ field: "code", reason: "unknown-code" }] }),
              ...bodyProblems,
              common.unauthorized,
              common.terminalNotFound,
              problemExample("rateLimited", "Too many wrong pairing codes for this terminal. Try again in 540 s."),
            ),
          },
        },
      },
      "/api/v1/terminals/{id}/devices": {
        get: {
          summary: "Displays paired with the terminal, revoked ones included",
          parameters: [idParam("id", "pos-2")],
          responses: {
            ...ok(ref("DeviceList"), one("One paired display", { items: [{ id: "1cf484ec-926d-49f8-9a0e-7e91f628bd21", label: "Screen by the door", createdAt: "2026-12-05T09:58:01.927Z", revokedAt: null }] })),
            ...problems(common.unauthorized, common.terminalNotFound),
          },
        },
      },
      "/api/v1/terminals/{id}/devices/{deviceId}": {
        delete: {
          summary: "Unpair a display: it sees nothing more until paired again",
          parameters: [idParam("id", "pos-2"), idParam("deviceId", "1cf484ec-926d-49f8-9a0e-7e91f628bd21")],
          responses: {
            "204": { description: "Revoked (no body)" },
            ...problems(common.unauthorized, problemExample("notFound", "No paired display 1cf484ec-926d-49f8-9a0e-7e91f628bd21 on terminal pos-2")),
          },
        },
      },
      "/api/v1/products": {
        get: { summary: "The catalogue", responses: { ...ok(ref("ProductList"), one("Three products", { items: products })), ...problems(common.unauthorized) } },
        post: {
          summary: "Add a product",
          requestBody: body(ref("ProductInput"), one("A coffee at 59,00 kr with 15 % VAT", { name: "Oat milk latte", unitPrice: 5900, currency: "NOK", taxRate: 1500 })),
          responses: {
            ...ok(ref("Product"), one("The new product", newProduct), "201", "Created"),
            ...problems(
              problemExample("validation", "unitPrice: unitPrice must be at least 1", { errors: [{ field: "unitPrice", reason: "unitPrice must be at least 1" }] }),
              ...bodyProblems,
              common.unauthorized,
            ),
          },
        },
      },
      "/api/v1/products/{id}": {
        patch: {
          summary: "Edit a product",
          parameters: [idParam("id", "p5")],
          requestBody: body(ref("ProductPatch"), one("A new price", { unitPrice: 17900 })),
          responses: {
            ...ok(ref("Product"), one("The changed product", { ...products[2], unitPrice: 17900 })),
            ...problems(
              problemExample("validation", "name: Too small: expected string to have >=1 characters", { errors: [{ field: "name", reason: "Too small: expected string to have >=1 characters" }] }),
              ...bodyProblems,
              common.unauthorized,
              common.productNotFound,
            ),
          },
        },
        delete: {
          summary: "Remove a product",
          parameters: [idParam("id", newProduct.id)],
          responses: { "204": { description: "Removed (no body)" }, ...problems(common.unauthorized, common.productNotFound) },
        },
      },
      "/api/v1/terminals/{id}/cart": {
        get: {
          summary: "The live cart on the terminal's display; null when there is none",
          parameters: [idParam("id", "pos-1")],
          responses: {
            ...ok(
              { type: "object", required: ["cart"], properties: { cart: { ...Cart, nullable: true } } },
              { ringing: { summary: "Two items rung up", value: { cart } }, none: { summary: "No cart", value: { cart: null } } },
            ),
            ...problems(common.unauthorized, common.terminalNotFound),
          },
        },
        put: {
          summary: "Show what the till is ringing up on the display (replaces the whole cart; no QR yet). Charging turns it into the sale.",
          parameters: [idParam("id", "pos-1")],
          requestBody: body(ref("CartRequest"), one("Two items", { currency: "NOK", lines: cartLines.map(({ totalAmount: _total, ...line }) => ({ ...line, taxRate: 1500 })) })),
          responses: {
            ...ok(ref("Cart"), one("The cart as the display shows it, priced", cart)),
            ...problems(
              problemExample("validation", "lines[0].quantity: quantity must be at least 1", { errors: [{ field: "lines[0].quantity", reason: "quantity must be at least 1" }] }),
              ...bodyProblems,
              common.unauthorized,
              common.terminalNotFound,
            ),
          },
        },
        delete: {
          summary: "Clear the cart: the display goes back to idle",
          parameters: [idParam("id", "pos-1")],
          responses: { "204": { description: "Cleared (no body)" }, ...problems(common.unauthorized, common.terminalNotFound) },
        },
      },
      "/api/v1/settings": {
        get: { summary: "Shop settings", responses: { ...ok(ref("Settings"), one("The defaults", settings)), ...problems(common.unauthorized) } },
        patch: {
          summary: "Change shop name or auto-capture",
          requestBody: body(ref("SettingsPatch"), one("Rename the shop", { shopName: "Kafé Solsiden" })),
          responses: {
            ...ok(ref("Settings"), one("The changed settings", { ...settings, shopName: "Kafé Solsiden" })),
            ...problems(
              problemExample("validation", "autoCapture: Invalid input: expected boolean, received string", { errors: [{ field: "autoCapture", reason: "Invalid input: expected boolean, received string" }] }),
              ...bodyProblems,
              common.unauthorized,
            ),
          },
        },
      },
      "/api/v1/settings/logo": {
        put: {
          summary: "Set the shop's logo on the displays: the image's bytes as the body (PNG, JPEG or a plain SVG, at most 256 KiB)",
          description: "The type is read from the bytes. An SVG with script, event handlers, external references, CSS escapes or @import is refused, naming the reason.",
          requestBody: {
            required: true,
            content: {
              "image/svg+xml": { schema: { type: "string" }, examples: one("A small SVG", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#ff5b24"/></svg>') },
              "image/png": { schema: { type: "string", format: "binary" }, examples: one("A PNG file's bytes", "(binary)") },
              "image/jpeg": { schema: { type: "string", format: "binary" }, examples: one("A JPEG file's bytes", "(binary)") },
            },
          },
          responses: {
            ...ok(ref("Settings"), one("The settings with the new logo", { ...settings, logo: { url: "/api/display/branding/logo?v=6f4deefe630a3e324649", contentType: "image/svg+xml", size: 110 } })),
            ...problems(
              problemExample("validation", "logo: an SVG with a <script> element; the logo may hold only drawing, no script or external references", {
                errors: [{ field: "logo", reason: "an SVG with a <script> element; the logo may hold only drawing, no script or external references" }],
              }),
              problemExample("payloadTooLarge", "The body may be at most 262144 bytes"),
              common.unauthorized,
            ),
          },
        },
        delete: { summary: "Remove the logo", responses: { "204": { description: "Removed (no body)" }, ...problems(common.unauthorized) } },
      },
      "/api/v1/go-live": {
        get: {
          summary: "The go-live checklist: each item Vipps MobilePay checks before production, met or not, with its evidence",
          responses: { ...ok(ref("GoLiveReport"), one("Partly met (four of the items)", goLive)), ...problems(common.unauthorized) },
        },
      },
      "/api/v1/go-live/evidence": {
        get: {
          summary: "Everything behind the checklist as one JSON file to download (no secrets)",
          responses: {
            "200": {
              description: "The evidence file",
              headers: { "Content-Disposition": { description: 'attachment; filename="kassa-go-live-evidence-YYYY-MM-DD.json"', schema: { type: "string" } } },
              content: json(ref("GoLiveEvidence"), one("The file (shortened)", goLiveEvidence)),
            },
            ...problems(common.unauthorized),
          },
        },
      },
    }),
  };
}
