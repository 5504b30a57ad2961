/**
 * What a sale change costs the POS events when nobody consumes them: after the commit nothing is
 * rendered or written (the data waits for its first reader).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SaleView } from "@/lib/contracts/sales";
import type { Sale } from "@/lib/entities/sale";
import { createPosEventServices } from "@/lib/pos-events/pos-event-services";
import { captureLog } from "../support/log-capture";
import { memoryStore, type TestStore } from "../support/memory-store";
import { newSale, terminal } from "../support/store-conformance";

const { log } = captureLog("warn");
const clock = { now: () => Date.now() };
/** Lets whatever a commit started in the background run to its end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

let store: TestStore;
beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal(terminal("t1"));
  await store.saveTerminal(terminal("t2"));
});
afterEach(() => store.close());

describe("after a sale's commit", () => {
  it("renders and writes no data; the first read renders it, once", async () => {
    const render = vi.fn(async (sale: Sale) => ({ id: sale.id, state: sale.state }) as unknown as SaleView);
    const pos = await createPosEventServices({
      store: store.repositories,
      render,
      config: { vippsEnv: "simulator", webhookAllowPrivate: false },
      clock,
      log,
    });
    const { sale, attempt, event } = newSale("s1");
    await pos.sales.insertSale(sale, attempt, event);
    await pos.sales.transitionSale("s1", ["pending"], { state: "cancelled" }, { type: "c", source: "api" });
    await settle();
    expect(render).not.toHaveBeenCalled();
    expect((await store.listPosEvents(0, 10)).map((stored) => stored.data)).toEqual([undefined, undefined]);

    const page = await pos.services.posEvents.feed({ limit: 10, wait: 0 });
    expect(page.items.map((item) => item.data)).toEqual([
      { id: "s1", state: "pending" },
      { id: "s1", state: "cancelled" },
    ]);
    await pos.services.posEvents.feed({ limit: 10, wait: 0 });
    expect(render).toHaveBeenCalledTimes(2);
  });
});
