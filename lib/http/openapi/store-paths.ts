import {
  StoreCreateSchema,
  StoreListSchema,
  StorePatchSchema,
  StoreSchema,
  type StoreView,
} from "@/lib/contracts/stores";
import { logoProblems, logoRequestBody } from "./shop-paths";
import { body, bodyProblems, common, idParam, ok, one, problemExample, problems } from "./responses";

const firstStore = {
  id: "store-1",
  name: "Kafé Solsiden",
  msn: "123456",
  currency: "NOK",
  timeZone: "Europe/Oslo",
  language: "nb",
  address: "Solsiden 1, 7014 Trondheim",
  organisationNumber: "999888777",
  vipps: { keys: "partner", clientId: "8d3f0b2a-5c1e-4f6a-9b7d-2e4c6a8b0d1f", hasSecret: true },
  accentColor: null,
  logo: null,
  createdAt: "2026-12-01T08:00:00.000Z",
  updatedAt: "2026-12-01T08:00:00.000Z",
} satisfies StoreView;

const secondStore = {
  id: "store-2",
  name: "Kafé Bryggen",
  msn: "654321",
  currency: "NOK",
  timeZone: "Europe/Oslo",
  language: "nb",
  address: null,
  organisationNumber: null,
  vipps: { keys: "own", clientId: "3b9f7c1e-0a2d-4e8b-9c6f-5d1a7e2b4c80", hasSecret: true },
  accentColor: "#2f9e8f",
  logo: {
    url: "/api/display/branding/logo?store=store-2&v=0c41d5e7a9b3f2c18d6e",
    contentType: "image/png",
    size: 18211,
  },
  createdAt: "2026-12-05T09:12:40.311Z",
  updatedAt: "2026-12-05T09:12:40.311Z",
} satisfies StoreView;

const storeNotFound = problemExample("notFound", "No store with id store-9");
const msnTaken = problemExample("conflict", "Another store already has MSN 654321", {
  errors: [{ field: "msn", reason: "another store has it" }],
});

/** The chain's stores: each one Vipps MobilePay sales unit (MSN) with its own terminals, sales and, optionally, keys. */
export function storePaths() {
  return {
    "/api/v1/stores": {
      get: {
        summary: "The stores (Vipps sales units), oldest first",
        responses: {
          ...ok(StoreListSchema, one("Two stores", { items: [firstStore, secondStore] })),
          ...problems(common.unauthorized),
        },
      },
      post: {
        summary: "Add a store: a sales unit with its MSN and, optionally, API keys of its own",
        description:
          "Keys given here are stored sealed (KASSA_SECRETS_KEY) and never shown again. Without keys the store's Vipps calls use the deployment's partner keys with its MSN.",
        requestBody: body(StoreCreateSchema, {
          ownKeys: {
            summary: "A store with its own API keys",
            value: {
              name: "Kafé Bryggen",
              msn: "654321",
              currency: "NOK",
              vipps: {
                clientId: "3b9f7c1e-0a2d-4e8b-9c6f-5d1a7e2b4c80",
                clientSecret: "its-client-secret",
                subscriptionKey: "its-subscription-key",
              },
            },
          },
          partner: {
            summary: "A store on the partner keys",
            value: { name: "Kafé Torget", msn: "222333", currency: "NOK" },
          },
        }),
        responses: {
          ...ok(StoreSchema, one("The new store", secondStore), "201", "Created"),
          ...problems(msnTaken, ...bodyProblems, common.unauthorized),
        },
      },
    },
    "/api/v1/stores/{id}": {
      get: {
        summary: "One store",
        parameters: [idParam("id", "store-1")],
        responses: {
          ...ok(StoreSchema, one("Store 1", firstStore)),
          ...problems(common.malformedPath, common.unauthorized, storeNotFound),
        },
      },
      patch: {
        summary: "Change a store; new keys replace its own, null goes back to the partner keys",
        parameters: [idParam("id", "store-2")],
        requestBody: body(StorePatchSchema, {
          name: { summary: "A new name", value: { name: "Kafé Bryggen nord" } },
          accent: { summary: "The store's own display accent", value: { accentColor: "#2f9e8f" } },
        }),
        responses: {
          ...ok(StoreSchema, one("The changed store", { ...secondStore, name: "Kafé Bryggen nord" })),
          ...problems(msnTaken, common.malformedPath, ...bodyProblems, common.unauthorized, storeNotFound),
        },
      },
    },
    "/api/v1/stores/{id}/logo": {
      put: {
        summary: "Set the store's own logo on its displays, over the shop's: the image's bytes as the body",
        description:
          "As the shop's logo (PUT /api/v1/settings/logo): PNG, JPEG or a plain SVG of at most 256 KiB, the type read from the bytes.",
        parameters: [idParam("id", "store-2")],
        requestBody: logoRequestBody,
        responses: {
          ...ok(StoreSchema, one("The store with its logo", secondStore)),
          ...problems(...logoProblems, common.malformedPath, common.unauthorized, storeNotFound),
        },
      },
      delete: {
        summary: "Remove the store's own logo: its displays show the shop's again",
        parameters: [idParam("id", "store-2")],
        responses: {
          "204": { description: "Removed (no body)" },
          ...problems(common.malformedPath, common.unauthorized, storeNotFound),
        },
      },
    },
  };
}
