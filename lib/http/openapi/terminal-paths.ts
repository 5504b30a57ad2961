import {
  CartRequestSchema,
  CartSchema,
  DeviceListSchema,
  DeviceRenameSchema,
  DeviceSchema,
  LiveCartSchema,
  PairRequestSchema,
  PairResultSchema,
  TerminalCreateSchema,
  TerminalListSchema,
  TerminalPatchSchema,
  TerminalSchema,
  TerminalStickerSchema,
} from "@/lib/contracts/terminals";
import type { ApiExamples } from "./examples";
import { body, bodyProblems, common, idParam, json, ok, one, problemExample, problems } from "./responses";

/** The terminal operations: counters, their display links, paired displays and live carts. */
export function terminalPaths({ terminal, secondTerminal, cart, cartLines }: ApiExamples, origin: string) {
  const deviceId = "1cf484ec-926d-49f8-9a0e-7e91f628bd21";
  return {
    "/api/v1/terminals": {
      get: {
        summary: "Terminals",
        responses: {
          ...ok(TerminalListSchema, one("Two counters", { items: [terminal, secondTerminal] })),
          ...problems(common.unauthorized),
        },
      },
      post: {
        summary: "Add a terminal (another counter); without an id it gets the next free pos-N",
        requestBody: body(
          TerminalCreateSchema,
          one("A second counter", { name: "Counter 2", language: "en", currency: "NOK" }),
        ),
        responses: {
          "201": {
            description: "Created",
            headers: { Location: { description: "The terminal's URL", schema: { type: "string" } } },
            content: json(
              TerminalSchema,
              one("The new terminal with its display link", { ...secondTerminal, name: "Counter 2", posId: "pos-2" }),
            ),
          },
          ...problems(
            problemExample("validation", "name: name is at most 60 characters", {
              errors: [{ field: "name", reason: "name is at most 60 characters" }],
            }),
            ...bodyProblems,
            common.unauthorized,
            problemExample("conflict", "A terminal with id pos-2 already exists", {
              errors: [{ field: "id", reason: "already exists" }],
            }),
          ),
        },
      },
    },
    "/api/v1/terminals/{id}": {
      get: {
        summary: "A terminal with its displayUrl",
        parameters: [idParam("id", "pos-1")],
        responses: {
          ...ok(TerminalSchema, one("Counter 1", terminal)),
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
      patch: {
        summary: "Rename, set posId, language or currency",
        parameters: [idParam("id", "pos-2")],
        requestBody: body(
          TerminalPatchSchema,
          one("Rename and set the POS's own id", { name: "Café counter", posId: "till-2" }),
        ),
        responses: {
          ...ok(TerminalSchema, one("The changed terminal", secondTerminal)),
          ...problems(
            problemExample("validation", "posId: posId may contain letters, digits, . _ -", {
              errors: [{ field: "posId", reason: "posId may contain letters, digits, . _ -" }],
            }),
            common.malformedPath,
            ...bodyProblems,
            common.unauthorized,
            common.terminalNotFound,
          ),
        },
      },
    },
    "/api/v1/terminals/{id}/display-link": {
      post: {
        summary:
          "Replace the display link: the old link stops opening the display at once; paired displays are not affected",
        parameters: [idParam("id", "pos-2")],
        responses: {
          ...ok(
            TerminalSchema,
            one("The terminal with its new displayUrl", {
              ...secondTerminal,
              displayUrl: `${origin}/display/pos-2?token=M99ixg_awh0Wb76KRFozTknd`,
            }),
            "200",
            "The terminal with its new displayUrl",
          ),
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
    },
    "/api/v1/terminals/{id}/sticker": {
      post: {
        summary:
          "Make the terminal's sticker: a Vipps merchant callback QR named after the terminal. A customer who scans it " +
          "gets the waiting sale's payment request on their phone. Again, it renames the sticker; its code stays the same",
        parameters: [idParam("id", "pos-2")],
        responses: {
          ...ok(
            TerminalStickerSchema,
            one("The sticker to print", {
              merchantQrId: "kassa-pos-2",
              qrContent: "https://qr.vipps.no/generate/kassa-pos-2",
            }),
          ),
          ...problems(
            common.malformedPath,
            common.unauthorized,
            common.terminalNotFound,
            common.refused("Vipps did not create the sticker's QR code"),
            common.unavailable("Vipps did not create the sticker's QR code"),
          ),
        },
      },
    },
    "/api/v1/terminals/{id}/pair": {
      post: {
        summary: "Pair a display that shows this code with the terminal",
        parameters: [idParam("id", "pos-2")],
        requestBody: body(
          PairRequestSchema,
          one("The code on the unpaired display, and a name for it", { code: "K3PKF4", label: "Screen by the door" }),
        ),
        responses: {
          ...ok(
            PairResultSchema,
            one("Paired: the display now shows this terminal", { paired: true, terminalId: "pos-2", deviceId }),
            "201",
            "Paired",
          ),
          ...problems(
            problemExample("validation", "No display is showing that code. Check the letters on the display.", {
              errors: [{ field: "code", reason: "unknown-code" }],
            }),
            common.malformedPath,
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
          ...ok(
            DeviceListSchema,
            one("One paired display", {
              items: [
                { id: deviceId, label: "Screen by the door", createdAt: "2026-12-05T09:58:01.927Z", revokedAt: null },
              ],
            }),
          ),
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
    },
    "/api/v1/terminals/{id}/devices/{deviceId}": {
      patch: {
        summary: "Rename a paired display, so the terminal's list tells the shop's screens apart",
        parameters: [idParam("id", "pos-2"), idParam("deviceId", deviceId)],
        requestBody: body(
          DeviceRenameSchema,
          one("Name the screen by where it stands", { label: "Screen by the door" }),
        ),
        responses: {
          ...ok(
            DeviceSchema,
            one("The renamed display", {
              id: deviceId,
              label: "Screen by the door",
              createdAt: "2026-12-05T09:58:01.927Z",
              revokedAt: null,
            }),
          ),
          ...problems(
            problemExample("validation", "label: label is at most 60 characters", {
              errors: [{ field: "label", reason: "label is at most 60 characters" }],
            }),
            common.malformedPath,
            ...bodyProblems,
            common.unauthorized,
            problemExample("notFound", `No paired display ${deviceId} on terminal pos-2`),
          ),
        },
      },
      delete: {
        summary: "Unpair a display: it sees nothing more until paired again",
        parameters: [idParam("id", "pos-2"), idParam("deviceId", deviceId)],
        responses: {
          "204": { description: "Revoked (no body)" },
          ...problems(
            common.malformedPath,
            common.unauthorized,
            problemExample("notFound", `No paired display ${deviceId} on terminal pos-2`),
          ),
        },
      },
    },
    "/api/v1/terminals/{id}/cart": {
      get: {
        summary: "The live cart on the terminal's display; null when there is none",
        parameters: [idParam("id", "pos-1")],
        responses: {
          ...ok(LiveCartSchema, {
            ringing: { summary: "Two items rung up", value: { cart } },
            none: { summary: "No cart", value: { cart: null } },
          }),
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
      put: {
        summary:
          "Show what the till is ringing up on the display (replaces the whole cart; no QR yet). Charging turns it into the sale.",
        parameters: [idParam("id", "pos-1")],
        requestBody: body(
          CartRequestSchema,
          one("Two items", {
            currency: "NOK",
            lines: cartLines.map(({ totalAmount: _total, ...line }) => ({ ...line, taxRate: 1500 })),
          }),
        ),
        responses: {
          ...ok(CartSchema, one("The cart as the display shows it, priced", cart)),
          ...problems(
            problemExample("validation", "lines[0].quantity: quantity must be at least 1", {
              errors: [{ field: "lines[0].quantity", reason: "quantity must be at least 1" }],
            }),
            common.malformedPath,
            ...bodyProblems,
            common.unauthorized,
            common.terminalNotFound,
          ),
        },
      },
      delete: {
        summary: "Clear the cart: the display goes back to idle",
        parameters: [idParam("id", "pos-1")],
        responses: {
          "204": { description: "Cleared (no body)" },
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
    },
  };
}
