import { ProductInputSchema, ProductListSchema, ProductPatchSchema, ProductSchema } from "@/lib/contracts/catalogue";
import { GoLiveEvidenceSchema, GoLiveReportSchema } from "@/lib/contracts/go-live";
import { SettingsPatchSchema, SettingsSchema } from "@/lib/contracts/settings";
import type { ApiExamples } from "./examples";
import { body, bodyProblems, common, idParam, json, ok, one, problemExample, problems } from "./responses";

/** The shop's own operations: its catalogue, its settings and branding, and the go-live checklist. */
export function shopPaths({ products, newProduct, settings, goLive, goLiveEvidence }: ApiExamples) {
  return {
    "/api/v1/products": {
      get: {
        summary: "The catalogue",
        responses: {
          ...ok(ProductListSchema, one("Three products", { items: products })),
          ...problems(common.unauthorized),
        },
      },
      post: {
        summary: "Add a product",
        requestBody: body(
          ProductInputSchema,
          one("A coffee at 59,00 kr with 15 % VAT", {
            name: "Oat milk latte",
            unitPrice: 5900,
            currency: "NOK",
            taxRate: 1500,
          }),
        ),
        responses: {
          ...ok(ProductSchema, one("The new product", newProduct), "201", "Created"),
          ...problems(
            problemExample("validation", "unitPrice: unitPrice must be at least 1", {
              errors: [{ field: "unitPrice", reason: "unitPrice must be at least 1" }],
            }),
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
        requestBody: body(ProductPatchSchema, one("A new price", { unitPrice: 17900 })),
        responses: {
          ...ok(ProductSchema, one("The changed product", { ...products[2], unitPrice: 17900 })),
          ...problems(
            problemExample("validation", "name: Too small: expected string to have >=1 characters", {
              errors: [{ field: "name", reason: "Too small: expected string to have >=1 characters" }],
            }),
            common.malformedPath,
            ...bodyProblems,
            common.unauthorized,
            common.productNotFound,
          ),
        },
      },
      delete: {
        summary: "Remove a product",
        parameters: [idParam("id", newProduct.id)],
        responses: {
          "204": { description: "Removed (no body)" },
          ...problems(common.malformedPath, common.unauthorized, common.productNotFound),
        },
      },
    },
    "/api/v1/settings": {
      get: {
        summary: "Shop settings",
        responses: { ...ok(SettingsSchema, one("The defaults", settings)), ...problems(common.unauthorized) },
      },
      patch: {
        summary: "Change the shop's name, auto-capture or the displays' accent colour",
        requestBody: body(SettingsPatchSchema, {
          rename: { summary: "Rename the shop", value: { shopName: "Kafé Solsiden" } },
          accent: { summary: "A brand colour on the displays", value: { accentColor: "#ff5b24" } },
        }),
        responses: {
          ...ok(SettingsSchema, {
            rename: { summary: "The changed settings", value: { ...settings, shopName: "Kafé Solsiden" } },
            accent: { summary: "With an accent colour", value: { ...settings, accentColor: "#ff5b24" } },
          }),
          ...problems(
            problemExample("validation", "autoCapture: Invalid input: expected boolean, received string", {
              errors: [{ field: "autoCapture", reason: "Invalid input: expected boolean, received string" }],
            }),
            ...bodyProblems,
            common.unauthorized,
          ),
        },
      },
    },
    "/api/v1/settings/logo": {
      put: {
        summary:
          "Set the shop's logo on the displays: the image's bytes as the body (PNG, JPEG or a plain SVG, at most 256 KiB)",
        description:
          "The type is read from the bytes. An SVG with script, event handlers, external references, CSS escapes or @import is refused, naming the reason.",
        requestBody: logoRequestBody,
        responses: {
          ...ok(
            SettingsSchema,
            one("The settings with the new logo", {
              ...settings,
              logo: {
                url: "/api/display/branding/logo?v=6f4deefe630a3e324649",
                contentType: "image/svg+xml",
                size: 110,
              },
            }),
          ),
          ...problems(...logoProblems, common.unauthorized),
        },
      },
      delete: {
        summary: "Remove the logo",
        responses: { "204": { description: "Removed (no body)" }, ...problems(common.unauthorized) },
      },
    },
    "/api/v1/go-live": {
      get: {
        summary:
          "The go-live checklist: each item Vipps MobilePay checks before production, met or not, with its evidence",
        responses: {
          ...ok(GoLiveReportSchema, one("Partly met (four of the items)", goLive)),
          ...problems(common.unauthorized),
        },
      },
    },
    "/api/v1/go-live/evidence": {
      get: {
        summary: "Everything behind the checklist as one JSON file to download (no secrets)",
        responses: {
          "200": {
            description: "The evidence file",
            headers: {
              "Content-Disposition": {
                description: 'attachment; filename="kassa-go-live-evidence-YYYY-MM-DD.json"',
                schema: { type: "string" },
              },
            },
            content: json(GoLiveEvidenceSchema, one("The file (shortened)", goLiveEvidence)),
          },
          ...problems(common.unauthorized),
        },
      },
    },
  };
}

/** A logo's bytes as a request body: the shop's (PUT /api/v1/settings/logo) or a store's. */
export const logoRequestBody = {
  required: true,
  content: {
    "image/svg+xml": {
      schema: { type: "string" },
      examples: one(
        "A small SVG",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#ff5b24"/></svg>',
      ),
    },
    "image/png": {
      schema: { type: "string", contentMediaType: "image/png" },
      examples: one("A PNG file's bytes", "(binary)"),
    },
    "image/jpeg": {
      schema: { type: "string", contentMediaType: "image/jpeg" },
      examples: one("A JPEG file's bytes", "(binary)"),
    },
  },
};

/** What a refused logo answers. */
export const logoProblems = [
  problemExample(
    "validation",
    "logo: an SVG with a <script> element; the logo may hold only drawing, no script or external references",
    {
      errors: [
        {
          field: "logo",
          reason: "an SVG with a <script> element; the logo may hold only drawing, no script or external references",
        },
      ],
    },
  ),
  problemExample("payloadTooLarge", "The body may be at most 262144 bytes"),
];
