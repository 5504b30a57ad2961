/**
 * Display states for every phase, for screenshot previews and layout checks that must not wait for
 * a real payment. They are served to the page with Playwright's request routing, never by the app.
 */
import type { DisplayPhase, DisplayState } from "@/lib/display/display-state";
import type { Language } from "@/lib/sales/types";

const LINES = [
  { name: "Cappuccino", quantity: 2, unitPrice: 4900, totalAmount: 9800 },
  { name: "Cinnamon bun", quantity: 1, unitPrice: 4500, totalAmount: 4500 },
  { name: "Ear buds", quantity: 1, unitPrice: 42924, totalAmount: 42924 },
];

const LONG_LINES = [
  ...LINES,
  { name: "Phone charger, USB-C 30 W", quantity: 1, unitPrice: 19900, totalAmount: 19900 },
  { name: "Tote bag", quantity: 3, unitPrice: 14900, totalAmount: 44700 },
  { name: "Espresso", quantity: 4, unitPrice: 3900, totalAmount: 15600 },
  { name: "Sparkling water 0.5 l", quantity: 2, unitPrice: 3500, totalAmount: 7000 },
  { name: "Gift card", quantity: 1, unitPrice: 50000, totalAmount: 50000 },
  { name: "Chocolate bar", quantity: 5, unitPrice: 2500, totalAmount: 12500 },
  { name: "Notebook A5, dotted", quantity: 2, unitPrice: 8900, totalAmount: 17800 },
];

export function fixtureState(
  phase: DisplayPhase,
  options: { language?: Language; nowMs?: number; long?: boolean; remainingMs?: number } = {},
): DisplayState {
  const nowMs = options.nowMs ?? Date.now();
  const lines = options.long ? LONG_LINES : LINES;
  const amount = lines.reduce((sum, line) => sum + line.totalAmount, 0);
  const base: DisplayState = {
    terminal: {
      id: "pos-1",
      name: "Counter 1",
      language: options.language ?? "nb",
      currency: "NOK",
      shopName: "Kaffebrenneriet Grünerløkka",
      chime: false,
    },
    phase,
    serverTime: new Date(nowMs).toISOString(),
    wallet: { brand: "vipps-mobilepay", switchAt: "2027-01-11T23:00:00.000Z" },
    vipps: { available: true },
  };
  if (phase === "idle") return base;
  return {
    ...base,
    returnToIdleAt: phase === "pending" || phase === "approved" ? undefined : new Date(nowMs + 60_000).toISOString(),
    sale: {
      id: "sale-fixture",
      receiptNumber: "1042",
      description: "Counter sale",
      amount: { value: amount, currency: "NOK" },
      lines,
      qr:
        phase === "pending"
          ? {
              url: "https://qr.example.test/sim/qr/3f9c2a7e-1b4d-4c8e-9a6f-0d2e5b7c8a91",
              expiresAt: new Date(nowMs + (options.remainingMs ?? 9 * 60_000 + 42_000)).toISOString(),
            }
          : undefined,
    },
  };
}
