import {
  CloseListSchema,
  ClosePreviewSchema,
  CloseScheduleRequestSchema,
  CloseScheduleSchema,
  ListClosesQuerySchema,
  TerminalCloseSchema,
  type CloseScheduleView,
  type ClosePreviewView,
  type TerminalCloseView,
} from "@/lib/contracts/closes";
import { queryParameters } from "./components";
import { body, bodyProblems, common, idParam, json, ok, one, problemExample, problems } from "./responses";

/** The day close operations: close a terminal (Z report), preview it (X report), list, read, CSV, schedule. */
export function closePaths() {
  const close = {
    id: "close_5bH0r0m1cXgJb0Tq6ZtZqg",
    terminalId: "pos-1",
    number: 42,
    openedAt: "2026-12-04T22:00:00.114Z",
    closedAt: "2026-12-05T22:00:00.207Z",
    currencies: [
      {
        currency: "NOK",
        captured: { count: 2, amount: 77724 },
        refunded: { count: 1, amount: 4900 },
        net: 72824,
        vat: [
          { rate: 1500, base: 7730, tax: 1159 },
          { rate: 2500, base: 51148, tax: 12787 },
        ],
      },
    ],
    cancelled: { count: 1 },
    failed: { count: 0 },
    sales: ["sale_tCb3xdFe3lNoYw", "sale_NbhJOO1JSqyewg", "sale_1HHs7aHKnyDHgA"],
    operators: [
      { operator: "anna", count: 2 },
      { operator: "Webshop", count: 1 },
    ],
  } satisfies TerminalCloseView;
  const { id: _id, ...figures } = close;
  const preview = {
    preview: true,
    ...figures,
    number: 43,
    openedAt: close.closedAt,
    closedAt: "2026-12-06T14:31:09.871Z",
    currencies: [
      {
        currency: "NOK",
        captured: { count: 1, amount: 9800 },
        refunded: { count: 0, amount: 0 },
        net: 9800,
        vat: [{ rate: 1500, base: 8522, tax: 1278 }],
      },
    ],
    cancelled: { count: 0 },
    sales: ["sale_x8Pm2WcK0aTq1Q"],
    operators: [{ operator: "anna", count: 1 }],
  } satisfies ClosePreviewView;
  const schedule = {
    terminalId: "pos-1",
    time: "23:00",
    timeZone: "Europe/Oslo",
    nextCloseAt: "2026-12-06T22:00:00.000Z",
  } satisfies CloseScheduleView;
  const closeNotFound = problemExample("notFound", "No close with id close_nope");
  return {
    "/api/v1/terminals/{id}/closes": {
      post: {
        summary:
          "Close the terminal's day (Z report): everything captured and refunded since its previous close, numbered next; a close never changes",
        parameters: [idParam("id", "pos-1")],
        responses: {
          "201": {
            description: "Closed",
            headers: { Location: { description: "The close's URL", schema: { type: "string" } } },
            content: json(TerminalCloseSchema, one("Close 42", close)),
          },
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
      get: {
        summary: "The terminal's closes, newest first",
        parameters: [idParam("id", "pos-1"), ...queryParameters(ListClosesQuerySchema)],
        responses: {
          ...ok(CloseListSchema, one("The newest close", { items: [close], nextBefore: 42 })),
          ...problems(
            problemExample("validation", "limit: Too big: expected number to be <=200", {
              errors: [{ field: "limit", reason: "Too big: expected number to be <=200" }],
            }),
            common.malformedPath,
            common.unauthorized,
            common.terminalNotFound,
          ),
        },
      },
    },
    "/api/v1/terminals/{id}/closes/preview": {
      get: {
        summary: "The X report: what a close now would hold, without closing",
        parameters: [idParam("id", "pos-1")],
        responses: {
          ...ok(ClosePreviewSchema, one("One sale since close 42", preview)),
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
    },
    "/api/v1/terminals/{id}/closes/schedule": {
      get: {
        summary: "When the terminal closes by itself, in the shop's time zone",
        parameters: [idParam("id", "pos-1")],
        responses: {
          ...ok(CloseScheduleSchema, one("Every day at 23:00", schedule)),
          ...problems(common.malformedPath, common.unauthorized, common.terminalNotFound),
        },
      },
      put: {
        summary: "Set (or with null clear) the time of day the terminal closes by itself",
        parameters: [idParam("id", "pos-1")],
        requestBody: body(CloseScheduleRequestSchema, one("Close at 23:00", { time: "23:00" })),
        responses: {
          ...ok(CloseScheduleSchema, one("Every day at 23:00", schedule)),
          ...problems(
            problemExample("validation", "time: time is HH:MM, 24-hour, e.g. 23:30", {
              errors: [{ field: "time", reason: "time is HH:MM, 24-hour, e.g. 23:30" }],
            }),
            common.malformedPath,
            ...bodyProblems,
            common.unauthorized,
            common.terminalNotFound,
          ),
        },
      },
    },
    // Before {id}, which would match an id ending in .csv too: a client matching in order finds the CSV here.
    "/api/v1/closes/{id}.csv": {
      get: {
        summary: "One close as CSV: one row per figure (captured, refunded, net, VAT per rate, cancelled, failed)",
        parameters: [idParam("id", close.id)],
        responses: {
          "200": {
            description: "CSV (RFC 4180, CRLF line ends); amounts in major units",
            headers: {
              "Content-Disposition": {
                description: 'attachment; filename="kassa-close-<terminal>-<number>.csv"',
                schema: { type: "string" },
              },
            },
            content: {
              "text/csv": {
                schema: { type: "string" },
                examples: one(
                  "Close 42",
                  [
                    '"close_id","terminal_id","number","opened_at","closed_at","currency","figure","tax_rate_percent","count","amount","base","tax"',
                    `"${close.id}","pos-1",42,"${close.openedAt}","${close.closedAt}","NOK","captured","",2,777.24,"",""`,
                    "",
                  ].join("\r\n"),
                ),
              },
            },
          },
          ...problems(common.malformedPath, common.unauthorized, closeNotFound),
        },
      },
    },
    "/api/v1/closes/{id}": {
      get: {
        summary: "One close",
        parameters: [idParam("id", close.id)],
        responses: {
          ...ok(TerminalCloseSchema, one("Close 42", close)),
          ...problems(common.malformedPath, common.unauthorized, closeNotFound),
        },
      },
    },
  };
}
