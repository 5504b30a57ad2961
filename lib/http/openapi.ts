import { closePaths } from "./openapi/close-paths";
import { componentSchemas } from "./openapi/components";
import { examplesFor } from "./openapi/examples";
import { posEventPaths, posWebhooks } from "./openapi/pos-event-paths";
import { salePaths } from "./openapi/sales-paths";
import { settlementPaths } from "./openapi/settlement-paths";
import { shopPaths } from "./openapi/shop-paths";
import { storePaths } from "./openapi/store-paths";
import { staffPaths } from "./openapi/staff-paths";
import { problemExample, problems } from "./openapi/responses";
import { terminalPaths } from "./openapi/terminal-paths";

/**
 * The POS API's OpenAPI 3.1 document. Every shape in it is generated from the features' contracts
 * (lib/contracts), the zod schemas the routes validate with and the views are typed by; this file
 * and lib/http/openapi/ only say which operation accepts and answers which, with examples.
 */

const TAGS = [
  {
    name: "Sales",
    description: "Start a QR sale on a terminal's display, follow it, cancel, capture, refund; reports",
  },
  { name: "Terminals", description: "Counters, their display links, paired displays and live carts" },
  {
    name: "Closes",
    description:
      "Each terminal's day close (Z report) and its preview (X report), for reconciling against the POS's Z report",
  },
  { name: "Products", description: "The catalogue the till picks from" },
  { name: "Settings", description: "The shop's name, auto-capture and branding" },
  {
    name: "Settlements",
    description:
      "Vipps MobilePay's ledger (Report API) reconciled with the sales per ledger date, and the export for the books",
  },
  { name: "Stores", description: "The chain's stores: one Vipps MobilePay sales unit (MSN) each" },
  { name: "Go-live", description: "The Vipps MobilePay go-live checklist and its evidence" },
  { name: "Events", description: "The POS's events: webhook endpoints, their deliveries, and the event feed" },
  {
    name: "Staff",
    description: "Staff with roles and their sessions, API keys with scopes, and the audit of who did what",
  },
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
  "post /api/v1/terminals/{id}/sticker": { operationId: "createTerminalSticker", tag: "Terminals" },
  "post /api/v1/terminals/{id}/pair": { operationId: "pairDisplay", tag: "Terminals" },
  "get /api/v1/terminals/{id}/devices": { operationId: "listPairedDisplays", tag: "Terminals" },
  "patch /api/v1/terminals/{id}/devices/{deviceId}": { operationId: "renamePairedDisplay", tag: "Terminals" },
  "delete /api/v1/terminals/{id}/devices/{deviceId}": { operationId: "unpairDisplay", tag: "Terminals" },
  "post /api/v1/terminals/{id}/closes": { operationId: "closeTerminal", tag: "Closes" },
  "get /api/v1/terminals/{id}/closes": { operationId: "listCloses", tag: "Closes" },
  "get /api/v1/terminals/{id}/closes/preview": { operationId: "previewClose", tag: "Closes" },
  "get /api/v1/terminals/{id}/closes/schedule": { operationId: "getCloseSchedule", tag: "Closes" },
  "put /api/v1/terminals/{id}/closes/schedule": { operationId: "setCloseSchedule", tag: "Closes" },
  "get /api/v1/closes/{id}": { operationId: "getClose", tag: "Closes" },
  "get /api/v1/closes/{id}.csv": { operationId: "getCloseCsv", tag: "Closes" },
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
  "get /api/v1/settlements": { operationId: "listSettlements", tag: "Settlements" },
  "get /api/v1/settlements/{ledgerDate}": { operationId: "getSettlementDate", tag: "Settlements" },
  "get /api/v1/settlements/export.csv": { operationId: "exportSettlementsCsv", tag: "Settlements" },
  "get /api/v1/stores": { operationId: "listStores", tag: "Stores" },
  "post /api/v1/stores": { operationId: "createStore", tag: "Stores" },
  "get /api/v1/stores/{id}": { operationId: "getStore", tag: "Stores" },
  "patch /api/v1/stores/{id}": { operationId: "updateStore", tag: "Stores" },
  "put /api/v1/stores/{id}/logo": { operationId: "setStoreLogo", tag: "Stores" },
  "delete /api/v1/stores/{id}/logo": { operationId: "removeStoreLogo", tag: "Stores" },
  "get /api/v1/go-live": { operationId: "getGoLiveReport", tag: "Go-live" },
  "get /api/v1/go-live/evidence": { operationId: "downloadGoLiveEvidence", tag: "Go-live" },
  "get /api/v1/webhook-endpoints": { operationId: "listWebhookEndpoints", tag: "Events" },
  "post /api/v1/webhook-endpoints": { operationId: "createWebhookEndpoint", tag: "Events" },
  "delete /api/v1/webhook-endpoints/{id}": { operationId: "deleteWebhookEndpoint", tag: "Events" },
  "post /api/v1/webhook-endpoints/{id}/rotate-secret": { operationId: "rotateWebhookSecret", tag: "Events" },
  "get /api/v1/webhook-deliveries": { operationId: "listWebhookDeliveries", tag: "Events" },
  "post /api/v1/webhook-deliveries/{id}/send-again": { operationId: "sendWebhookDeliveryAgain", tag: "Events" },
  "get /api/v1/events": { operationId: "listEvents", tag: "Events" },
  "get /api/v1/me": { operationId: "getMe", tag: "Staff" },
  "get /api/v1/me/sessions": { operationId: "listMySessions", tag: "Staff" },
  "delete /api/v1/me/sessions/{id}": { operationId: "endMySession", tag: "Staff" },
  "get /api/v1/staff": { operationId: "listStaff", tag: "Staff" },
  "post /api/v1/staff": { operationId: "createStaff", tag: "Staff" },
  "get /api/v1/staff/{id}": { operationId: "getStaff", tag: "Staff" },
  "patch /api/v1/staff/{id}": { operationId: "updateStaff", tag: "Staff" },
  "delete /api/v1/staff/{id}": { operationId: "deleteStaff", tag: "Staff" },
  "get /api/v1/staff/{id}/sessions": { operationId: "listStaffSessions", tag: "Staff" },
  "delete /api/v1/staff/{id}/sessions": { operationId: "endStaffSessions", tag: "Staff" },
  "get /api/v1/api-keys": { operationId: "listApiKeys", tag: "Staff" },
  "post /api/v1/api-keys": { operationId: "createApiKey", tag: "Staff" },
  "delete /api/v1/api-keys/{id}": { operationId: "revokeApiKey", tag: "Staff" },
  "post /api/v1/api-keys/{id}/rotate": { operationId: "rotateApiKey", tag: "Staff" },
  "get /api/v1/audit": { operationId: "listAudit", tag: "Staff" },
  "get /api/v1/audit/export.csv": { operationId: "exportAuditCsv", tag: "Staff" },
};

