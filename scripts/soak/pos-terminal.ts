/**
 * The POS's side of the soak: a webhook endpoint (verifying every delivery's signature) registered
 * before the load, day closes taken at random moments during it (kills and faults included), and at
 * the end the checks that what must happen once did:
 *   - every event in the feed reached the endpoint, signed, and a sale's events arrived in feed order;
 *   - nothing reached it that the feed does not have;
 *   - per terminal, close numbers run 1, 2, 3, … and the closes' captured and refunded sums equal the
 *     terminal's sales: every capture and refund in exactly one close.
 */
import { readFeed } from "../../tests/support/event-feed";
import { startWebhookReceiver, type WebhookReceiver } from "../../tests/support/webhook-receiver";
import type { CheckContext } from "./check-context";
import { type PosClient, sleep } from "./clients";
import { listSales } from "./invariants";
import type { Journal } from "./journal";
import type { Random } from "./random";

interface CloseView {
  number: number;
  currencies: { currency: string; captured: { amount: number }; refunded: { amount: number } }[];
}

export class PosTerminalCheck {
  private closesTaken = 0;

  private constructor(
    private readonly pos: PosClient,
    private readonly journal: Journal,
    private readonly receiver: WebhookReceiver,
  ) {}

  /** Starts the endpoint and registers it with the app (which must allow a loopback URL). */
  static async start(pos: PosClient, journal: Journal): Promise<PosTerminalCheck> {
    const receiver = await startWebhookReceiver();
    const reply = await pos.call("POST", "/api/v1/webhook-endpoints", {
      json: { url: receiver.url, description: "Soak POS" },
    });
    if (reply.status !== 201) {
      await receiver.close();
      throw new Error(`Registering the POS endpoint answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    }
    receiver.secret = reply.body.secret as string;
    return new PosTerminalCheck(pos, journal, receiver);
  }

  stop(): Promise<void> {
    return this.receiver.close();
  }

  /** Closes a random terminal every few seconds until the load is over, as a shop's tills would. */
  async closeDuringLoad(terminals: string[], random: Random, loadOver: () => boolean): Promise<void> {
    while (!loadOver()) {
      await sleep(random.int(3_000, 12_000));
      if (loadOver()) break;
      await this.close(random.pick(terminals));
    }
  }

  private async close(terminalId: string): Promise<void> {
    const reply = await this.pos.call("POST", `/api/v1/terminals/${terminalId}/closes`);
    if (reply.status === 201) this.closesTaken++;
    else this.journal.violation(`terminal ${terminalId}`, `a close answered ${reply.status}`);
  }

  /** After the settle: a last close of every terminal, then the checks. */
  async check(ctx: CheckContext): Promise<void> {
    await Promise.all(ctx.terminals.map((terminalId) => this.close(terminalId)));
    this.journal.note(`${this.closesTaken} closes taken`);
    await this.checkCloses(ctx);
    await this.checkDeliveries();
  }

  private async checkCloses(ctx: CheckContext): Promise<void> {
    const sales = await listSales(this.pos);
    for (const terminalId of ctx.terminals) {
      const closes: CloseView[] = [];
      let before: number | null | undefined;
      do {
        const reply = await this.pos.get(
          `/api/v1/terminals/${terminalId}/closes?limit=100${before ? `&before=${before}` : ""}`,
        );
        closes.push(...(reply.body.items as CloseView[]));
        before = reply.body.nextBefore as number | null;
      } while (before);
      const numbers = closes.map((close) => close.number).sort((a, b) => a - b);
      if (numbers.some((number, index) => number !== index + 1))
        this.journal.violation(`terminal ${terminalId}`, `close numbers are not 1..n: ${numbers.join(",")}`);
      const sum = (pick: (currency: CloseView["currencies"][number]) => number) =>
        closes.flatMap((close) => close.currencies).reduce((total, currency) => total + pick(currency), 0);
      const own = sales.filter((sale) => sale.terminalId === terminalId);
      const captured = own.reduce((total, sale) => total + sale.capturedAmount.value, 0);
      const refunded = own.reduce((total, sale) => total + sale.refundedAmount.value, 0);
      if (sum((currency) => currency.captured.amount) !== captured)
        this.journal.violation(
          `terminal ${terminalId}`,
          `the closes count ${sum((c) => c.captured.amount)} captured, its sales ${captured}`,
        );
      if (sum((currency) => currency.refunded.amount) !== refunded)
        this.journal.violation(
          `terminal ${terminalId}`,
          `the closes count ${sum((c) => c.refunded.amount)} refunded, its sales ${refunded}`,
        );
    }
  }

  private async checkDeliveries(): Promise<void> {
    const { items: feed } = await readFeed((path) => this.pos.get(path));
    const delivered = () => new Set(this.receiver.unique().map((item) => item.webhookId));
    // Retries back off up to 2 minutes after a kill; what is due is sent within that.
    const deadline = Date.now() + 150_000;
    while (feed.some((event) => !delivered().has(event.id)) && Date.now() < deadline) await sleep(1_000);
    const got = delivered();
    for (const event of feed)
      if (!got.has(event.id))
        this.journal.violation(`sale ${event.data.id}`, `event ${event.type} never reached the POS`);
    const inFeed = new Set(feed.map((event) => event.id));
    for (const item of this.receiver.unique())
      if (!inFeed.has(item.webhookId))
        this.journal.violation(`webhook ${item.webhookId}`, "delivered but not in the feed");
    for (const rejected of this.receiver.rejected)
      this.journal.violation("POS endpoint", `a delivery failed its signature: ${rejected.slice(0, 80)}`);
    // A sale's events reach the POS in the order the feed has them.
    const feedOrder = new Map<string, string[]>();
    for (const event of feed) feedOrder.set(event.data.id, [...(feedOrder.get(event.data.id) ?? []), event.id]);
    const arrived = new Map<string, string[]>();
    for (const item of this.receiver.unique())
      arrived.set(item.data.id, [...(arrived.get(item.data.id) ?? []), item.webhookId]);
    for (const [subject, ids] of feedOrder)
      if (JSON.stringify(arrived.get(subject) ?? []) !== JSON.stringify(ids))
        this.journal.violation(`sale ${subject}`, "its events reached the POS out of the feed's order");
    this.journal.note(
      `POS endpoint: ${feed.length} events, ${this.receiver.received.length} deliveries (${this.receiver.received.length - this.receiver.unique().length} repeated)`,
    );
  }
}
