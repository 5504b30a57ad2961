"use client";

import { lazy, Suspense, useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { LOCALE_BY_LANGUAGE, formatAmount, pickLanguage } from "@/lib/i18n/locale";
import type { Language } from "@/lib/sales/types";
import { deriveView } from "./display-view-model";
import { IdleScreen } from "./idle-screen";
import { WifiOffIcon } from "./icons";
import { useSuccessChime } from "./success-chime";
import { useDisplayFeed } from "./use-display-feed";
import { useKiosk } from "./use-kiosk";
import { useDisplayMessages } from "./use-display-messages";
import { walletAppsFor } from "@/lib/vipps/brand";
import { useServerNow } from "./use-server-now";
import { CheckInNotice } from "./check-in-notice";
import { VippsUnavailableNotice } from "./vipps-unavailable";
import { currentWalletBrand, walletBrandDeadline } from "./wallet-brand";
import { useWakeLock } from "./use-wake-lock";

// Outcome and pairing screens are not needed for the first paint of a kiosk: they load right
// after it (preloaded on mount), which keeps the display's first-load JavaScript small.
const loadOutcome = () => import("./outcome-screen");
const loadPairing = () => import("./pairing-panel");
const loadCart = () => import("./cart-screen");
// The QR screen (with the QR encoder) too: a kiosk's first paint is the idle screen, and the
// chunk is fetched right after it, long before a cashier charges.
const loadSale = () => import("./sale-screen");
const SaleScreen = lazy(() => loadSale().then((module) => ({ default: module.SaleScreen })));
const CartScreen = lazy(() => loadCart().then((module) => ({ default: module.CartScreen })));
const OutcomeScreen = lazy(() => loadOutcome().then((module) => ({ default: module.OutcomeScreen })));
const PairingPanel = lazy(() => loadPairing().then((module) => ({ default: module.PairingPanel })));

/** How long the stream may be down before the screen admits it (short blips stay invisible). */
const OFFLINE_HINT_AFTER_MS = 4_000;

export function DisplayScreen({ terminalId, token }: { terminalId: string; token: string | null }) {
  const router = useRouter();
  const feed = useDisplayFeed(terminalId, token, { reportHealth: true });
  useSuccessChime(feed.state);
  useWakeLock();
  useKiosk();
  useEffect(() => {
    void loadOutcome();
    void loadCart();
    void loadSale();
  }, []);

  const [browserLanguage, setBrowserLanguage] = useState<Language>("en");
  useEffect(() => setBrowserLanguage(pickLanguage(navigator.languages)), []);
  const language = feed.state?.terminal.language ?? browserLanguage;
  const messages = useDisplayMessages(language);

  // Tick only while something on screen is time-bound: the QR countdown or an outcome's return
  // to idle. The exact QR expiry also gets its own timer so the code leaves the screen on time.
  const qrExpiry = feed.state?.sale?.qr ? Date.parse(feed.state.sale.qr.expiresAt) : undefined;
  const idleAt = feed.state?.returnToIdleAt ? Date.parse(feed.state.returnToIdleAt) : undefined;
  // An idle screen has no timer of its own; the brand change (MobilePay → Vipps) gets one.
  const brandChange = walletBrandDeadline(feed.state?.wallet);
  const now = useServerNow(
    feed.offsetMs,
    qrExpiry !== undefined || idleAt !== undefined,
    qrExpiry ?? idleAt ?? brandChange,
  );
  const current = deriveView(feed.state, now);
  const wallet = currentWalletBrand(feed.state?.wallet, now);

  useEffect(() => {
    document.documentElement.lang = LOCALE_BY_LANGUAGE[language].split("-")[0] ?? "en";
  }, [language]);

  const showOffline = useDelayedFlag(feed.connection !== "live" && !feed.unauthorized, OFFLINE_HINT_AFTER_MS);

  let content: React.ReactNode;
  let statusText = "";
  const state = feed.state;
  if (feed.unauthorized && messages) {
    content = (
      <PairingPanel
        messages={messages}
        notice={token ? messages.notAuthorised : undefined}
        onPaired={(pairedTerminal) => {
          if (pairedTerminal === terminalId && !token) feed.refresh();
          else router.replace(`/display/${encodeURIComponent(pairedTerminal)}`);
        }}
      />
    );
    statusText = messages.pairTitle;
  } else if (!state || !messages || current.phase === "loading") {
    content = (
      <div className="flex h-full items-center justify-center">
        <span className="breathe h-[3vmin] w-[3vmin] rounded-full bg-brand" aria-hidden />
      </div>
    );
  } else if (current.phase === "idle") {
    content = (
      <IdleScreen shopName={state.terminal.shopName} messages={messages} brand={state.terminal.brand} wallet={wallet} />
    );
    statusText = `${state.terminal.shopName}. ${messages.ready}`;
  } else if (current.phase === "cart") {
    content = <CartScreen state={state} messages={messages} />;
    statusText = state.cart
      ? `${messages.total} ${formatAmount(state.cart.total.value, state.cart.total.currency, language)}`
      : "";
  } else if (current.phase === "pending") {
    content = (
      <SaleScreen state={state} qr={current.qr} remainingMs={current.remainingMs} messages={messages} wallet={wallet} />
    );
    statusText = state.sale
      ? `${messages.total} ${formatAmount(state.sale.amount.value, state.sale.amount.currency, language)}. ${state.sale.push ? messages.pushSent(state.sale.push.phoneEnding) : messages.scanWithApp(walletAppsFor(state.sale.amount.currency, wallet))}`
      : "";
  } else {
    content = <OutcomeScreen phase={current.phase} state={state} messages={messages} />;
    statusText = messages[current.phase];
  }

  const phase = feed.unauthorized ? "unauthorized" : messages ? current.phase : "loading";
  return (
    <main
      className="kiosk-root bg-ink-950 text-white"
      data-testid="display-phase"
      data-phase={phase}
      data-connection={feed.connection}
      data-sale-id={state?.sale?.id}
      data-wallet-brand={wallet}
    >
      <p role="status" aria-live="polite" aria-atomic="true" className="sr-only" data-testid="display-sale-status">
        {statusText}
      </p>
      {/* Mounted from the start, so screen readers announce the notice when it appears. */}
      <p
        role="status"
        aria-live="polite"
        aria-atomic="true"
        className="sr-only"
        data-testid="display-connection-status"
      >
        {showOffline ? messages?.reconnecting : ""}
      </p>
      <Suspense fallback={null}>{content}</Suspense>
      {state?.vipps && !state.vipps.available && messages && !feed.unauthorized ? (
        <VippsUnavailableNotice messages={messages} wallet={wallet} />
      ) : null}
      {state?.notice?.kind === "checked-in" && messages && !feed.unauthorized ? (
        <CheckInNotice messages={messages} />
      ) : null}
      {showOffline ? (
        <p
          aria-hidden="true"
          data-testid="display-offline"
          className="absolute bottom-[2vmin] left-[2vmin] flex items-center gap-[1vmin] rounded-full bg-black/60 px-[2vmin] py-[0.8vmin] text-[2vmin] text-white"
        >
          <WifiOffIcon className="h-[2.6vmin] w-[2.6vmin]" />
          {messages?.reconnecting}
        </p>
      ) : null}
    </main>
  );
}

function useDelayedFlag(flag: boolean, delayMs: number): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!flag) {
      setShown(false);
      return;
    }
    const timer = setTimeout(() => setShown(true), delayMs);
    return () => clearTimeout(timer);
  }, [flag, delayMs]);
  return shown;
}
