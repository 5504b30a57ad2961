"use client";

import type { CartLine } from "./till-cart";
import { useAdminI18n } from "./i18n";
import type { Page, ProductView } from "./types";

/** The catalogue as buttons: a tap adds the product to the cart, and its badge counts how many are in it. */
export function ProductGrid({
  products,
  cart,
  onAdd,
}: {
  products: Page<ProductView> | undefined;
  cart: CartLine[];
  onAdd: (product: ProductView) => void;
}) {
  const { t, money } = useAdminI18n();
  return (
    <section aria-label={t("catalogue")}>
      {products && products.items.length === 0 ? <p className="text-sm text-ink-700">{t("noProducts")}</p> : null}
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-4">
        {products?.items.map((product) => {
          const inCart = cart.find((line) => line.product.id === product.id)?.quantity ?? 0;
          return (
            <li key={product.id}>
              <button
                type="button"
                data-testid={`product-${product.id}`}
                onClick={() => onAdd(product)}
                className="relative flex h-full min-h-24 w-full flex-col justify-between rounded-xl border border-stone-200 bg-white p-4 text-left shadow-sm transition hover:border-brand/60 hover:shadow active:scale-[0.98] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-dark"
              >
                <span className="pr-7 font-semibold leading-snug">{product.name}</span>
                <span className="mt-2 text-sm text-ink-700 tabular-nums">
                  {money(product.unitPrice, product.currency)}
                </span>
                {inCart > 0 ? (
                  <span className="absolute top-2 right-2 flex h-6 min-w-6 items-center justify-center rounded-full bg-brand-dark px-1.5 text-xs font-bold text-white">
                    {inCart}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
