import "server-only";
import type { Clock } from "@/lib/clock";
import type { CartView } from "@/lib/contracts/terminals";
import { cartConsumedBy, type DisplayLine, type TerminalCart } from "@/lib/display/display-state";
import { DomainError } from "@/lib/errors";
import { lineTotals, MAXIMUM_PAYMENT } from "@/lib/sales/money";
import type { Currency } from "@/lib/sales/types";
import type { CountersRepository, SalesRepository } from "@/lib/store/repositories";

/** A cart as the till or POS sends it: lines as for a sale. */
export interface CartInput {
  currency: Currency;
  lines: { name: string; quantity: number; unitPrice: number; taxRate: number }[];
}

/**
 * The live cart: what the till is ringing up, shown on the customer display as it grows, before
 * any payment exists. Charging turns it into the sale (the sale's creation clears it); clearing it
 * returns the display to idle.
 */
export class CartService {
  constructor(
    private readonly deps: {
      counters: CountersRepository;
      sales: Pick<SalesRepository, "getShownSale">;
      clock: Clock;
      cartChanged: (terminalId: string) => Promise<void>;
    },
  ) {}

  private async terminalOrThrow(terminalId: string) {
    const terminal = await this.deps.counters.getTerminal(terminalId);
    if (!terminal) throw new DomainError("notFound", `No terminal with id ${terminalId}`);
    return terminal;
  }

  async get(terminalId: string): Promise<CartView | null> {
    await this.terminalOrThrow(terminalId);
    const saved = await this.deps.counters.getCart(terminalId);
    return saved ? { ...(saved.cart as TerminalCart), terminalId, updatedAt: saved.updatedAt } : null;
  }

  async replace(terminalId: string, input: CartInput): Promise<CartView> {
    const terminal = await this.terminalOrThrow(terminalId);
    if (input.currency !== terminal.currency) {
      throw new DomainError("validation", `Terminal ${terminalId} takes ${terminal.currency}, not ${input.currency}`, {
        errors: [{ field: "currency", reason: `must be ${terminal.currency}, the terminal's currency` }],
      });
    }
    const lines: DisplayLine[] = input.lines.map((line) => ({
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      totalAmount: lineTotals(line).totalAmount,
    }));
    const total = lines.reduce((sum, line) => sum + line.totalAmount, 0);
    if (total > MAXIMUM_PAYMENT) {
      throw new DomainError(
        "validation",
        `The cart's total ${total} is more than one payment may be (${MAXIMUM_PAYMENT})`,
        {
          errors: [{ field: "lines", reason: `the total must not exceed ${MAXIMUM_PAYMENT}` }],
        },
      );
    }
    const cart: TerminalCart = { currency: input.currency, lines, total };
    const updatedAt = new Date(this.deps.clock.now()).toISOString();
    await this.deps.counters.saveCart(terminalId, cart, updatedAt);
    if (await this.consumedBySale(terminalId, updatedAt)) {
      // The till charged while this update was on its way: the sale took the cart and cleared
      // it, and this write put it back. Cleared again, so no stale basket follows the sale.
      await this.deps.counters.clearCart(terminalId);
      throw new DomainError(
        "conflict",
        `Terminal ${terminalId} started a sale while this cart was being saved; the cart went into that sale`,
      );
    }
    await this.deps.cartChanged(terminalId);
    return { ...cart, terminalId, updatedAt };
  }

  /** Whether the terminal's newest sale began at or after `updatedAt`: a cart that old was its basket. */
  private async consumedBySale(terminalId: string, updatedAt: string): Promise<boolean> {
    const shown = await this.deps.sales.getShownSale(terminalId);
    return shown !== undefined && cartConsumedBy(updatedAt, shown.sale.createdAt);
  }

  /** Empties the cart; the display goes back to idle. Clearing an empty cart is fine. */
  async clear(terminalId: string): Promise<void> {
    await this.terminalOrThrow(terminalId);
    if (await this.deps.counters.clearCart(terminalId)) await this.deps.cartChanged(terminalId);
  }
}
