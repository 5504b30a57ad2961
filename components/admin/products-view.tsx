"use client";

import { useState, type FormEvent } from "react";
import useSWR from "swr";
import { apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { Page, ProductView } from "./types";
import { Button, Card, ConfirmButton, ErrorNote, PageTitle, inputClass, minorToInput, parseMinorUnits } from "./ui";

/** Common Nordic VAT rates, in basis points. */
const TAX_RATES = [0, 1000, 1200, 1400, 1500, 2400, 2500, 2550];

export function ProductsView() {
  const { t } = useAdminI18n();
  const { data, mutate } = useSWR<Page<ProductView>>("/api/v1/products", swrFetcher);
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <div>
      <PageTitle>{t("productsTitle")}</PageTitle>
      <Card className="mb-5">
        <h2 className="mb-3 text-base font-semibold">{t("addProduct")}</h2>
        <ProductForm
          testId="product-add"
          submitLabel={t("addProduct")}
          onSubmit={async (input) => {
            await apiFetch("/api/v1/products", { method: "POST", json: input });
            await mutate();
          }}
          resetAfterSubmit
        />
      </Card>
      <div className="overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-sm">
        {!data ? <p className="p-5 text-sm text-ink-700">{t("loading")}</p> : null}
        <ul className="divide-y divide-stone-100" data-testid="product-list">
          {data?.items.map((product) =>
            editing === product.id ? (
              <li key={product.id} className="bg-stone-50 p-4">
                <ProductForm
                  testId={`product-edit-${product.id}`}
                  initial={product}
                  submitLabel={t("save")}
                  onCancel={() => setEditing(null)}
                  onSubmit={async (input) => {
                    await apiFetch(`/api/v1/products/${encodeURIComponent(product.id)}`, {
                      method: "PATCH",
                      json: input,
                    });
                    setEditing(null);
                    await mutate();
                  }}
                />
              </li>
            ) : (
              <ProductRow
                key={product.id}
                product={product}
                onEdit={() => setEditing(product.id)}
                onDelete={async () => {
                  await apiFetch(`/api/v1/products/${encodeURIComponent(product.id)}`, { method: "DELETE" });
                  await mutate();
                }}
              />
            ),
          )}
        </ul>
      </div>
    </div>
  );
}

function ProductRow({
  product,
  onEdit,
  onDelete,
}: {
  product: ProductView;
  onEdit: () => void;
  onDelete: () => Promise<void>;
}) {
  const { t, money } = useAdminI18n();
  const [error, setError] = useState<string | null>(null);
  return (
    <li data-testid={`product-row-${product.id}`} className="flex flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
      <span className="min-w-0 flex-1 font-medium">{product.name}</span>
      <span className="text-sm text-ink-700 tabular-nums">
        {t("tax")} {product.taxRate / 100} %
      </span>
      <span className="w-28 text-right font-semibold tabular-nums">{money(product.unitPrice, product.currency)}</span>
      <div className="flex gap-1">
        <Button variant="ghost" className="px-3 py-1.5" onClick={onEdit}>
          {t("edit")}
        </Button>
        <ConfirmButton
          variant="ghost"
          className="px-3 py-1.5 text-danger"
          question={t("confirmDelete", { name: product.name })}
          onConfirm={async () => {
            try {
              await onDelete();
            } catch (caught) {
              setError(errorText(caught, t("errorGeneric")));
            }
          }}
        >
          {t("delete")}
        </ConfirmButton>
      </div>
      {error ? (
        <div className="w-full">
          <ErrorNote error={error} />
        </div>
      ) : null}
    </li>
  );
}

function ProductForm({
  initial,
  submitLabel,
  onSubmit,
  onCancel,
  resetAfterSubmit = false,
  testId,
}: {
  initial?: ProductView;
  submitLabel: string;
  onSubmit: (input: { name: string; unitPrice: number; taxRate: number; currency: string }) => Promise<void>;
  onCancel?: () => void;
  resetAfterSubmit?: boolean;
  testId: string;
}) {
  const { t, language } = useAdminI18n();
  const [name, setName] = useState(initial?.name ?? "");
  const [price, setPrice] = useState(initial ? minorToInput(initial.unitPrice, language) : "");
  const [taxRate, setTaxRate] = useState(initial?.taxRate ?? 2500);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const currency = initial?.currency ?? "NOK";

  async function submit(event: FormEvent) {
    event.preventDefault();
    const unitPrice = parseMinorUnits(price);
    if (!name.trim()) return setError(t("nameRequired"));
    if (unitPrice === undefined || unitPrice <= 0) return setError(t("priceInvalid"));
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ name: name.trim(), unitPrice, taxRate, currency });
      if (resetAfterSubmit) {
        setName("");
        setPrice("");
      }
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  const rates = TAX_RATES.includes(taxRate) ? TAX_RATES : [...TAX_RATES, taxRate].sort((a, b) => a - b);
  return (
    <form onSubmit={submit} data-testid={testId} className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto] sm:items-end">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${testId}-name`} className="text-sm font-medium">
            {t("name")}
          </label>
          <input
            id={`${testId}-name`}
            value={name}
            maxLength={100}
            onChange={(event) => setName(event.target.value)}
            className={inputClass}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${testId}-price`} className="text-sm font-medium">
            {t("price", { currency })}
          </label>
          <input
            id={`${testId}-price`}
            inputMode="decimal"
            value={price}
            onChange={(event) => setPrice(event.target.value)}
            className={`${inputClass} tabular-nums`}
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${testId}-tax`} className="text-sm font-medium">
            {t("taxRate")}
          </label>
          <select
            id={`${testId}-tax`}
            value={taxRate}
            onChange={(event) => setTaxRate(Number(event.target.value))}
            className={inputClass}
          >
            {rates.map((rate) => (
              <option key={rate} value={rate}>
                {rate / 100} %
              </option>
            ))}
          </select>
        </div>
        <div className="flex gap-2">
          <Button type="submit" variant="primary" disabled={busy}>
            {submitLabel}
          </Button>
          {onCancel ? <Button onClick={onCancel}>{t("cancelEdit")}</Button> : null}
        </div>
      </div>
      <ErrorNote error={error} />
    </form>
  );
}
