"use client";

import { useAdminI18n } from "./i18n";
import type { CartLine } from "./till-cart";

/** The cart's lines, each with its amount and buttons to take one off or add one more. */
export function CartLines({
  cart,
  currency,
  onChangeQuantity,
}: {
  cart: CartLine[];
  currency: string;
  onChangeQuantity: (productId: string, delta: number) => void;
}) {
  const { t, money } = useAdminI18n();
  return (
    <ul data-testid="till-cart" className="divide-y divide-stone-200">
      {cart.map((line) => (
        <li key={line.product.id} className="flex items-center gap-2 py-2.5">
          <div className="min-w-0 flex-1">
            <p className="truncate font-medium">{line.product.name}</p>
            <p className="text-xs text-ink-700 tabular-nums">
              {money(line.product.unitPrice * line.quantity, currency)}
            </p>
          </div>
          <div className="flex items-center gap-1">
            <QuantityButton
              label={t("decrease", { name: line.product.name })}
              onClick={() => onChangeQuantity(line.product.id, -1)}
            >
              −
            </QuantityButton>
            <span data-testid={`cart-qty-${line.product.id}`} className="w-7 text-center font-semibold tabular-nums">
              {line.quantity}
            </span>
            <QuantityButton
              label={t("increase", { name: line.product.name })}
              onClick={() => onChangeQuantity(line.product.id, 1)}
            >
              +
            </QuantityButton>
          </div>
        </li>
      ))}
    </ul>
  );
}

function QuantityButton({ label, onClick, children }: { label: string; onClick: () => void; children: string }) {
  return (
    <button
      type="button"
      aria-label={label}
      onClick={onClick}
      className="flex h-9 w-9 items-center justify-center rounded-lg border border-stone-300 text-lg font-semibold text-ink-900 hover:bg-stone-100 focus-visible:outline-2 focus-visible:outline-brand-dark"
    >
      {children}
    </button>
  );
}
