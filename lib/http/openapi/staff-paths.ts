import {
  ApiKeyCreateSchema,
  ApiKeyListSchema,
  ApiKeySecretSchema,
  AuditListSchema,
  AuditQuerySchema,
  MeSchema,
  SessionListSchema,
  StaffCreateSchema,
  StaffListSchema,
  StaffPatchSchema,
  StaffSchema,
} from "@/lib/contracts/staff";
import { queryParameters } from "./components";
import { body, bodyProblems, common, idParam, ok, one, problemExample, problems } from "./responses";

const AT = "2026-12-05T09:00:00.000Z";
const anna = {
  id: "staff_Q2x9aLpVb0Rk",
  username: "anna",
  name: "Anna Berg",
  role: "cashier",
  storeIds: ["store-1"],
  hasPassword: false,
  hasPin: true,
  pinLocked: false,
  createdAt: AT,
  updatedAt: AT,
};
const owner = { ...anna, id: "staff_owner", username: "owner", name: "Owner", role: "owner", storeIds: [] };
const session = {
  id: "ses_c1Jx0b8PqHn3Vd2k",
  current: true,
  createdAt: AT,
  lastSeenAt: "2026-12-05T09:41:00.000Z",
  device: "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X)",
};
const key = {
  id: "key_Y1c8sQmVnT2w",
  name: "Webshop store 1",
  scopes: ["sales:read", "sales:write"],
  storeIds: ["store-1"],
  createdAt: AT,
  revokedAt: null,
};
const staffNotFound = problemExample("notFound", "No staff member with id staff_Q2x9aLpVb0Rk");
const auditStoreNotFound = problemExample("notFound", "No store with id store-2");
const forbidden = problemExample("forbidden", "A cashier may not do this (staff).");
const deleted = { "204": { description: "Done (no body)" } };