/**
 * Every operation may answer 403: the policy (lib/auth/policy.ts) decides per role and per API
 * key scope, so the document says so once here rather than in each operation.
 */
const FORBIDDEN = problemExample("forbidden", "This API key may not do this (refunds).", {}, "forbidden-by-policy");

/** Adds each operation's operationId and tag; an operation missing from OPERATIONS is a mistake here. */
function named<P extends Record<string, Record<string, object>>>(paths: P): P {
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const name = OPERATIONS[`${method} ${path}`];
      if (!name) throw new Error(`No operationId for ${method} ${path}`);
      Object.assign(operation, { operationId: name.operationId, tags: [name.tag] });
      const responses = (operation as { responses: Record<string, unknown> }).responses;
      responses["403"] ??= problems(FORBIDDEN)["403"];
    }
  }
  return paths;
}

/** The POS API described from the same zod schemas the route handlers validate with and the views are typed by. */
export function buildOpenApiDocument(serverUrl: string) {
  const origin = serverUrl.replace(/\/+$/, "");
  const examples = examplesFor(origin);
  return {
    openapi: "3.1.0",
    info: {
      title: "Kassa Display POS API",
      version: "1",
      description: [
        "Start Vipps MobilePay QR sales on a counter display, follow them, cancel, capture and refund. Amounts are integer minor units (øre, cents).",
        "",
        "Authenticate with `Authorization: Bearer <KASSA_API_KEY>`. Errors are RFC 9457 problem details (`application/problem+json`); switch on their `type`.",
        "",
        "Retries are safe: send an `Idempotency-Key` with POST /api/v1/sales and with refunds.",
        "",
        "Every problem answer carries `X-Request-Id`: the id under which the app logged the request. Send your own (a visible-ASCII token of up to 128 characters) to have it used; quote it when asking about an error, since a problem's log entry, stack trace included, is found by it.",
      ].join("\n"),
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    tags: TAGS,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "KASSA_API_KEY" } },
      schemas: componentSchemas(),
    },
    paths: named({
      ...salePaths(examples),
      ...terminalPaths(examples, origin),
      ...closePaths(),
      ...settlementPaths(),
      ...shopPaths(examples),
      ...storePaths(),
      ...posEventPaths(examples),
      ...staffPaths(),
    }),
    webhooks: posWebhooks(examples),
  };
}
