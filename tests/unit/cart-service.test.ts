import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/errors";
import { MAXIMUM_PAYMENT } from "@/lib/sales/money";
import { CartService } from "@/lib/terminals/cart-service";
import { FrozenClock } from "../support/frozen-clock";
import { memoryStore, type TestStore } from "../support/memory-store";
import { buildSaleDomain, COUNTER_1 } from "../support/sale-domain";
import { scriptedVipps } from "../support/scripted-vipps";

const T0 = Date.parse("2026-06-01T10:00:00.000Z");
let store: TestStore;
let changed: string[];
let carts: CartService;

beforeEach(async () => {
  store = await memoryStore();
  await store.saveTerminal(COUNTER_1);
  changed = [];
  carts = new CartService({
    counters: store,
    sales: store,
    clock: new FrozenClock(T0),
    cartChanged: async (terminalId) => void changed.push(terminalId),
  });
});
afterEach(async () => {
  await store.close();
});

const LINES = [
  { name: "Kaffe", quantity: 2, unitPrice: 3500, taxRate: 1500 },
  { name: "Bolle", quantity: 1, unitPrice: 2900, taxRate: 1500 },
];

describe("the live cart", () => {
  it("prices the lines, keeps the running total, tells the displays, and replaces the cart whole", async () => {
    expect(await carts.get("pos-1")).toBeNull();
    const cart = await carts.replace("pos-1", { currency: "NOK", lines: LINES });
    expect(cart).toEqual({
      terminalId: "pos-1",
      currency: "NOK",
      lines: [
        { name: "Kaffe", quantity: 2, unitPrice: 3500, totalAmount: 7000 },
        { name: "Bolle", quantity: 1, unitPrice: 2900, totalAmount: 2900 },
      ],
      total: 9900,
      updatedAt: new Date(T0).toISOString(),
    });
    expect(await carts.get("pos-1")).toEqual(cart);
    await carts.replace("pos-1", { currency: "NOK", lines: [LINES[1]!] });
    expect((await carts.get("pos-1"))?.total).toBe(2900);
    expect(changed).toEqual(["pos-1", "pos-1"]);
  });

  it("clears: the display is told once, and clearing an empty cart tells nobody", async () => {
    await carts.replace("pos-1", { currency: "NOK", lines: LINES });
    await carts.clear("pos-1");
    await carts.clear("pos-1");
    expect(await carts.get("pos-1")).toBeNull();
    expect(changed).toEqual(["pos-1", "pos-1"]);
  });

  it("refuses another currency than the terminal's, a total no payment may have, and an unknown terminal", async () => {
    const refusal = async (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => (isDomainError(error) ? error : undefined),
      );
    expect(await refusal(carts.replace("pos-1", { currency: "EUR", lines: LINES }))).toMatchObject({
      code: "validation",
      options: { errors: [{ field: "currency" }] },
    });
    expect(
      await refusal(
        carts.replace("pos-1", {
          currency: "NOK",
          lines: [{ name: "Gold", quantity: 2, unitPrice: MAXIMUM_PAYMENT, taxRate: 0 }],
        }),
      ),
    ).toMatchObject({ code: "validation", options: { errors: [{ field: "lines" }] } });
    expect(await refusal(carts.replace("pos-9", { currency: "NOK", lines: LINES }))).toMatchObject({
      code: "notFound",
    });
    expect(await carts.get("pos-1")).toBeNull();
    expect(changed).toEqual([]);
  });

  it("charging turns the cart into the sale: creating a sale on the terminal clears its cart", async () => {
    const domain = buildSaleDomain({ store, gateway: scriptedVipps().gateway, clock: new FrozenClock(T0) });
    await carts.replace("pos-1", { currency: "NOK", lines: LINES });
    await domain.commands.create({ terminalId: "pos-1", currency: "NOK", lines: LINES }, { source: "cashier" });
    expect(await carts.get("pos-1")).toBeNull();
    expect((await domain.displays.state("pos-1"))?.phase).toBe("pending");
  });

  it("an update that loses the race to the charge is refused and its cart cleared: no stale basket follows the sale", async () => {
    const clock = new FrozenClock(T0);
    const domain = buildSaleDomain({ store, gateway: scriptedVipps().gateway, clock });
    // The PUT has priced its cart at T0; before its write lands, the till charges (and clears the cart).
    const racing = new CartService({
      counters: {
        ...store,
        getTerminal: (id: string) => store.getTerminal(id),
        clearCart: (id: string) => store.clearCart(id),
        saveCart: async (id: string, cart: unknown, updatedAt: string) => {
          clock.advance(40);
          await domain.commands.create({ terminalId: "pos-1", currency: "NOK", lines: LINES }, { source: "cashier" });
          await store.saveCart(id, cart, updatedAt);
        },
      } as typeof store,
      sales: store,
      clock,
      cartChanged: async (terminalId) => void changed.push(terminalId),
    });
    const refused = await racing.replace("pos-1", { currency: "NOK", lines: [LINES[1]!] }).then(
      () => undefined,
      (error: unknown) => (isDomainError(error) ? error.code : error),
    );
    expect(refused).toBe("conflict");
    expect(await carts.get("pos-1")).toBeNull();
    expect(changed).toEqual([]);
    expect((await domain.displays.state("pos-1"))?.phase).toBe("pending");
  });

  it("the display shows no cart as old as the sale it shows, even one written back by another instance", async () => {
    const clock = new FrozenClock(T0);
    const domain = buildSaleDomain({ store, gateway: scriptedVipps().gateway, clock });
    const { sale } = await domain.commands.create(
      { terminalId: "pos-1", currency: "NOK", lines: LINES },
      { source: "cashier" },
    );
    // Written straight to the store with a time from before the sale, as a lost race leaves it.
    await store.saveCart("pos-1", { currency: "NOK", lines: [], total: 0 }, new Date(T0 - 10).toISOString());
    await domain.commands.cancel(sale.id, "cashier");
    clock.advance(60_000);
    expect((await domain.displays.state("pos-1"))?.phase).not.toBe("cart");
    // A cart made after the sale is the next customer's, and shows.
    clock.advance(1);
    await store.saveCart("pos-1", { currency: "NOK", lines: [], total: 0 }, new Date(clock.now()).toISOString());
    expect((await domain.displays.state("pos-1"))?.phase).toBe("cart");
  });
});
