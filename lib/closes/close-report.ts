import "server-only";
import type {
  CloseCurrencyTotals,
  CloseEvent,
  CloseInput,
  CloseSaleInput,
  CloseVatLine,
  ComposedClose,
} from "@/lib/entities/close";
import { CLOSE_FAILED_STATES, CLOSE_MONEY_EVENTS, CLOSE_UNPAID_STATES } from "@/lib/entities/close";
import type { Currency } from "@/lib/entities/money";
import type { SaleLine } from "@/lib/entities/sale";

/*
 * The arithmetic of a terminal's close, without I/O: the store reads, under the terminal's close
 * lock, every sale with an event no close holds yet; this works out what the close counts.
 *
 * Money. The event log's money events carry the sale's running totals (payment.captured:
 * capturedAmount and refundedAmount; payment.refunded: refundedAmount). Walking a sale's events in
 * log order, each rise of the captured total is one capture and each rise of the refunded total
 * one refund, at that event's time; a close counts the rises of the events it takes. Every event is
 * taken by exactly one close (the store keys them), so over all closes a sale's captures and
 * refunds add up to its captured and refunded amounts exactly, and a sale pending at one close is
 * counted in the close that takes its capture.
 *
 * VAT. Prices include VAT. A capture or refund of x out of a sale whose lines come to G in all, G_r
 * at rate r, is split over the rates in proportion to G_r (largest remainder: each rate gets the
 * floor of x·G_r/G, and the minor units left go one each to the rates with the largest fractions,
 * ties to the larger share, then the lower rate). Cumulative amounts are split and the previous
 * split taken off, so a full refund gives back each rate's gross exactly, and several partial ones
 * add up to it. A refund thus reduces each rate's VAT in proportion to that rate's part of the sale.
 * Per close and currency, a rate's gross is its captured minus its refunded share; its tax is
 * gross·r/(10000+r) rounded half away from zero, once per rate, and base = gross − tax, so base +
 * tax is the gross exactly and the rates' grosses add up to the net.
 */

const isMoneyEvent = (type: string) => (CLOSE_MONEY_EVENTS as readonly string[]).includes(type);

const numberIn = (detail: Record<string, unknown> | undefined, key: string): number | undefined => {
  const value = detail?.[key];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
};

/** The sale's gross per tax rate, from its lines; a sale without lines counts at rate 0. */
export function grossByRate(lines: readonly Pick<SaleLine, "taxRate" | "totalAmount">[]): Map<number, number> {
  const gross = new Map<number, number>();
  for (const line of lines) gross.set(line.taxRate, (gross.get(line.taxRate) ?? 0) + line.totalAmount);
  return gross;
}

/** Splits `amount` over the rates in proportion to `weights` (largest remainder); the parts add up to amount. */
export function splitByRate(amount: number, weights: ReadonlyMap<number, number>): Map<number, number> {
  const entries = [...weights.entries()].filter(([, weight]) => weight > 0);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (entries.length === 0 || total === 0) return new Map(amount === 0 ? [] : [[0, amount]]);
  const big = BigInt(amount);
  const bigTotal = BigInt(total);
  const parts = entries.map(([rate, weight]) => {
    const product = big * BigInt(weight);
    return { rate, weight, share: Number(product / bigTotal), fraction: product % bigTotal };
  });
  let left = amount - parts.reduce((sum, part) => sum + part.share, 0);
  const order = [...parts].sort((a, b) =>
    a.fraction !== b.fraction ? (b.fraction > a.fraction ? 1 : -1) : b.weight - a.weight || a.rate - b.rate,
  );
  for (const part of order) {
    if (left <= 0) break;
    part.share += 1;
    left -= 1;
  }
  return new Map(parts.map((part) => [part.rate, part.share]));
}

/** The tax part of a gross amount at `rate` basis points, rounded half away from zero; base = gross − tax. */
export function vatOf(gross: number, rate: number): CloseVatLine {
  const magnitude = BigInt(Math.abs(gross));
  const divisor = BigInt(10_000 + rate);
  const tax = Number((magnitude * BigInt(rate) * 2n + divisor) / (divisor * 2n)) * Math.sign(gross);
  return { rate, base: gross - tax + 0, tax: tax + 0 };
}

interface CurrencyTally {
  capturedCount: number;
  capturedAmount: number;
  refundedCount: number;
  refundedAmount: number;
  gross: Map<number, number>;
}

function addTo(target: Map<number, number>, parts: ReadonlyMap<number, number>, sign: 1 | -1) {
  for (const [rate, part] of parts) target.set(rate, (target.get(rate) ?? 0) + sign * part);
}

