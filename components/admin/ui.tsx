"use client";

import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode } from "react";
import type { SaleState } from "@/lib/sales/types";
import { useAdminI18n } from "./i18n";

type Variant = "primary" | "secondary" | "danger" | "ghost";

const VARIANTS: Record<Variant, string> = {
  // brand-dark, not the brighter brand orange: white text on it passes WCAG AA (5:1).
  primary: "bg-brand-dark text-white hover:bg-[#a8330b] focus-visible:outline-brand-dark",
  secondary: "border border-stone-300 bg-white text-ink-900 hover:bg-stone-100 focus-visible:outline-ink-700",
  danger: "border border-danger/40 bg-white text-danger hover:bg-red-50 focus-visible:outline-danger",
  ghost: "text-ink-700 hover:bg-stone-200/70 focus-visible:outline-ink-700",
};

export function Button({
  variant = "secondary",
  className = "",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  return (
    <button
      type="button"
      {...props}
      className={`inline-flex items-center justify-center gap-2 rounded-lg px-4 py-2.5 text-sm font-semibold transition focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-50 ${VARIANTS[variant]} ${className}`}
    />
  );
}

export function Card({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <section className={`rounded-2xl border border-stone-200 bg-white p-5 shadow-sm sm:p-6 ${className}`}>
      {children}
    </section>
  );
}

export function Field({
  label,
  htmlFor,
  hint,
  error,
  children,
}: {
  label: string;
  htmlFor: string;
  hint?: string;
  error?: string | null;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={htmlFor} className="text-sm font-medium text-ink-800">
        {label}
      </label>
      {children}
      {hint ? <p className="text-xs text-ink-700/80">{hint}</p> : null}
      {error ? (
        <p role="alert" className="text-sm font-medium text-danger">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export const inputClass =
  "block w-full rounded-lg border border-stone-300 bg-white px-3 py-2 text-base text-ink-900 outline-none focus:border-brand-dark focus:ring-2 focus:ring-brand/30 disabled:bg-stone-100";

/** A labelled input of the admin's style whose value is text (a name, a filter, a time). */
export function TextField({
  id,
  label,
  hint,
  value,
  onChange,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "value" | "onChange" | "className"> & {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} htmlFor={id} hint={hint}>
      <input
        id={id}
        className={inputClass}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        {...input}
      />
    </Field>
  );
}

/** A secret the server shows this once, right after making it: there is no second look. */
export function SecretShownOnce({ message, secret, testId }: { message: string; secret: string; testId: string }) {
  return (
    <Card className="mb-5 border-brand-dark/40">
      <p className="mb-2 text-sm">{message}</p>
      <code data-testid={testId} className="block break-all rounded bg-stone-100 p-2 text-sm">
        {secret}
      </code>
    </Card>
  );
}

/** One row of a managed list (keys, staff): what it is, its details, and the buttons that act on it. */
export function ListRow({ title, details, children }: { title: ReactNode; details: ReactNode; children?: ReactNode }) {
  return (
    <li className="flex flex-wrap items-center gap-3 py-3">
      <div className="min-w-48 flex-1">
        <p className="font-medium">{title}</p>
        <p className="text-sm text-ink-700">{details}</p>
      </div>
      {children}
    </li>
  );
}

/** A button for what cannot be undone (revoke, remove, delete): it acts only once the question is answered yes. */
export function ConfirmButton({
  question,
  onConfirm,
  variant = "danger",
  ...props
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "onClick"> & {
  question: string;
  onConfirm: () => unknown;
  variant?: Variant;
}) {
  return (
    <Button
      {...props}
      variant={variant}
      onClick={() => {
        if (window.confirm(question)) void onConfirm();
      }}
    />
  );
}

const STATE_STYLES: Record<SaleState, { className: string; symbol: string }> = {
  pending: { className: "bg-amber-100 text-amber-900 ring-amber-300", symbol: "◔" },
  authorized: { className: "bg-sky-100 text-sky-900 ring-sky-300", symbol: "✓" },
  captured: { className: "bg-green-100 text-green-900 ring-green-300", symbol: "✓" },
  refunded: { className: "bg-violet-100 text-violet-900 ring-violet-300", symbol: "↩" },
  cancelled: { className: "bg-stone-200 text-stone-800 ring-stone-300", symbol: "⊘" },
  expired: { className: "bg-orange-100 text-orange-900 ring-orange-300", symbol: "◷" },
  aborted: { className: "bg-red-100 text-red-900 ring-red-300", symbol: "✕" },
  failed: { className: "bg-red-100 text-red-900 ring-red-300", symbol: "!" },
};

/**
 * A sale state as symbol + words + colour, so it never depends on colour alone. A captured sale
 * with part of its money refunded says so: "Captured" at the full amount would hide the refund.
 */
export function StateBadge({
  state,
  testId,
  large = false,
  partlyRefunded = false,
}: {
  state: SaleState;
  testId?: string;
  large?: boolean;
  partlyRefunded?: boolean;
}) {
  const { stateLabel, t } = useAdminI18n();
  const partly = partlyRefunded && state === "captured";
  const style = partly ? PARTLY_REFUNDED_STYLE : STATE_STYLES[state];
  return (
    <span
      data-testid={testId}
      data-state={state}
      data-partly-refunded={partly || undefined}
      className={`inline-flex items-center gap-1.5 rounded-full font-semibold whitespace-nowrap ring-1 ring-inset ${style.className} ${
        large ? "px-3.5 py-1.5 text-base" : "px-2.5 py-0.5 text-xs"
      }`}
    >
      <span aria-hidden>{style.symbol}</span>
      {partly ? t("partlyRefunded") : stateLabel(state)}
    </span>
  );
}

const PARTLY_REFUNDED_STYLE = { className: "bg-teal-50 text-teal-900 ring-teal-300", symbol: "◑" };

export function ErrorNote({ error }: { error: string | null | undefined }) {
  if (!error) return null;
  return (
    <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm font-medium text-danger">
      {error}
    </p>
  );
}

/** A settings form's save button, "Saving…" while it saves and "Saved" beside it once it has. */
export function SaveRow({ busy, disabled = false, saved }: { busy: boolean; disabled?: boolean; saved: boolean }) {
  const { t } = useAdminI18n();
  return (
    <div className="flex items-center gap-3">
      <Button type="submit" variant="primary" disabled={busy || disabled}>
        {busy ? t("saving") : t("save")}
      </Button>
      {saved ? (
        <span role="status" className="text-sm font-medium text-success">
          {t("saved")}
        </span>
      ) : null}
    </div>
  );
}

export function PageTitle({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-5 flex flex-wrap items-center justify-between gap-3">
      <h1 className="text-2xl font-bold tracking-tight">{children}</h1>
      {actions ? <div className="flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

/** "249", "249,5", "249.50", "1 249,00" → minor units; undefined when it is not a price. */
export function parseMinorUnits(input: string): number | undefined {
  const cleaned = input.replace(/[\s\u00a0']/g, "").replace(",", ".");
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(cleaned)) return undefined;
  const [whole, fraction = ""] = cleaned.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** "store-1, store-2," → ["store-1", "store-2"]: a list typed into one field, blanks left out. */
export function commaList(text: string): string[] {
  return text
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Minor units back to an editable text in the cashier's decimal style. */
export function minorToInput(value: number, language: string): string {
  const text = (value / 100).toFixed(2);
  return language === "en" ? text : text.replace(".", ",");
}
