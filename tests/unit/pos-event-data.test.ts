/**
 * A POS event's `data` is rendered when a consumer first reads the event, not right after the
 * sale's commit: here, on SQLite and PostgreSQL, the data a feed read renders after the sale has
 * moved on (the QR made, a second approval, a second refund of the same amount) is what the data
 * rendered right after each commit was (the sale view then, and the refund that change recorded).
 */
import { expect, it } from "vitest";
import type { PosEvent } from "@/lib/entities/pos-event";
import type { NewSaleEvent, Sale } from "@/lib/entities/sale";
import { InProcessNotifier } from "@/lib/events/change-notifier";
import { PosEvents } from "@/lib/pos-events/pos-events";
import { SaleViews } from "@/lib/sales/sale-views";
import type { Store } from "@/lib/store/store";
import { captureLog } from "../support/log-capture";
import { conformance, iso, newSale, T0 } from "../support/store-conformance";

const SECOND = 1_000;
const { log } = captureLog("warn");

conformance("POS event data rendered on read", (context) => {
  it("is the data that was rendered right after each commit, however the sale moved on since", async () => {
    const store: Store = context.store;
    let now = T0;
    const clock = { now: () => now };
    const views = new SaleViews({ sales: store.sales, clock, publicUrl: "https://kassa.example" });
    const posEvents = new PosEvents({
      events: store.posEvents,
      sales: store.sales,
      render: (sale, at) => views.viewAt(sale, at),
      notifier: new InProcessNotifier(),
      clock,
      log,
    });

    /** The data as it was rendered right after the commit, before rendering on read: the view then. */
    const renderedAtCommit: unknown[] = [];
    async function renderNow(): Promise<void> {
      const event: PosEvent = (await store.posEvents.listPosEvents((await store.posEvents.latestSeq()) - 1, 1))[0]!;
      const view = await views.view(event.sale!);
      if (event.type !== "sale.refunded") {
        renderedAtCommit.push(view);
        return;
      }
      const amount = event.refundAmount!;
      const refund = (await store.sales.listRefunds(event.sale!.id)).findLast(
        (candidate) => candidate.state === "done" && candidate.amount === amount,
      )!;
      renderedAtCommit.push({
        ...view,
        refund: { id: refund.id, createdAt: refund.createdAt, amount: { value: amount, currency: "NOK" } },
      });
    }
    async function change(from: Sale["state"], patch: Partial<Sale>, ms: number, event: Partial<NewSaleEvent> = {}) {
      now = T0 + ms;
      const at = iso(now);
      const changed = await store.sales.transitionSale(
        "s1",
        [from],
        { ...patch, updatedAt: at },
        { type: "test", source: "webhook", ...event, at },
      );
      expect(changed).toBeDefined();
    }
    async function refund(id: string, ms: number, refundedAmount: number) {
      now = T0 + ms;
      await store.sales.insertRefund({ id, saleId: "s1", amount: 1000, state: "pending", createdAt: iso(now) });
      await store.sales.updateRefund(id, "done");
      await change("captured", { refundedAmount }, ms);
      await renderNow();
    }

    const { sale, attempt, event } = newSale("s1");
    await store.sales.insertSale(sale, attempt, event);
    await renderNow();
    // Vipps made the payment: from now on GET shows the QR, which sale.created's data did not.
    await store.sales.updateAttempt(attempt.id, { state: "CREATED", qrUrl: "https://qr.example/s1" });
    const firstDeadline = iso(T0 + 7 * 24 * 3600 * SECOND);
    await change("pending", { state: "authorized" }, 10 * SECOND, {
      detail: { captureGuaranteedUntil: firstDeadline },
    });
    await renderNow();
    // Vipps' GET overruled that approval and a later one came, with a later deadline.
    await change("authorized", { state: "pending" }, 20 * SECOND);
    const laterDeadline = iso(T0 + 8 * 24 * 3600 * SECOND);
    await change("pending", { state: "authorized" }, 30 * SECOND, {
      detail: { captureGuaranteedUntil: laterDeadline },
    });
    await renderNow();
    await change("authorized", { state: "captured", capturedAmount: sale.amount }, 40 * SECOND);
    await renderNow();
    await refund("r1", 50 * SECOND, 1000);
    await refund("r2", 60 * SECOND, 2000);

    // Read while the QR still lives, so that a view of the sale as it is now would show it.
    now = T0 + 2 * 60 * SECOND;
    const page = await posEvents.feed({ limit: 100, wait: 0 });
    expect(page.items.map((item) => item.type)).toEqual([
      "sale.created",
      "sale.authorized",
      "sale.authorized",
      "sale.captured",
      "sale.refunded",
      "sale.refunded",
    ]);
    expect(page.items.map((item) => item.data)).toEqual(renderedAtCommit);
    expect(page.items.map((item) => (item.data as { captureDeadline: string | null }).captureDeadline)).toEqual([
      null,
      firstDeadline,
      laterDeadline,
      null,
      null,
      null,
    ]);
    expect(page.items.map((item) => (item.data as { refund?: { id: string } }).refund?.id)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      "r1",
      "r2",
    ]);
    // Stored once: a later read, when the QR has expired, sends the same bytes.
    now = T0 + 3600 * SECOND;
    const again = await posEvents.feed({ limit: 100, wait: 0 });
    expect(JSON.stringify(again.items)).toBe(JSON.stringify(page.items));
    expect((await store.posEvents.listPosEvents(0, 100)).map((stored) => stored.data)).toEqual(renderedAtCommit);
  });
});
