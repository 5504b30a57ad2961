import "server-only";
import type { Clock } from "@/lib/clock";
import type { Logger } from "@/lib/log";
import type { NewVippsRequestRecord } from "@/lib/entities/vipps-request";
import type { OperationsRepository } from "@/lib/store/repositories";
import type { VippsRequestInfo } from "@/lib/vipps/access-token";

/** How many requests of each operation the store keeps as evidence. */
export const REQUESTS_KEPT_PER_OPERATION = 20;
/**
 * Reads repeat while a QR is on screen (a GET about every two seconds per sale): one of them per
 * reference and minute is evidence enough, and spares the store a write per poll.
 */
export const READ_REPEAT_QUIET_MS = 60_000;

const READS = new Set(["getPayment", "getPaymentEvents", "listWebhooks"]);
const PAYMENT_PATH = /\/epayment\/v1\/(?:test\/)?payments\/([^/?#]+)/;

/**
 * What the go-live evidence keeps of one outgoing Vipps request, from the client's onRequest hook
 * (which sees it before it is sent, so without its answer). Kept: the operation, method, path and
 * reference, the try number, the Vipps-System-* headers, and the few facts of the body a reviewer
 * asks about (flow, receipt, amounts). Never kept: the token, the keys, the credentials headers of
 * the token call, the order lines' text or anything else of the body.
 */
export function describeVippsRequest(info: VippsRequestInfo, baseUrl: string, at: string): NewVippsRequestRecord {
  const base = baseUrl.replace(/\/+$/, "");
  const path = info.url.startsWith(base) ? info.url.slice(base.length) || "/" : safePath(info.url);
  const systemHeaders: Record<string, string> = {};
  let idempotencyKey = false;
  for (const [name, value] of Object.entries(info.headers)) {
    if (/^vipps-system-/i.test(name)) systemHeaders[name] = value;
    if (/^idempotency-key$/i.test(name)) idempotencyKey = true;
  }
  const body = isObject(info.body) ? info.body : {};
  const reference = info.operation === "createPayment" ? stringOf(body.reference) : referenceIn(path);
  return {
    operation: info.operation,
    method: info.method,
    path,
    ...(reference ? { reference } : {}),
    attempt: info.attempt,
    systemHeaders,
    summary: { ...(idempotencyKey ? { idempotencyKey: true } : {}), ...summarize(info.operation, body) },
    at,
  };
}

function summarize(operation: string, body: Record<string, unknown>): Record<string, unknown> {
  switch (operation) {
    case "createPayment": {
      const receipt = isObject(body.receipt) ? body.receipt : undefined;
      const bottomLine = receipt && isObject(receipt.bottomLine) ? receipt.bottomLine : undefined;
      return {
        amount: amountOf(body.amount),
        paymentMethod: isObject(body.paymentMethod) ? stringOf(body.paymentMethod.type) : undefined,
        userFlow: stringOf(body.userFlow),
        customerInteraction: stringOf(body.customerInteraction),
        qrFormat: isObject(body.qrFormat) ? stringOf(body.qrFormat.format) : undefined,
        paymentDescription: typeof body.paymentDescription === "string" && body.paymentDescription.length > 0,
        returnUrl: typeof body.returnUrl === "string",
        receipt: receipt
          ? {
              orderLines: Array.isArray(receipt.orderLines) ? receipt.orderLines.length : 0,
              bottomLine: bottomLine
                ? {
                    currency: stringOf(bottomLine.currency),
                    posId: stringOf(bottomLine.posId),
                    receiptNumber: stringOf(bottomLine.receiptNumber),
                  }
                : null,
            }
          : null,
      };
    }
    case "capturePayment":
    case "refundPayment":
      return { modificationAmount: amountOf(body.modificationAmount) };
    case "cancelPayment":
      return typeof body.cancelTransactionOnly === "boolean"
        ? { cancelTransactionOnly: body.cancelTransactionOnly }
        : {};
    case "registerWebhook":
      return { url: stringOf(body.url), events: Array.isArray(body.events) ? body.events.length : 0 };
    default:
      return {};
  }
}

/**
 * Feeds the store from the Vipps client's onRequest hook. The hook is synchronous and must never
 * slow or fail a payment call, so each record is written in the background and a failed write is
 * only logged.
 */
export class VippsRequestRecorder {
  private readonly lastRead = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly deps: {
      operations: Pick<OperationsRepository, "recordVippsRequest">;
      clock: Clock;
      log: Logger;
      /** The API origin the client was made with, so paths are kept below it. */
      baseUrl: string;
      keepPerOperation?: number;
      readQuietMs?: number;
    },
  ) {}

  /** Pass as the client's `onRequest`. */
  readonly hook = (info: VippsRequestInfo): void => {
    try {
      const nowMs = this.deps.clock.now();
      const record = describeVippsRequest(info, this.deps.baseUrl, new Date(nowMs).toISOString());
      if (
        READS.has(record.operation) &&
        record.attempt === 1 &&
        this.quiet(`${record.operation} ${record.reference ?? ""}`, nowMs)
      )
        return;
      const write = this.deps.operations
        .recordVippsRequest(record, this.deps.keepPerOperation ?? REQUESTS_KEPT_PER_OPERATION)
        .catch((error) =>
          this.deps.log.warn("Could not record a Vipps request for the go-live evidence", {
            operation: record.operation,
            err: error,
          }),
        )
        .finally(() => this.pending.delete(write));
      this.pending.add(write);
    } catch (error) {
      this.deps.log.warn("Could not describe a Vipps request for the go-live evidence", {
        operation: info.operation,
        err: error,
      });
    }
  };

  /** Resolves once the records of every request seen so far are written (or failed). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** True when the same read was recorded less than the quiet time ago; otherwise notes it now. */
  private quiet(key: string, nowMs: number): boolean {
    const quietMs = this.deps.readQuietMs ?? READ_REPEAT_QUIET_MS;
    const last = this.lastRead.get(key);
    if (last !== undefined && nowMs - last < quietMs) return true;
    this.lastRead.set(key, nowMs);
    if (this.lastRead.size > 1000) {
      for (const [other, at] of this.lastRead) if (nowMs - at >= quietMs) this.lastRead.delete(other);
    }
    return false;
  }
}

function referenceIn(path: string): string | undefined {
  const match = PAYMENT_PATH.exec(path);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

function safePath(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function amountOf(value: unknown): { value: number; currency: string } | undefined {
  if (!isObject(value) || typeof value.value !== "number" || typeof value.currency !== "string") return undefined;
  return { value: value.value, currency: value.currency };
}
