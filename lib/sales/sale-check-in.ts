import "server-only";
import { isStoreError } from "@/lib/errors";
import type { PaymentAttempts } from "./payment-attempts";
import { newAttempt } from "./payment-request";
import { isPushSale } from "./payment-rules";
import type { SaleCommandsDeps } from "./sale-command-deps";
import type { Sale } from "./types";

/**
 * What a scan of a till's sticker did. "already-on-a-phone": the waiting sale was pushed to a phone
 * already (a number typed, a QR scanned, an earlier check-in), and stays with it.
 */
export type CheckInOutcome = "sent-to-customer" | "no-sale-waiting" | "already-on-a-phone";

/**
 * A customer scanned the sticker at a till (the QR API's merchant callback QR): the sale waiting
 * there for its QR to be scanned goes to their phone instead. A new attempt names the check-in's
 * customer token (PUSH_MESSAGE), and the QR's payment is released at Vipps.
 */
export class SaleCheckIn {
  constructor(
    private readonly deps: SaleCommandsDeps,
    private readonly attempts: PaymentAttempts,
  ) {}

  async sendToCheckedInCustomer(
    terminalId: string,
    checkIn: { customerToken: string; merchantQrId: string },
  ): Promise<CheckInOutcome> {
    const waiting = await this.deps.sales.getActiveSale(terminalId);
    if (waiting?.state !== "pending") return "no-sale-waiting";
    if (isPushSale(waiting)) return "already-on-a-phone";
    return this.deps.transitions.withSaleLock(waiting.id, async () => {
      const sale = await this.deps.sales.getSale(waiting.id);
      const previous = sale ? await this.deps.sales.getAttempt(sale.currentAttemptId) : undefined;
      // Only a payment Vipps holds can be handed over; one still being created is left to finish.
      if (sale?.state !== "pending" || previous?.state !== "CREATED") return "no-sale-waiting";
      if (isPushSale(sale)) return "already-on-a-phone";
      const terminal = await this.deps.counters.getTerminal(terminalId);
      if (!terminal) return "no-sale-waiting";
      const attempt = newAttempt(sale.id, this.deps.clock.now());
      let updated: Sale | undefined;
      try {
        // The customer first, then the attempt: the attempt's create reads the sale's customer.
        await this.deps.sales.transitionSale(
          sale.id,
          ["pending"],
          {
            pushCustomer: { customerToken: checkIn.customerToken },
            updatedAt: new Date(this.deps.clock.now()).toISOString(),
          },
          {
            type: "sale.checked-in",
            source: "webhook",
            attemptId: previous.id,
            detail: { merchantQrId: checkIn.merchantQrId },
          },
        );
        updated = await this.deps.sales.insertAttempt(sale.id, attempt, {
          type: "sale.push-to-checked-in",
          source: "webhook",
          detail: { reference: attempt.reference },
        });
      } catch (error) {
        if (isStoreError(error, "activeSaleConflict")) return "no-sale-waiting";
        throw error;
      }
      // The QR's payment is released so it cannot be paid as well; an approval that beat the
      // release is cancelled too (a superseded attempt's late approval is always released).
      await this.deps.transitions.cancelAtVipps(previous, "superseded", "webhook");
      try {
        await this.attempts.start(updated, terminal, attempt, "webhook");
      } catch (error) {
        // The sale has failed and says why (PaymentAttempts.start recorded it); the till shows that.
        this.deps.log.warn("Sending the sale to the checked-in customer failed", { saleId: sale.id, err: error });
      }
      return "sent-to-customer";
    });
  }
}
