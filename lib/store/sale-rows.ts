import "server-only";
import type { Insertable, Selectable, Updateable } from "kysely";
import { FIRST_STORE_ID } from "@/lib/entities/retail-store";
import { presentFields } from "@/lib/entities/present-fields";
import type { PaymentAttempt, PushCustomer, Refund, Sale, SaleEvent } from "@/lib/entities/sale";
import type { StoreDialect } from "./connect";
import { fromJson, storedBoolean } from "./dialect";
import type { AttemptsTable, Database, SalesTable } from "./schema";

/** Sales, attempts, events and refunds to rows and back, for the sales repository and its statements. */

export type SaleRow = Selectable<SalesTable>;

/** Each field of a sale and the column that holds it (saleRow and toSale convert the values). */
export const SALE_COLUMNS = {
  terminalId: "terminal_id",
  receiptNumber: "receipt_number",
  currency: "currency",
  amount: "amount",
  description: "description",
  lines: "lines",
  state: "state",
  autoCapture: "auto_capture",
  capturedAmount: "captured_amount",
  refundedAmount: "refunded_amount",
  currentAttemptId: "current_attempt_id",
  attemptCount: "attempt_count",
  failureReason: "failure_reason",
  idempotencyKey: "idempotency_key",
  requestHash: "request_hash",
  createdAt: "created_at",
  updatedAt: "updated_at",
  endedAt: "ended_at",
  customerPhone: "customer_phone",
  pushCustomer: "push_customer",
  posReference: "pos_reference",
  receiptId: "receipt_id",
  storeId: "store_id",
  msn: "msn",
  operator: "operator",
} as const satisfies Record<keyof Omit<Sale, "id">, keyof SalesTable>;

/** Every column of attempts, for reads that join them to their sale under prefixed names. */
export const ATTEMPT_COLUMNS = [
  "id",
  "sale_id",
  "reference",
  "state",
  "qr_url",
  "created_at",
  "expires_at",
  "next_poll_at",
  "poll_count",
  "last_polled_at",
  "cancel_reason",
  "recheck_since",
] as const satisfies readonly (keyof AttemptsTable)[];
// A column added to attempts and not listed above fails to compile here.
const attemptColumnsComplete: [Exclude<keyof AttemptsTable, (typeof ATTEMPT_COLUMNS)[number]>] extends [never]
  ? true
  : never = true;
void attemptColumnsComplete;

export function saleRow(s: Sale, dialect: StoreDialect): Omit<Insertable<SalesTable>, "id" | "active_terminal_id"> {
  return {
    terminal_id: s.terminalId,
    receipt_number: s.receiptNumber,
    currency: s.currency,
    amount: s.amount,
    description: s.description,
    lines: JSON.stringify(s.lines),
    state: s.state,
    auto_capture: storedBoolean(dialect, s.autoCapture),
    captured_amount: s.capturedAmount,
    refunded_amount: s.refundedAmount,
    current_attempt_id: s.currentAttemptId,
    attempt_count: s.attemptCount,
    failure_reason: s.failureReason ?? null,
    idempotency_key: s.idempotencyKey ?? null,
    request_hash: s.requestHash ?? null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    ended_at: s.endedAt ?? null,
    customer_phone: s.customerPhone ?? null,
    push_customer: s.pushCustomer ? JSON.stringify(s.pushCustomer) : null,
    pos_reference: s.posReference ?? null,
    receipt_id: s.receiptId ?? null,
    store_id: s.storeId ?? FIRST_STORE_ID,
    msn: s.msn ?? null,
    operator: s.operator ?? null,
  };
}

export function toSale(r: SaleRow): Sale {
  return {
    id: r.id,
    terminalId: r.terminal_id,
    receiptNumber: r.receipt_number,
    currency: r.currency,
    amount: r.amount,
    description: r.description,
    lines: fromJson(r.lines),
    state: r.state,
    autoCapture: r.auto_capture === true || r.auto_capture === 1,
    capturedAmount: r.captured_amount,
    refundedAmount: r.refunded_amount,
    currentAttemptId: r.current_attempt_id,
    attemptCount: r.attempt_count,
    failureReason: r.failure_reason ?? undefined,
    idempotencyKey: r.idempotency_key ?? undefined,
    requestHash: r.request_hash ?? undefined,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    endedAt: r.ended_at ?? undefined,
    storeId: r.store_id,
    ...presentFields({
      customerPhone: r.customer_phone,
      pushCustomer: r.push_customer ? fromJson<PushCustomer>(r.push_customer) : undefined,
      posReference: r.pos_reference,
      receiptId: r.receipt_id,
      msn: r.msn,
      operator: r.operator,
    }),
  };
}

