/**
 * What the POS hears about: the events of its sales (and of terminal closes), kept in a durable
 * outbox that the store writes in the same transaction as the change each reports, then fed to the
 * POS's webhook endpoints and its event feed under one stable id.
 */
import type { Sale, SaleState } from "./sale";

export const POS_EVENT_TYPES = [
  "sale.created",
  "sale.authorized",
  "sale.captured",
  "sale.cancelled",
  "sale.expired",
  "sale.failed",
  "sale.refunded",
  "terminal.closed",
] as const;
export type PosEventType = (typeof POS_EVENT_TYPES)[number];

/**
 * The event a sale's new state means to the POS. A sale declined in the app (aborted) has failed
 * as far as the POS is concerned; a new QR (back to pending) is no news to it.
 */
export const POS_EVENT_FOR_STATE: Partial<Record<SaleState, PosEventType>> = {
  authorized: "sale.authorized",
  captured: "sale.captured",
  refunded: "sale.refunded",
  cancelled: "sale.cancelled",
  expired: "sale.expired",
  failed: "sale.failed",
  aborted: "sale.failed",
};

/**
 * Which POS event a stored change of a sale makes, if any: a new state that means one, else more
 * money refunded (each partial refund is an event of its own). The PostgreSQL one-statement
 * transition writes the same rule in SQL from the same table (lib/store/pos-event-statements.ts).
 */
export function posEventForChange(
  before: { state: SaleState; refundedAmount: number },
  after: { state: SaleState; refundedAmount: number },
): PosEventType | undefined {
  if (after.state !== before.state) return POS_EVENT_FOR_STATE[after.state];
  if (after.refundedAmount > before.refundedAmount) return "sale.refunded";
  return undefined;
}

/** One event of the outbox as stored. */
export interface PosEvent {
  /** Position in commit order: the feed's cursor. */
  seq: number;
  /** The stable id: the webhook-id of every delivery and the feed item's id. */
  id: string;
  type: PosEventType;
  /** What deliveries are ordered by: the sale's id (or the terminal's, for a close). */
  subject: string;
  createdAt: string;
  /** What the POS receives as `data`; undefined until the snapshot is taken (see PosEvents). */
  data?: unknown;
  /** The sale as the change left it, to render `data` from (undefined for a close). */
  sale?: Sale;
  /** For sale.refunded: how much more was refunded by this change, in minor units. */
  refundAmount?: number;
}

/** A new event that carries its data already (a terminal close). */
export interface NewPosEvent {
  type: PosEventType;
  subject: string;
  createdAt: string;
  data: unknown;
}

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: PosEventType[];
  description: string;
  /** `whsec_` + base64: the signing key. Shown to the POS once, when made or rotated. */
  secret: string;
  createdAt: string;
}

export type DeliveryState = "pending" | "delivered" | "failed";

export interface WebhookDelivery {
  endpointId: string;
  eventSeq: number;
  eventId: string;
  eventType: PosEventType;
  subject: string;
  state: DeliveryState;
  attempts: number;
  createdAt: string;
  firstAttemptAt?: string;
  lastAttemptAt?: string;
  /** Epoch milliseconds of the next try, while pending. */
  nextAttemptAtMs?: number;
  lastStatus?: number;
  lastError?: string;
  /** At most 1 KiB of the endpoint's last answer. */
  lastResponse?: string;
  deliveredAt?: string;
}

/** What one attempt at a delivery came to. */
export interface DeliveryOutcome {
  attemptedAt: string;
  status?: number;
  error?: string;
  response?: string;
  /** Set: delivered. Otherwise the next try's time, or undefined when the delivery has failed for good. */
  delivered: boolean;
  nextAttemptAtMs?: number;
}
