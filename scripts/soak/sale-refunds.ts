/**
 * The refunds of a paid soak sale, as a cashier makes them: several at once, some larger than the
 * sale, each retried under its Idempotency-Key, and sometimes sent again after it was done. What
 * the POS was told of each is kept on the sale's record for the final check.
 */
import { type PosClient, problemType, sleep } from "./clients";
import type { Journal } from "./journal";
import type { Random } from "./random";
import type { RefundRecord, SaleRecord, SaleView } from "./sale-records";

/** What the refunds need of the sale they belong to. */
export interface RefundingSale {
  key: string;
  record: SaleRecord;
  random: Random;
  pos: PosClient;
  journal: Journal;
  step(text: string): void;
  count(event: string): void;
}

export class CashierRefunds {
  constructor(private readonly owner: RefundingSale) {}

  /** 1 to 3 partial refunds at once, some larger than the sale (a clean 4xx is expected), keys reused on retries. */
  async run(sale: SaleView): Promise<void> {
    const captured = sale.capturedAmount.value;
    const count = this.owner.random.int(1, 3);
    const planned = Array.from({ length: count }, (_, index) => {
      const over = this.owner.random.chance(0.15);
      const amount = over
        ? captured + this.owner.random.int(1, 5000)
        : this.owner.random.int(100, Math.max(100, Math.floor(captured / 2)));
      return { key: `${this.owner.key}-refund-${index}`, amount, over };
    });
    if (count > 1) this.owner.count("refunds: racing each other");
    await Promise.all(planned.map((refund) => this.refund(sale, refund)));
  }

  private async refund(sale: SaleView, planned: { key: string; amount: number; over: boolean }): Promise<void> {
    const record: RefundRecord = { key: planned.key, amount: planned.amount, outcome: "refused", answers: [] };
    this.owner.record.refunds.push(record);
    this.owner.count(planned.over ? "refund: larger than the sale" : "refund: partial");
    let ambiguous = false;
    let flagged = false;
    // A cashier tries again for a while, then gives up; what happened is then unknown to the POS.
    const giveUpAt = Date.now() + 40_000;
    for (let tries = 0; tries < 10 && Date.now() < giveUpAt; tries++) {
      const reply = await this.owner.pos.operation("refund", "POST", `/api/v1/sales/${sale.id}/refund`, {
        json: { amount: planned.amount },
        headers: { "idempotency-key": planned.key },
      });
      const type = problemType(reply);
      for (let lost = 0; lost < (reply.resent ?? 0); lost++) record.answers.push("connection lost (app killed)");
      record.answers.push(`${reply.status}${type ? ` ${type}` : ""}`);
      this.owner.step(
        `refund ${planned.amount} (${planned.key}) answered ${reply.status} ${type}${reply.resent ? ` (sent again ${reply.resent}x after the app died under it)` : ""}`,
      );
      if (reply.status === 200) {
        if (planned.over)
          this.owner.journal.violation(
            `sale ${sale.id}`,
            `a refund of ${planned.amount}, more than the ${sale.capturedAmount.value} captured, was answered 200`,
          );
        record.outcome = "done";
        if (tries > 0) this.owner.count("refund: done after a retry with the same key");
        await this.replayRefund(sale, planned);
        return;
      }
      if (reply.status === 422 || (reply.status === 409 && type !== "sale-busy")) {
        record.outcome = ambiguous ? "unknown" : "refused";
        if (reply.status === 422)
          this.owner.count(
            planned.over ? "refund: larger than the sale refused" : "refund: refused, the others took the money",
          );
        return;
      }
      this.owner.count(`refund: answered ${reply.status} ${type}, sent again`);
      if (planned.over && reply.status >= 500 && !flagged) {
        flagged = true;
        this.owner.journal.violation(
          `sale ${sale.id}`,
          `a refund of ${planned.amount}, more than the ${sale.capturedAmount.value} captured, was answered ${reply.status} ${type} instead of a clean 4xx`,
        );
      }
      // 409 sale-busy, 429 or 5xx (Vipps failed or did not answer): the same key again, later.
      if (reply.status >= 500) ambiguous = true;
      await sleep(type === "sale-busy" ? 1000 : 700 * (tries + 1));
    }
    record.outcome = "unknown";
    this.owner.count("refund: outcome unknown to the POS (gave up)");
  }

  /** A done refund sent again: the same key and amount must answer 200 and move nothing; another amount 409. */
  private async replayRefund(sale: SaleView, planned: { key: string; amount: number }): Promise<void> {
    if (!this.owner.random.chance(0.3)) return;
    const other = this.owner.random.chance(0.3);
    const amount = other ? planned.amount + 1 : planned.amount;
    this.owner.count(other ? "refund: key reused with another amount" : "refund: key reused, same amount");
    for (let tries = 0; tries < 5; tries++) {
      const reply = await this.owner.pos.call("POST", `/api/v1/sales/${sale.id}/refund`, {
        json: { amount },
        headers: { "idempotency-key": planned.key },
      });
      const type = problemType(reply);
      this.owner.step(`refund replay ${amount} (${planned.key}) answered ${reply.status} ${type}`);
      if (type === "sale-busy") {
        await sleep(1000);
        continue;
      }
      const expected = other ? reply.status === 409 && type === "idempotency-conflict" : reply.status === 200;
      if (!expected) {
        this.owner.journal.violation(
          `sale ${sale.id}`,
          `refund Idempotency-Key ${planned.key} (done, ${planned.amount}) reused with ${other ? "another amount" : "the same amount"} answered ${reply.status} ${type}; expected ${other ? "409 idempotency-conflict" : "200"}`,
        );
      }
      return;
    }
  }
}
