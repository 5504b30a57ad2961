import {
  EventFeedPageSchema,
  EventFeedQuerySchema,
  WebhookDeliveriesQuerySchema,
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  WebhookEndpointInputSchema,
  WebhookEndpointListSchema,
  WebhookEndpointWithSecretSchema,
  WebhookPayloadSchema,
} from "@/lib/contracts/pos-events";
import type { ApiExamples } from "./examples";
import { queryParameters, ref } from "./components";
import { body, bodyProblems, common, idParam, ok, one, problemExample, problems } from "./responses";

/** The POS's events: webhook endpoints, their deliveries, the event feed, and what a delivery carries. */
export function posEventPaths({ sales }: ApiExamples) {
  const endpoint = {
    id: "we_9mQk2TfXo1BvLw3r",
    url: "https://pos.example.no/kassa/webhooks",
    events: ["sale.captured", "sale.refunded"],
    description: "Till software, shop 1",
    createdAt: "2026-12-05T09:58:00.000Z",
  };
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw6lS3d9jGYOs=";
  const captured = { id: "evt_c7Tq0Xw1yZ2a3B4c5D6e", type: "sale.captured", createdAt: sales.capturedSale.updatedAt };
  const delivery = {
    id: `${endpoint.id}.42`,
    endpointId: endpoint.id,
    eventId: captured.id,
    eventType: "sale.captured",
    subject: sales.capturedSale.id,
    state: "pending",
    attempts: 2,
    createdAt: "2026-12-05T10:00:31.802Z",
    lastAttemptAt: "2026-12-05T10:00:37.120Z",
    nextAttemptAt: "2026-12-05T10:01:07.120Z",
    lastStatus: 503,
    lastResponse: "Service Unavailable",
  };
  const endpointNotFound = problemExample("notFound", `No webhook endpoint with id ${endpoint.id}`);
  return {
    "/api/v1/webhook-endpoints": {
      get: {
        summary: "The POS's webhook endpoints (without their secrets)",
        responses: {
          ...ok(WebhookEndpointListSchema, one("One endpoint", { items: [endpoint] })),
          ...problems(common.unauthorized),
        },
      },
      post: {
        summary: "Add a webhook endpoint",
        description:
          "Every event of the types asked for (all when `events` is left out) that happens after this is POSTed to `url`, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with `secret`, which this answer alone shows. At least once and in order per sale: retried after about 5 s, 30 s, 2 min, 10 min, 30 min and then hourly for 72 hours. Any 2xx within 10 s counts as received; use webhook-id to drop copies.",
        requestBody: body(
          WebhookEndpointInputSchema,
          one("Captures and refunds to the till software", {
            url: endpoint.url,
            events: endpoint.events,
            description: endpoint.description,
          }),
        ),
        responses: {
          ...ok(
            WebhookEndpointWithSecretSchema,
            one("The endpoint and its secret", { ...endpoint, secret }),
            "201",
            "Created",
          ),
          ...problems(
            problemExample("validation", "url must be an https URL", {
              errors: [{ field: "url", reason: "must be an https URL" }],
            }),
            ...bodyProblems,
            common.unauthorized,
          ),
        },
      },
    },
    "/api/v1/webhook-endpoints/{id}": {
      delete: {
        summary: "Remove a webhook endpoint, with its deliveries",
        parameters: [idParam("id", endpoint.id)],
        responses: {
          "204": { description: "Removed (no body)" },
          ...problems(common.malformedPath, common.unauthorized, endpointNotFound),
        },
      },
    },
    "/api/v1/webhook-endpoints/{id}/rotate-secret": {
      post: {
        summary: "Replace an endpoint's signing secret",
        description: "The new secret is in this answer only; deliveries from now on are signed with it.",
        parameters: [idParam("id", endpoint.id)],
        responses: {
          ...ok(WebhookEndpointWithSecretSchema, one("The endpoint and its new secret", { ...endpoint, secret })),
          ...problems(common.malformedPath, common.unauthorized, endpointNotFound),
        },
      },
    },
    "/api/v1/webhook-deliveries": {
      get: {
        summary: "The newest webhook deliveries, with their tries",
        parameters: queryParameters(WebhookDeliveriesQuerySchema),
        responses: {
          ...ok(WebhookDeliveryListSchema, one("A delivery being retried", { items: [delivery] })),
          ...problems(
            problemExample("validation", "limit: Too big: expected number to be <=500", {
              errors: [{ field: "limit", reason: "Too big: expected number to be <=500" }],
            }),
            common.unauthorized,
          ),
        },
      },
    },
    "/api/v1/webhook-deliveries/{id}/send-again": {
      post: {
        summary: "Send a delivery again now",
        parameters: [idParam("id", delivery.id)],
        responses: {
          ...ok(WebhookDeliverySchema, one("Due now", { ...delivery, nextAttemptAt: delivery.lastAttemptAt })),
          ...problems(
            common.malformedPath,
            common.unauthorized,
            problemExample("notFound", `No webhook delivery with id ${delivery.id}`),
          ),
        },
      },
    },
    "/api/v1/events": {
      get: {
        summary: "The event feed: the same events, with the same ids, as the webhooks",
        description:
          "In commit order across instances. Ask again with `after` set to `next`; with `wait` (seconds) an empty answer waits until an event comes, and returns within a second of it.",
        parameters: queryParameters(EventFeedQuerySchema),
        responses: {
          ...ok(
            EventFeedPageSchema,
            one("A capture", { items: [{ ...captured, data: sales.capturedSale }], next: "42" }),
          ),
          ...problems(
            problemExample("validation", "after is not a cursor this API returned", {
              errors: [{ field: "after", reason: "not a cursor this API returned (use `next` of the previous page)" }],
            }),
            common.unauthorized,
          ),
        },
      },
    },
  };
}

/** OpenAPI 3.1 `webhooks`: what the app POSTs to each endpoint. */
export function posWebhooks({ sales }: ApiExamples) {
  return {
    posEvent: {
      post: {
        summary: "A POS event (sale.created … sale.refunded, terminal.closed)",
        description:
          "Headers: webhook-id (the event's id, the same on every try), webhook-timestamp (Unix seconds) and webhook-signature (v1,<base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the base64-decoded secret after whsec_). Verify with any Standard Webhooks library.",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: ref(WebhookPayloadSchema),
              examples: one("A capture", {
                type: "sale.captured",
                timestamp: sales.capturedSale.updatedAt,
                data: sales.capturedSale,
              }),
            },
          },
        },
        responses: { "2XX": { description: "Received; anything else (or no answer within 10 s) is tried again" } },
      },
    },
  };
}
