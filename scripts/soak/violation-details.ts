import type { AppSale, CheckContext, Delivery, History, Payment } from "./check-context";

/**
 * For every sale that broke an invariant, the whole story: what the POS did, the app's events,
 * Vipps' events and webhooks, and the chaos around it, one line each.
 */
export function detailLines(
  ctx: CheckContext,
  byId: Map<string, AppSale>,
  histories: Map<string, History>,
  payments: Map<string, Payment[]>,
  outbox: Delivery[],
): string[] {
  const lines: string[] = [];
  const { journal } = ctx;
  for (const saleId of journal.suspects) {
    const sale = byId.get(saleId);
    const record = ctx.records.get(saleId);
    lines.push(
      `details [${journal.store}] ${saleId}: ${sale ? `${sale.state}, ${sale.terminalId}, amount ${sale.amount.value}` : "not in the app"}`,
    );
    for (const step of record?.steps ?? []) lines.push(`  pos    ${step}`);
    for (const item of histories.get(saleId)?.items ?? []) {
      lines.push(
        `  app    ${item.at} ${item.type} via ${item.source}${item.toState ? ` → ${item.toState}` : ""}${item.detail ? ` ${JSON.stringify(item.detail)}` : ""}`,
      );
    }
    for (const refund of histories.get(saleId)?.refunds ?? [])
      lines.push(`  refund ${refund.id} ${refund.amount} ${refund.state}`);
    for (const p of payments.get(saleId) ?? []) {
      for (const event of p.events)
        lines.push(
          `  vipps  ${event.timestamp} ${p.reference} ${event.name} ${event.amount.value} key ${event.idempotencyKey ?? "-"}`,
        );
      for (const delivery of outbox.filter((d) => d.reference === p.reference)) {
        lines.push(
          `  hook   #${delivery.id} ${delivery.eventName} ${delivery.status} after ${delivery.attempts} attempt(s)${delivery.deliveredAt ? ` at ${delivery.deliveredAt}` : ""}${delivery.lastStatusCode ? `, last answer ${delivery.lastStatusCode}` : ""}${delivery.lastError ? `, ${delivery.lastError}` : ""}`,
        );
      }
    }
    if (record) {
      const before = journal.lastBefore(record.startedAt, "faults");
      if (before) lines.push(`  chaos  ${before}`);
      for (const entry of journal.between(record.startedAt, record.finishedAt ?? Date.now()))
        lines.push(`  chaos  ${entry}`);
    }
  }
  return lines;
}
