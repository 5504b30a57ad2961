"use client";

import type { DisplayState } from "@/lib/display/display-state";
import type { DisplayMessages } from "@/lib/i18n/display-messages";
import { formatAmount } from "@/lib/i18n/locale";
import { OrderLines } from "./order-lines";

/**
 * The live cart: the basket building while the cashier rings items up, with the running total.
 * No QR: nothing can be paid until the cashier charges.
 */
export function CartScreen({ state, messages }: { state: DisplayState; messages: DisplayMessages }) {
  const cart = state.cart;
  if (!cart) return null;
  const language = state.terminal.language;
  const itemCount = cart.lines.reduce((sum, line) => sum + line.quantity, 0);
  const totalText = formatAmount(cart.total.value, cart.total.currency, language);
  const totalScale = Math.min(1, 11 / totalText.length);
  return (
    <div className="flex h-full flex-col px-[6vmin] pt-[5vmin] pb-[4vmin]" data-testid="display-cart">
      <p className="text-[2.4vmin] font-semibold tracking-[0.16em] text-ink-300 uppercase">{state.terminal.shopName}</p>
      <h1 className="mt-[1.5vmin] text-[4.2vmin] font-semibold text-white">{messages.cart}</h1>
      <div className="mt-[3vmin] min-h-0 flex-1">
        {cart.lines.length === 0 ? (
          <p className="text-[3vmin] text-ink-200">{messages.cartEmpty}</p>
        ) : (
          <OrderLines
            lines={cart.lines}
            currency={cart.total.currency}
            language={language}
            summary={messages.items(itemCount)}
          />
        )}
      </div>
      <div className="mt-[3vmin] flex items-baseline justify-between gap-[3vmin] border-t border-white/15 pt-[3vmin]">
        <span className="text-[3.4vmin] text-ink-200">{messages.total}</span>
        <span
          data-testid="display-cart-total"
          className="leading-none font-bold tracking-tight whitespace-nowrap text-white"
          style={{ fontSize: `${(9 * totalScale).toFixed(2)}vmin` }}
        >
          {totalText}
        </span>
      </div>
    </div>
  );
}
