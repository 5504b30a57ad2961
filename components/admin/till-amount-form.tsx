"use client";

import type { FormEvent } from "react";
import { useAdminI18n } from "./i18n";
import { Card, Field, inputClass } from "./ui";

/** A typed amount with a description, for a sale that is not in the catalogue. */
export function AmountForm({
  currency,
  amountText,
  onAmountText,
  description,
  onDescription,
  onSubmit,
}: {
  currency: string;
  amountText: string;
  onAmountText: (text: string) => void;
  description: string;
  onDescription: (text: string) => void;
  onSubmit: (event: FormEvent) => void;
}) {
  const { t } = useAdminI18n();
  return (
    <Card>
      <form id="amount-form" onSubmit={onSubmit} className="flex flex-col gap-4">
        <Field label={t("amountLabel", { currency })} htmlFor="till-amount">
          <input
            id="till-amount"
            data-testid="till-amount"
            inputMode="decimal"
            autoComplete="off"
            placeholder={t("amountPlaceholder")}
            value={amountText}
            onChange={(event) => onAmountText(event.target.value)}
            className={`${inputClass} text-2xl font-semibold tabular-nums`}
          />
        </Field>
        <Field label={t("descriptionLabel")} htmlFor="till-description">
          <input
            id="till-description"
            data-testid="till-description"
            maxLength={90}
            placeholder={t("descriptionPlaceholder")}
            value={description}
            onChange={(event) => onDescription(event.target.value)}
            className={inputClass}
          />
        </Field>
      </form>
    </Card>
  );
}