/** Staff and their sessions, API keys, and the audit of who did what. */
export function staffPaths() {
  return {
    "/api/v1/me": {
      get: {
        summary: "Who the caller is: a staff member with a role, or an API key with scopes",
        responses: {
          ...ok(
            MeSchema,
            one("The owner", { type: "staff", id: "staff_owner", username: "owner", role: "owner", storeIds: [] }),
          ),
          ...problems(common.unauthorized),
        },
      },
    },
    "/api/v1/me/sessions": {
      get: {
        summary: "The signed-in member's live sessions",
        responses: {
          ...ok(SessionListSchema, one("Signed in on one till", { items: [session] })),
          ...problems(common.unauthorized, problemExample("forbidden", "An API key has no sessions.")),
        },
      },
    },
    "/api/v1/me/sessions/{id}": {
      delete: {
        summary: "End one of the member's own sessions; its next request gets 401",
        parameters: [idParam("id", session.id)],
        responses: {
          ...deleted,
          ...problems(common.unauthorized, problemExample("notFound", `No session with id ${session.id}`)),
        },
      },
    },
    "/api/v1/staff": {
      get: {
        summary: "The staff the caller manages (an owner: everyone)",
        responses: {
          ...ok(StaffListSchema, one("An owner and a cashier", { items: [anna, owner] })),
          ...problems(common.unauthorized, forbidden),
        },
      },
      post: {
        summary: "Add a staff member",
        requestBody: body(
          StaffCreateSchema,
          one("A cashier with a PIN", {
            username: "anna",
            name: "Anna Berg",
            role: "cashier",
            storeIds: ["store-1"],
            pin: "4821",
          }),
        ),
        responses: {
          ...ok(StaffSchema, one("The new member", anna), "201", "Created"),
          ...problems(
            problemExample("validation", "pin: pin is 4 to 6 digits", {
              errors: [{ field: "pin", reason: "pin is 4 to 6 digits" }],
            }),
            ...bodyProblems,
            common.unauthorized,
            forbidden,
            problemExample("conflict", "The username anna is taken.", {
              errors: [{ field: "username", reason: "taken" }],
            }),
          ),
        },
      },
    },
    "/api/v1/staff/{id}": {
      get: {
        summary: "One staff member",
        parameters: [idParam("id", anna.id)],
        responses: {
          ...ok(StaffSchema, one("A cashier", anna)),
          ...problems(common.unauthorized, forbidden, staffNotFound),
        },
      },
      patch: {
        summary: "Change a member: name, role, stores, password or PIN (a new PIN unlocks a locked one)",
        parameters: [idParam("id", anna.id)],
        requestBody: body(StaffPatchSchema, one("Reset a locked PIN", { pin: "7310" })),
        responses: {
          ...ok(StaffSchema, one("The changed member", anna)),
          ...problems(...bodyProblems, common.unauthorized, forbidden, staffNotFound),
        },
      },
      delete: {
        summary: "Remove a member, ending their sessions",
        parameters: [idParam("id", anna.id)],
        responses: { ...deleted, ...problems(common.unauthorized, forbidden, staffNotFound) },
      },
    },
    "/api/v1/staff/{id}/sessions": {
      get: {
        summary: "A member's live sessions (owner only)",
        parameters: [idParam("id", anna.id)],
        responses: {
          ...ok(SessionListSchema, one("One session", { items: [{ ...session, current: false }] })),
          ...problems(common.unauthorized, forbidden, staffNotFound),
        },
      },
      delete: {
        summary: "End every session of a member (owner only)",
        parameters: [idParam("id", anna.id)],
        responses: { ...deleted, ...problems(common.unauthorized, forbidden, staffNotFound) },
      },
    },
    "/api/v1/api-keys": {
      get: {
        summary: "The API keys (never the keys themselves)",
        responses: {
          ...ok(ApiKeyListSchema, one("One key", { items: [key] })),
          ...problems(common.unauthorized, forbidden),
        },
      },
      post: {
        summary: "A new API key with scopes, for some stores or all; the key is in this answer only",
        requestBody: body(
          ApiKeyCreateSchema,
          one("A webshop that sells in store 1", { name: key.name, storeIds: key.storeIds, scopes: key.scopes }),
        ),
        responses: {
          ...ok(
            ApiKeySecretSchema,
            one("The key", { id: key.id, key: "kassa_3q2VbXo9sR1mT0yKp4LwZc8nJ6hGd7Fa" }),
            "201",
            "Created",
          ),
          ...problems(...bodyProblems, common.unauthorized, forbidden),
        },
      },
    },
    "/api/v1/api-keys/{id}": {
      delete: {
        summary: "Revoke a key; its next request gets 401",
        parameters: [idParam("id", key.id)],
        responses: {
          ...deleted,
          ...problems(common.unauthorized, forbidden, problemExample("notFound", `No API key with id ${key.id}`)),
        },
      },
    },
    "/api/v1/api-keys/{id}/rotate": {
      post: {
        summary: "A new key in place of the old, which stops working at once",
        parameters: [idParam("id", key.id)],
        responses: {
          ...ok(ApiKeySecretSchema, one("The new key", { id: key.id, key: "kassa_Vn8cQ1xJ5pT7rZ2mW0yKb4Lh9sGd3Fa6" })),
          ...problems(common.unauthorized, forbidden, problemExample("notFound", `No API key with id ${key.id}`)),
        },
      },
    },
    "/api/v1/audit": {
      get: {
        summary: "Who did what, when and from where, newest first",
        description:
          "The owner sees every entry; a manager the entries about their stores and the deployment-wide ones (settings, staff, keys) they made themselves. storeId narrows to one store's entries; another store's id is 404.",
        parameters: queryParameters(AuditQuerySchema),
        responses: {
          ...ok(
            AuditListSchema,
            one("A refund a manager approved", {
              items: [
                {
                  at: AT,
                  action: "sale.refund",
                  actor: { type: "staff", username: "anna" },
                  target: "sale:sale_tCb3xdFe3lNoYw",
                  storeId: "store-1",
                  saleId: "sale_tCb3xdFe3lNoYw",
                  device: "Till: Counter 1",
                  address: "192.168.1.31",
                },
                {
                  at: "2026-12-05T08:58:00.000Z",
                  action: "sale.create",
                  actor: { type: "api-key", name: "Webshop store 1" },
                  target: "sale:sale_tCb3xdFe3lNoYw",
                  storeId: "store-1",
                  saleId: "sale_tCb3xdFe3lNoYw",
                  address: "10.0.0.7",
                },
              ],
            }),
          ),
          ...problems(common.unauthorized, forbidden, auditStoreNotFound),
        },
      },
    },
    "/api/v1/audit/export.csv": {
      get: {
        summary: "The audit as CSV",
        parameters: queryParameters(AuditQuerySchema),
        responses: {
          "200": {
            description: "CSV (RFC 4180, CRLF line ends)",
            content: {
              "text/csv": {
                schema: { type: "string" },
                examples: one(
                  "One entry",
                  [
                    "at,action,actor type,actor,target,sale id,device,address,store id",
                    `${AT},sale.refund,staff,anna,sale:sale_tCb3xdFe3lNoYw,sale_tCb3xdFe3lNoYw,Till: Counter 1,192.168.1.31,store-1`,
                    "",
                  ].join("\r\n"),
                ),
              },
            },
          },
          ...problems(common.unauthorized, forbidden, auditStoreNotFound),
        },
      },
    },
  };
}
