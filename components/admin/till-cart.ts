"use client";

import { useEffect, useRef } from "react";
import { apiFetch } from "./api";
import type { ProductView } from "./types";

export interface CartLine {
  product: ProductView;
  quantity: number;
}

/** How long the till waits after a tap before showing the basket on the customer display. */
const CART_PUSH_DELAY_MS = 120;

/**
 * The live cart: the customer display shows the basket as it grows. Pushed a moment after the
 * last tap (one request for a quick run of taps), cleared when the basket empties; charging
 * turns it into the sale on the server. Returns the pending push, which a charge cancels.
 */
export function useLiveCart(
  liveTerminalId: string | undefined,
  mode: "catalogue" | "amount",
  cart: CartLine[],
  currency: string,
) {
  const cartPush = useRef<{ timer?: ReturnType<typeof setTimeout>; shown: boolean }>({ shown: false });
  useEffect(() => {
    if (!liveTerminalId) return;
    const push = cartPush.current;
    clearTimeout(push.timer);
    const url = `/api/v1/terminals/${encodeURIComponent(liveTerminalId)}/cart`;
    if (mode !== "catalogue" || cart.length === 0) {
      if (push.shown) {
        push.shown = false;
        void apiFetch(url, { method: "DELETE" }).catch(() => undefined);
      }
      return;
    }
    push.timer = setTimeout(() => {
      push.shown = true;
      const lines = cart.map((line) => ({
        name: line.product.name,
        quantity: line.quantity,
        unitPrice: line.product.unitPrice,
        taxRate: line.product.taxRate,
      }));
      void apiFetch(url, { method: "PUT", json: { currency, lines } }).catch(() => undefined);
    }, CART_PUSH_DELAY_MS);
  }, [cart, mode, liveTerminalId, currency]);
  return cartPush;
}
