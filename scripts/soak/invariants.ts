/**
 * After the load: let everything settle (faults off, webhooks delivered, the reconciler done), then
 * hold the app's view of every sale against the simulator's, and each display against its
 * terminal's last sale. Every broken invariant is one line naming the sale and what disagrees.
 */
import type { AppSale, CheckContext, Delivery, History, Payment } from "./check-context";
import { type PosClient, type Reply, type SimClient, sleep } from "./clients";
import { checkDisplays } from "./display-invariants";
import type { Journal } from "./journal";
import { FINAL_STATES, type RefundRecord } from "./sale-records";
import { detailLines } from "./violation-details";

export type { CheckContext } from "./check-context";

export async function listSales(pos: PosClient): Promise<AppSale[]> {
  const sales: AppSale[] = [];
  let cursor: string | null = null;
  do {
    const reply: Reply = await pos.get(
      `/api/v1/sales?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    if (reply.status !== 200) throw new Error(`GET /api/v1/sales answered ${reply.status}`);
    sales.push(...(reply.body.items as AppSale[]));
    cursor = reply.body.nextCursor as string | null;
  } while (cursor);
  return sales;
}

async function deliveries(sim: SimClient): Promise<Delivery[]> {
  const reply = await sim.control("GET", "/deliveries");
  return (reply.body?.deliveries ?? []) as Delivery[];
}

const settled = (sale: AppSale) => FINAL_STATES.includes(sale.state) || (sale.state === "pending" && sale.qr !== null);

/** Waits until every sale is final or shows a live QR and no webhook is waiting to go out; at most `boundMs`. */
export async function settle(ctx: CheckContext, boundMs: number): Promise<void> {
  const started = Date.now();
  for (;;) {
    const sales = await listSales(ctx.pos);
    const unsettled = sales.filter((sale) => !settled(sale));
    const open = (await deliveries(ctx.sim)).filter(
      (delivery) => delivery.status === "pending" || delivery.status === "failing",
    );
    if (unsettled.length === 0 && open.length === 0) {
      ctx.journal.note(`settled after ${((Date.now() - started) / 1000).toFixed(1)}s`);
      // The displays' last pushes.
      await sleep(1500);
      return;
    }
    if (Date.now() - started > boundMs) {
      ctx.journal.note(
        `settling gave up after ${boundMs / 1000}s: ${unsettled.length} sale(s) unsettled (${unsettled.map((s) => `${s.id} ${s.state}`).join(", ")}), ${open.length} webhook(s) still queued`,
      );
      return;
    }
    await sleep(1000);
  }
}

async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

async function payment(sim: SimClient, reference: string): Promise<Payment> {
  const reply = await sim.payment(reference);
  if (reply.status === 404) return { reference, authorized: 0, captured: 0, refunded: 0, cancelled: 0, events: [] };
  if (reply.status !== 200) throw new Error(`GET /_sim/payments/${reference} answered ${reply.status}`);
  const aggregate = reply.body.aggregate;
  return {
    reference,
    state: reply.body.state,
    authorized: aggregate.authorizedAmount.value,
    captured: aggregate.capturedAmount.value,
    refunded: aggregate.refundedAmount.value,
    cancelled: aggregate.cancelledAmount.value,
    events: reply.body.events,
  };
}

const describePayments = (payments: Payment[]) =>
  payments
    .map(
      (p) =>
        `${p.reference} ${p.state ?? "absent"} auth ${p.authorized}/capt ${p.captured}/refd ${p.refunded}/canc ${p.cancelled}`,
    )
    .join("; ");

export async function checkInvariants(ctx: CheckContext): Promise<{ sales: number; details: string[] }> {
  const { pos, sim, journal, records } = ctx;
  const sales = await listSales(pos);
  const byId = new Map(sales.map((sale) => [sale.id, sale]));
  for (const record of records.values()) {
    if (!byId.has(record.id))
      journal.violation(`sale ${record.id}`, "created for the POS but missing from GET /api/v1/sales");
  }

  const knownReferences = new Set<string>();
  const histories = new Map<string, History>();
  const paymentsBySale = new Map<string, Payment[]>();
  await mapLimit(sales, 4, async (sale) => {
    const reply = await pos.get(`/api/v1/sales/${sale.id}/events`);
    if (reply.status !== 200) throw new Error(`GET /api/v1/sales/${sale.id}/events answered ${reply.status}`);
    const history = reply.body as History;
    histories.set(sale.id, history);
    for (const attempt of history.attempts) knownReferences.add(attempt.reference);
    paymentsBySale.set(sale.id, await Promise.all(history.attempts.map((attempt) => payment(sim, attempt.reference))));
  });
  for (const sale of sales) checkSale(ctx, sale, histories.get(sale.id)!, paymentsBySale.get(sale.id)!);

  // Payments at Vipps, seen through the webhook outbox (every payment's CREATED event has a row,
  // dropped or not): each must belong to an attempt the app knows.
  const outbox = await deliveries(sim);
  for (const reference of new Set(outbox.map((delivery) => delivery.reference))) {
    if (knownReferences.has(reference)) continue;
    const unknown = await payment(sim, reference);
    journal.violation(
      `payment ${reference}`,
      `exists at Vipps (${describePayments([unknown])}) but no sale of the app has an attempt with this reference`,
    );
  }

  await checkDisplays(ctx, sales);
  return { sales: sales.length, details: detailLines(ctx, byId, histories, paymentsBySale, outbox) };
}

function checkSale(ctx: CheckContext, sale: AppSale, history: History, payments: Payment[]): void {
  const { journal } = ctx;
  const record = ctx.records.get(sale.id);
  const subject = `sale ${sale.id} (${sale.terminalId}, ${record ? record.scenario : "not created by the POS"}, amount ${sale.amount.value})`;
  const fail = (reason: string) => journal.violation(subject, `${reason} [Vipps: ${describePayments(payments)}]`);
  if (!record) fail("exists in the app, but the POS never received it from a create");

  const current = payments.find((p) => p.reference === sale.reference);
  const currentAttempt = history.attempts.find((attempt) => attempt.reference === sale.reference);
  const captured = payments.reduce((sum, p) => sum + p.captured, 0);
  const refunded = payments.reduce((sum, p) => sum + p.refunded, 0);

  // Final, or legitimately pending: its QR is live and Vipps waits for the customer.
  if (sale.state === "pending") {
    if (!sale.qr) fail(`still pending without a QR after everything settled (attempt ${currentAttempt?.state ?? "?"})`);
    else if (current?.state !== "CREATED")
      fail(`pending with a live QR, but Vipps says ${current?.state ?? "no such payment"}`);
  } else if (!FINAL_STATES.includes(sale.state)) {
    fail(`still ${sale.state} after everything settled`);
  }

  // The app's amounts are Vipps' aggregates.
  if (sale.capturedAmount.value !== captured)
    fail(`the app says captured ${sale.capturedAmount.value}, Vipps captured ${captured}`);
  if (sale.refundedAmount.value !== refunded)
    fail(`the app says refunded ${sale.refundedAmount.value}, Vipps refunded ${refunded}`);

  // Nothing captured twice.
  const capturedAttempts = payments.filter((p) => p.captured > 0);
  if (capturedAttempts.length > 1)
    fail(`captured on ${capturedAttempts.length} attempts: ${capturedAttempts.map((p) => p.reference).join(", ")}`);
  for (const p of payments) {
    const captures = p.events.filter((event) => event.name === "CAPTURED").length;
    if (captures > 1) fail(`${p.reference} has ${captures} CAPTURED events at Vipps`);
  }
  if (captured > sale.amount.value) fail(`Vipps captured ${captured}, more than the sale's ${sale.amount.value}`);
  if ((sale.state === "captured" || sale.state === "refunded") && sale.capturedAmount.value !== sale.amount.value) {
    fail(`${sale.state}, but the captured amount ${sale.capturedAmount.value} is not the sale's ${sale.amount.value}`);
  }

  // Refunds never exceed the capture.
  if (sale.refundedAmount.value > sale.capturedAmount.value)
    fail(`the app says refunded ${sale.refundedAmount.value} of ${sale.capturedAmount.value} captured`);
  if (refunded > captured) fail(`Vipps refunded ${refunded} of ${captured} captured`);
  if (sale.state === "refunded" && sale.refundedAmount.value !== sale.capturedAmount.value)
    fail(`refunded, but only ${sale.refundedAmount.value} of ${sale.capturedAmount.value}`);
  if (
    sale.state === "captured" &&
    sale.capturedAmount.value > 0 &&
    sale.refundedAmount.value >= sale.capturedAmount.value
  )
    fail("captured, but fully refunded");

  // No payment left open or reserved at Vipps and forgotten by the app.
  for (const p of payments) {
    const reserved = p.authorized - p.captured - p.cancelled;
    if (p.state === "AUTHORIZED" && reserved > 0)
      fail(
        `${p.reference} is authorized at Vipps with ${reserved} reserved, neither captured nor released; the app's sale is ${sale.state}`,
      );
    const liveHere = p === current && sale.state === "pending" && sale.qr !== null;
    if (p.state === "CREATED" && !liveHere)
      fail(
        `${p.reference} can still be approved at Vipps (CREATED), but the app's sale is ${sale.state}${p === current ? "" : " and has moved on to another attempt"}`,
      );
  }

  // The outcome the app shows is the one Vipps has.
  if (sale.state === "aborted" && current?.state !== "ABORTED")
    fail(`declined (aborted) in the app, but Vipps says ${current?.state ?? "no such payment"}`);
  if (sale.state === "expired" && current?.state !== "EXPIRED" && current?.state !== "TERMINATED")
    fail(`expired in the app, but Vipps says ${current?.state ?? "no such payment"}`);

  // What the POS was told.
  if (record) {
    if (record.cancelConfirmed && captured > 0) {
      const answered = record.cancelAnsweredState;
      fail(
        answered === "cancelled"
          ? `the cashier's cancel was answered 200 with the sale cancelled, yet Vipps captured ${captured}`
          : `the cashier's cancel was answered 200 (a success) with the sale ${answered}, and Vipps captured ${captured}: a cancel that did not cancel, where the app answers 409 (refund instead) once it knows of the capture`,
      );
    }
    if (record.captureConfirmed && captured === 0) fail("a capture was answered 200, yet Vipps captured nothing");
    const done = record.refunds.filter((r) => r.outcome === "done").reduce((sum, r) => sum + r.amount, 0);
    const unknown = record.refunds.filter((r) => r.outcome === "unknown").reduce((sum, r) => sum + r.amount, 0);
    if (refunded < done) fail(`refunds answered 200 add up to ${done}, Vipps refunded ${refunded}`);
    if (refunded > done + unknown) {
      // Name the refunds the POS was told were refused whose amounts make up the difference.
      const refused = record.refunds.filter((r) => r.outcome === "refused");
      const explaining = subsetSumming(refused, refunded - done - unknown);
      const why = explaining
        ? `; the difference is ${explaining.map((r) => `refund ${r.key} of ${r.amount}, answered ${r.answers.join(" → ")}`).join(" and ")}, which Vipps carried out`
        : "";
      fail(
        `Vipps refunded ${refunded}, more than the ${done} answered 200 plus ${unknown} whose outcome the POS never learnt${why}`,
      );
    }
  }
}

/** Refunds (at most three per sale) whose amounts add up to `total`, if any. */
function subsetSumming(refunds: RefundRecord[], total: number): RefundRecord[] | undefined {
  for (let mask = 1; mask < 1 << refunds.length; mask++) {
    const subset = refunds.filter((_, index) => mask & (1 << index));
    if (subset.reduce((sum, r) => sum + r.amount, 0) === total) return subset;
  }
  return undefined;
}

/** What the webhook faults did, as the simulator's outbox shows it. */
export async function countWebhookFaults(sim: SimClient, journal: Journal): Promise<void> {
  const outbox = await deliveries(sim);
  const seen = new Set<string>();
  const lastDelivered = new Map<string, { id: number; at: string }>();
  for (const delivery of [...outbox].sort((a, b) => a.id - b.id)) {
    if (delivery.lastError?.includes("fault injection")) journal.events.add("webhooks observed: dropped by fault");
    const identity = `${delivery.registrationId}|${delivery.body}`;
    if (seen.has(identity)) journal.events.add("webhooks observed: duplicate delivery");
    seen.add(identity);
    if (delivery.deliveredAt) {
      const group = `${delivery.registrationId}|${delivery.reference}`;
      const previous = lastDelivered.get(group);
      if (previous && delivery.deliveredAt < previous.at)
        journal.events.add("webhooks observed: delivered out of order");
      lastDelivered.set(group, { id: delivery.id, at: delivery.deliveredAt });
    }
  }
}
