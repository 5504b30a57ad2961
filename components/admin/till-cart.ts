"use client";

import { useEffect, useRef } from "react";
import { apiFetch } from "./api";
import type { ProductView } from "./types";

export interface CartLine {
  product: ProductView;
  quantity: number;
}

/** A line as the cart API takes it. */
export interface CartPushLine {
  name: string;
  quantity: number;
  unitPrice: number;
  taxRate: number;
}

/** What the display shows while the till rings up: the basket's lines, or the amount being typed as one line. */
export function linesToShow(
  mode: "catalogue" | "amount",
  cart: CartLine[],
  typedAmount: number | undefined,
  description: string,
  amountLineName: string,
): CartPushLine[] {
  if (mode === "amount") {
    if (typedAmount === undefined || typedAmount <= 0) return [];
    // Only shown, never charged from: the sale itself is made from the amount and description.
    return [{ name: description.trim() || amountLineName, quantity: 1, unitPrice: typedAmount, taxRate: 0 }];
  }
  return cart.map((line) => ({
    name: line.product.name,
    quantity: line.quantity,
    unitPrice: line.product.unitPrice,
    taxRate: line.product.taxRate,
  }));
}

/** How long the till waits after a tap or keystroke before showing the basket on the customer display. */
const CART_PUSH_DELAY_MS = 120;

/**
 * The live cart: the customer display shows the basket as it grows. Pushed a moment after the
 * last tap (one request for a quick run of taps), cleared when the basket empties; charging
 * turns it into the sale on the server. Returns the pending push, which a charge cancels.
 */
export function useLiveCart(liveTerminalId: string | undefined, lines: CartPushLine[], currency: string) {
  const cartPush = useRef<{ timer?: ReturnType<typeof setTimeout>; shown: boolean }>({ shown: false });
  // The lines are compared by what they say: a new array with the same lines pushes nothing.
  const linesKey = JSON.stringify(lines);
  useEffect(() => {
    if (!liveTerminalId) return;
    const push = cartPush.current;
    clearTimeout(push.timer);
    const url = `/api/v1/terminals/${encodeURIComponent(liveTerminalId)}/cart`;
    if (linesKey === "[]") {
      if (push.shown) {
        push.shown = false;
        void apiFetch(url, { method: "DELETE" }).catch(() => undefined);
      }
      return;
    }
    push.timer = setTimeout(() => {
      push.shown = true;
      void apiFetch(url, { method: "PUT", json: { currency, lines: JSON.parse(linesKey) } }).catch(() => undefined);
    }, CART_PUSH_DELAY_MS);
  }, [linesKey, liveTerminalId, currency]);
  return cartPush;
}