export function attemptRow(a: PaymentAttempt): Insertable<AttemptsTable> {
  return {
    id: a.id,
    sale_id: a.saleId,
    reference: a.reference,
    state: a.state,
    qr_url: a.qrUrl ?? null,
    created_at: a.createdAt,
    expires_at: a.expiresAt,
    next_poll_at: a.nextPollAt,
    poll_count: a.pollCount,
    last_polled_at: a.lastPolledAt ?? null,
    cancel_reason: a.cancelReason ?? null,
    recheck_since: a.recheckSince ?? null,
  };
}

/** The columns a patch names; an optional field given as undefined is cleared, as before. */
export function attemptPatch(
  patch: Partial<Omit<PaymentAttempt, "id" | "saleId" | "reference">>,
): Updateable<AttemptsTable> {
  const row: Updateable<AttemptsTable> = {};
  if (patch.state !== undefined) row.state = patch.state;
  if ("qrUrl" in patch) row.qr_url = patch.qrUrl ?? null;
  if (patch.createdAt !== undefined) row.created_at = patch.createdAt;
  if (patch.expiresAt !== undefined) row.expires_at = patch.expiresAt;
  if (patch.nextPollAt !== undefined) row.next_poll_at = patch.nextPollAt;
  if (patch.pollCount !== undefined) row.poll_count = patch.pollCount;
  if ("lastPolledAt" in patch) row.last_polled_at = patch.lastPolledAt ?? null;
  if ("cancelReason" in patch) row.cancel_reason = patch.cancelReason ?? null;
  if ("recheckSince" in patch) row.recheck_since = patch.recheckSince ?? null;
  return row;
}

export const toAttempt = (r: Selectable<AttemptsTable>): PaymentAttempt => ({
  id: r.id,
  saleId: r.sale_id,
  reference: r.reference,
  state: r.state,
  qrUrl: r.qr_url ?? undefined,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  nextPollAt: r.next_poll_at,
  pollCount: r.poll_count,
  lastPolledAt: r.last_polled_at ?? undefined,
  cancelReason: r.cancel_reason ?? undefined,
  ...presentFields({ recheckSince: r.recheck_since }),
});

export const toEvent = (r: Selectable<Database["sale_events"]>): SaleEvent => ({
  id: Number(r.id),
  saleId: r.sale_id,
  attemptId: r.attempt_id ?? undefined,
  type: r.type,
  source: r.source,
  fromState: r.from_state ?? undefined,
  toState: r.to_state ?? undefined,
  detail: r.detail ? fromJson<Record<string, unknown>>(r.detail) : undefined,
  at: r.at,
});

export const toRefund = (r: Selectable<Database["refunds"]>): Refund => ({
  id: r.id,
  saleId: r.sale_id,
  amount: r.amount,
  state: r.state,
  createdAt: r.created_at,
});

/** A page's position in the listing of sales: the last sale's creation time and id. */
export function encodeCursor(sale: Sale): string {
  return Buffer.from(`${sale.createdAt}|${sale.id}`, "utf8").toString("base64url");
}

/**
 * Only a cursor this store could have made is accepted: anything that does not survive the round
 * trip (bytes that are not UTF-8, a NUL, which PostgreSQL refuses in text) is an invalid cursor,
 * not a database error.
 */
export function decodeCursor(cursor: string): { createdAt: string; id: string } | undefined {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const bar = text.indexOf("|");
  if (bar <= 0 || bar === text.length - 1 || text.includes("\u0000")) return undefined;
  if (Buffer.from(text, "utf8").toString("base64url") !== cursor) return undefined;
  return { createdAt: text.slice(0, bar), id: text.slice(bar + 1) };
}
