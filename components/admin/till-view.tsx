"use client";

import { useEffect, useMemo, useState, type FormEvent } from "react";
import useSWR from "swr";
import { ApiError, apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import { SalePanel } from "./sale-panel";
import type { Page, ProductView, SaleView, TerminalView } from "./types";
import { Button, Card, ErrorNote, inputClass, parseMinorUnits } from "./ui";
import { VippsDownBanner } from "./vipps-down-banner";
import { AmountForm } from "./till-amount-form";
import { type CartLine, linesToShow, useLiveCart } from "./till-cart";
import { CartLines } from "./till-cart-lines";
import { ProductGrid } from "./till-catalogue";
import { ScanCustomerQr } from "./till-scan-customer-qr";
import { SendToPhone } from "./till-send-to-phone";
import { PosReferenceField, TillTerminalNotice } from "./till-terminal-notice";

const TERMINAL_KEY = "kassa.admin.terminal";

/** The till: pick a terminal, build a sale (catalogue or typed amount), charge, follow it live. */
export function TillView() {
  const { t, money } = useAdminI18n();
  // Every few seconds: the active sale and whether the terminal's customer display is online.
  const { data: terminals } = useSWR<Page<TerminalView>>("/api/v1/terminals", swrFetcher, { refreshInterval: 5_000 });
  const { data: products } = useSWR<Page<ProductView>>("/api/v1/products", swrFetcher);

  const [terminalId, setTerminalId] = useState<string | null>(null);
  useEffect(() => {
    if (!terminals?.items.length) return;
    const stored = window.localStorage.getItem(TERMINAL_KEY);
    setTerminalId((current) => {
      const wanted = current ?? stored;
      return terminals.items.some((terminal) => terminal.id === wanted) ? wanted : terminals.items[0]!.id;
    });
  }, [terminals]);
  const terminal = terminals?.items.find((item) => item.id === terminalId);

  const [mode, setMode] = useState<"catalogue" | "amount">("catalogue");
  const [cart, setCart] = useState<CartLine[]>([]);
  const [amountText, setAmountText] = useState("");
  const [description, setDescription] = useState("");
  const [posReference, setPosReference] = useState("");
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [shownSaleId, setShownSaleId] = useState<string | null>(null);

  // A sale already running on the terminal (started elsewhere, or before a reload) is shown at once.
  useEffect(() => {
    if (terminal?.activeSaleId) setShownSaleId(terminal.activeSaleId);
  }, [terminal?.activeSaleId]);

  const currency = terminal?.currency ?? "NOK";
  const cartTotal = useMemo(() => cart.reduce((sum, line) => sum + line.quantity * line.product.unitPrice, 0), [cart]);
  const typedAmount = parseMinorUnits(amountText);
  const chargeAmount = mode === "catalogue" ? cartTotal : (typedAmount ?? 0);

  function selectTerminal(id: string) {
    setTerminalId(id);
    setShownSaleId(null);
    window.localStorage.setItem(TERMINAL_KEY, id);
  }

  function add(product: ProductView) {
    setCart((lines) => {
      const existing = lines.find((line) => line.product.id === product.id);
      if (existing) return lines.map((line) => (line === existing ? { ...line, quantity: line.quantity + 1 } : line));
      return [...lines, { product, quantity: 1 }];
    });
  }

  function changeQuantity(productId: string, delta: number) {
    setCart((lines) =>
      lines
        .map((line) => (line.product.id === productId ? { ...line, quantity: line.quantity + delta } : line))
        .filter((line) => line.quantity > 0),
    );
  }

  const shownLines = useMemo(
    () => linesToShow(mode, cart, typedAmount, description, t("amountLineName")),
    [mode, cart, typedAmount, description, t],
  );
  const cartPush = useLiveCart(terminal?.id, shownLines, currency);

  // "Send to phone": the payment request goes to the customer's app instead of a QR code.
  const [phoneOpen, setPhoneOpen] = useState(false);
  const [phoneNumber, setPhoneNumber] = useState("");
  // Vipps refused the push for this sales unit (5080): the same sale can still go out as a QR.
  const [pushRefused, setPushRefused] = useState(false);

  /** `customer`: the payment request goes to this customer's phone (a number typed, or their QR scanned). */
  async function charge(event?: FormEvent, customer?: { phoneNumber: string } | { personalQr: string }) {
    event?.preventDefault();
    if (!terminal) return;
    // A cart push still waiting would land after the sale; the sale replaces the cart anyway.
    clearTimeout(cartPush.current.timer);
    setFormError(null);
    setPushRefused(false);
    let body: unknown;
    if (mode === "catalogue") {
      if (cart.length === 0) return;
      body = {
        terminalId: terminal.id,
        currency,
        lines: cart.map((line) => ({
          name: line.product.name,
          quantity: line.quantity,
          unitPrice: line.product.unitPrice,
          taxRate: line.product.taxRate,
          productId: line.product.id,
        })),
      };
    } else {
      if (typedAmount === undefined || typedAmount <= 0) return setFormError(t("amountInvalid"));
      if (description.trim().length < 3) return setFormError(t("descriptionTooShort"));
      body = { terminalId: terminal.id, currency, amount: typedAmount, description: description.trim() };
    }
    if (customer !== undefined) body = { ...(body as object), customer };
    if (posReference.trim()) body = { ...(body as object), posReference: posReference.trim() };
    setBusy(true);
    try {
      const sale = await apiFetch<SaleView>("/api/v1/sales", { method: "POST", json: body });
      setShownSaleId(sale.id);
      setCart([]);
      setAmountText("");
      setDescription("");
      setPosReference("");
      setPhoneOpen(false);
      setPhoneNumber("");
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) setFormError(t("terminalBusy"));
      else if (caught instanceof ApiError && caught.problem.type?.endsWith("/push-not-allowed")) {
        setFormError(t("pushNotAllowedHint"));
        setPushRefused(true);
      } else setFormError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  const chargeLabel = busy ? t("charging") : t("charge", { amount: money(chargeAmount, currency) });
  const canCharge = !!terminal && !busy && chargeAmount > 0 && (mode === "catalogue" || description.trim().length >= 3);

  return (
    <div className="flex flex-col gap-5 pb-24 lg:pb-0">
      <VippsDownBanner />
      <TillTerminalNotice currency={currency} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="till-terminal" className="text-xs font-semibold tracking-wider text-ink-700 uppercase">
            {t("terminal")}
          </label>
          <select
            id="till-terminal"
            data-testid="till-terminal"
            value={terminalId ?? ""}
            onChange={(event) => selectTerminal(event.target.value)}
            className={`${inputClass} min-w-56 font-semibold`}
          >
            {terminals?.items.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name}
                {item.activeSaleId ? ` · ${t("activeSale")}` : ""}
              </option>
            ))}
          </select>
        </div>
        {!shownSaleId ? (
          <div role="tablist" aria-label={t("cart")} className="inline-flex rounded-lg bg-stone-200/70 p-1">
            {(["catalogue", "amount"] as const).map((value) => (
              <button
                key={value}
                role="tab"
                type="button"
                aria-selected={mode === value}
                data-testid={`till-mode-${value}`}
                onClick={() => setMode(value)}
                className={`rounded-md px-4 py-1.5 text-sm font-semibold transition ${
                  mode === value ? "bg-white text-ink-900 shadow-sm" : "text-ink-700 hover:text-ink-900"
                }`}
              >
                {value === "catalogue" ? t("catalogue") : t("typedAmount")}
              </button>
            ))}
          </div>
        ) : null}
      </div>

      {shownSaleId ? (
        <div className="mx-auto w-full max-w-2xl">
          <SalePanel key={shownSaleId} saleId={shownSaleId} onNewSale={() => setShownSaleId(null)} />
        </div>
      ) : (
        <div className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_360px]">
          {mode === "catalogue" ? (
            <ProductGrid products={products} cart={cart} onAdd={add} />
          ) : (
            <AmountForm
              currency={currency}
              amountText={amountText}
              onAmountText={setAmountText}
              description={description}
              onDescription={setDescription}
              onSubmit={charge}
            />
          )}

          <aside className="lg:sticky lg:top-20 lg:self-start">
            <Card className="flex flex-col gap-4">
              <div className="flex items-center justify-between">
                <h2 className="text-lg font-semibold">{t("cart")}</h2>
                {mode === "catalogue" && cart.length > 0 ? (
                  <Button variant="ghost" className="px-2 py-1" onClick={() => setCart([])}>
                    {t("clear")}
                  </Button>
                ) : null}
              </div>
              {mode === "catalogue" ? (
                cart.length === 0 ? (
                  <p className="text-sm text-ink-700">{t("cartEmpty")}</p>
                ) : (
                  <CartLines cart={cart} currency={currency} onChangeQuantity={changeQuantity} />
                )
              ) : null}
              <div className="flex items-baseline justify-between border-t border-stone-200 pt-3">
                <span className="text-sm font-medium text-ink-700">{t("total")}</span>
                <span data-testid="till-total" className="text-2xl font-bold tabular-nums">
                  {money(chargeAmount, currency)}
                </span>
              </div>
              <PosReferenceField value={posReference} onChange={setPosReference} />
              {terminal && !terminal.displays.some((display) => display.online) ? (
                <p
                  role="status"
                  data-testid="no-display-warning"
                  className="flex gap-2 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950"
                >
                  <span aria-hidden="true">⚠</span>
                  <span>
                    {t("noDisplayOnline")} {t("noDisplayTryPhone")}
                  </span>
                </p>
              ) : null}
              <ErrorNote error={formError} />
              {pushRefused ? (
                <Button
                  variant="primary"
                  data-testid="show-qr-instead"
                  onClick={() => {
                    setPhoneOpen(false);
                    void charge();
                  }}
                >
                  {t("showQrInstead")}
                </Button>
              ) : null}
              {formError === t("terminalBusy") && terminal?.activeSaleId ? (
                <Button onClick={() => setShownSaleId(terminal.activeSaleId)}>{t("showActiveSale")}</Button>
              ) : null}
              <div className="hidden lg:block">
                <Button
                  variant="primary"
                  data-testid="charge"
                  className="w-full py-3.5 text-base"
                  disabled={!canCharge}
                  onClick={() => void charge()}
                >
                  {chargeLabel}
                </Button>
              </div>
              <SendToPhone
                open={phoneOpen}
                phoneNumber={phoneNumber}
                onPhoneNumber={setPhoneNumber}
                canCharge={canCharge}
                currency={currency}
                onOpen={() => setPhoneOpen(true)}
                onSend={(number) => void charge(undefined, { phoneNumber: number })}
              />
              <ScanCustomerQr
                canCharge={canCharge}
                onScan={(content) => void charge(undefined, { personalQr: content })}
              />
            </Card>
          </aside>

          {/* On a phone the charge button stays in reach at the bottom of the screen. */}
          <div className="fixed inset-x-0 bottom-0 z-10 border-t border-stone-200 bg-white/95 px-4 py-3 backdrop-blur lg:hidden">
            <Button
              variant="primary"
              data-testid="charge-mobile"
              className="w-full py-3.5 text-base"
              disabled={!canCharge}
              onClick={() => void charge()}
            >
              {chargeLabel}
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}