/** The share of the cumulative amount moving from `before` to `after`, by rate. */
function stepByRate(before: number, after: number, weights: ReadonlyMap<number, number>): Map<number, number> {
  const upper = splitByRate(after, weights);
  const lower = splitByRate(before, weights);
  const step = new Map<number, number>();
  for (const rate of new Set([...upper.keys(), ...lower.keys()]))
    step.set(rate, (upper.get(rate) ?? 0) - (lower.get(rate) ?? 0));
  return step;
}

interface SaleOutcome {
  events: number[];
  unpaid: boolean;
  failed: boolean;
  firstEventId: number;
}

/** Walks one sale's events, adding the rises of the events not yet closed to its currency's tally. */
function tallySale({ sale, events }: CloseSaleInput, tally: CurrencyTally): SaleOutcome {
  const weights = grossByRate(sale.lines);
  let captured = 0;
  let refunded = 0;
  const outcome: SaleOutcome = { events: [], unpaid: false, failed: false, firstEventId: Number.MAX_SAFE_INTEGER };
  const ordered = [...events].sort((a: CloseEvent, b: CloseEvent) => a.id - b.id);
  for (const event of ordered) {
    const nextCaptured = isMoneyEvent(event.type)
      ? Math.max(captured, numberIn(event.detail, "capturedAmount") ?? captured)
      : captured;
    const nextRefunded = isMoneyEvent(event.type)
      ? Math.max(refunded, numberIn(event.detail, "refundedAmount") ?? refunded)
      : refunded;
    if (!event.closed) {
      outcome.events.push(event.id);
      outcome.firstEventId = Math.min(outcome.firstEventId, event.id);
      if (nextCaptured > captured) {
        tally.capturedCount += 1;
        tally.capturedAmount += nextCaptured - captured;
        addTo(tally.gross, stepByRate(captured, nextCaptured, weights), 1);
      }
      if (nextRefunded > refunded) {
        tally.refundedCount += 1;
        tally.refundedAmount += nextRefunded - refunded;
        addTo(tally.gross, stepByRate(refunded, nextRefunded, weights), -1);
      }
      if (event.toState && CLOSE_UNPAID_STATES.includes(event.toState)) outcome.unpaid = true;
      if (event.toState && CLOSE_FAILED_STATES.includes(event.toState)) outcome.failed = true;
    }
    captured = nextCaptured;
    refunded = nextRefunded;
  }
  return outcome;
}

/** How many of the sales each operator created, by name (a Norwegian X/Z report counts per operator). */
function countByOperator(entries: readonly CloseSaleInput[]): { operator: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const { sale } of entries) if (sale.operator) counts.set(sale.operator, (counts.get(sale.operator) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([operator, count]) => ({ operator, count }));
}

/** The close (or preview) of what `input` holds, as of `closedAt`. */
export function composeClose(input: CloseInput, meta: { id: string; closedAt: string }): ComposedClose {
  const tallies = new Map<Currency, CurrencyTally>();
  const eventIds: number[] = [];
  const counted: { saleId: string; firstEventId: number }[] = [];
  let cancelled = 0;
  let failed = 0;
  for (const entry of input.sales) {
    const currency = entry.sale.currency;
    const tally = tallies.get(currency) ?? {
      capturedCount: 0,
      capturedAmount: 0,
      refundedCount: 0,
      refundedAmount: 0,
      gross: new Map<number, number>(),
    };
    const outcome = tallySale(entry, tally);
    if (outcome.events.length === 0) continue;
    tallies.set(currency, tally);
    eventIds.push(...outcome.events);
    counted.push({ saleId: entry.sale.id, firstEventId: outcome.firstEventId });
    if (outcome.unpaid) cancelled += 1;
    if (outcome.failed) failed += 1;
  }
  const countedIds = new Set(counted.map((entry) => entry.saleId));
  const currencies: CloseCurrencyTotals[] = [...tallies.entries()]
    .filter(([, tally]) => tally.capturedCount > 0 || tally.refundedCount > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, tally]) => ({
      currency,
      captured: { count: tally.capturedCount, amount: tally.capturedAmount },
      refunded: { count: tally.refundedCount, amount: tally.refundedAmount },
      net: tally.capturedAmount - tally.refundedAmount,
      vat: [...tally.gross.entries()]
        .filter(([, gross]) => gross !== 0)
        .sort(([a], [b]) => a - b)
        .map(([rate, gross]) => vatOf(gross, rate)),
    }));
  return {
    close: {
      id: meta.id,
      terminalId: input.terminalId,
      number: (input.previous?.number ?? 0) + 1,
      openedAt: input.previous?.closedAt ?? input.terminalCreatedAt,
      closedAt: meta.closedAt,
      currencies,
      cancelled: { count: cancelled },
      failed: { count: failed },
      sales: counted.sort((a, b) => a.firstEventId - b.firstEventId).map((entry) => entry.saleId),
      operators: countByOperator(input.sales.filter((entry) => countedIds.has(entry.sale.id))),
    },
    eventIds: eventIds.sort((a, b) => a - b),
  };
}
