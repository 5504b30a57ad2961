import { QRCodeSVG } from "qrcode.react";
import type { ComponentType } from "react";
import type { DisplayState } from "@/lib/display/display-state";
import type { DisplayMessages } from "@/lib/i18n/display-messages";
import { formatAmount } from "@/lib/i18n/locale";
import { AlertIcon, BanIcon, CheckIcon, ClockIcon, CrossIcon } from "./icons";

export type OutcomePhase = "approved" | "paid" | "declined" | "cancelled" | "expired" | "failed";

interface OutcomeStyle {
  background: string;
  badge: string;
  Icon: ComponentType<{ className?: string }>;
  title: keyof DisplayMessages;
  hint: keyof DisplayMessages;
}

/** Each outcome is told three ways: colour, symbol and words. White on these colours is ≥ 4.5:1. */
const OUTCOMES: Record<OutcomePhase, OutcomeStyle> = {
  approved: { background: "bg-paid", badge: "text-paid", Icon: CheckIcon, title: "approved", hint: "approvedHint" },
  paid: { background: "bg-paid", badge: "text-paid", Icon: CheckIcon, title: "paid", hint: "paidHint" },
  declined: {
    background: "bg-declined",
    badge: "text-declined",
    Icon: CrossIcon,
    title: "declined",
    hint: "declinedHint",
  },
  cancelled: {
    background: "bg-cancelled",
    badge: "text-cancelled",
    Icon: BanIcon,
    title: "cancelled",
    hint: "cancelledHint",
  },
  expired: { background: "bg-expired", badge: "text-expired", Icon: ClockIcon, title: "expired", hint: "expiredHint" },
  failed: { background: "bg-declined", badge: "text-declined", Icon: AlertIcon, title: "failed", hint: "failedHint" },
};

export function OutcomeScreen({
  phase,
  state,
  messages,
}: {
  phase: OutcomePhase;
  state: DisplayState;
  messages: DisplayMessages;
}) {
  const { background, badge, Icon, title, hint } = OUTCOMES[phase];
  const sale = state.sale;
  return (
    <div
      className={`flex h-full w-full flex-col items-center justify-center gap-[3vmin] px-[6vmin] text-center text-white ${background}`}
    >
      <div className="relative">
        {phase === "approved" ? (
          // Approved but not yet captured: a slow ring says "still finishing" without alarming anyone.
          <span
            aria-hidden
            className="spin-slow absolute -inset-[1.6vmin] rounded-full border-[0.8vmin] border-white/25 border-t-white portrait:-inset-[2vmin]"
          />
        ) : null}
        <div
          data-testid="display-outcome-icon"
          className={`pop-in flex h-[24vmin] w-[24vmin] items-center justify-center rounded-full bg-white portrait:h-[32vmin] portrait:w-[32vmin] ${badge}`}
        >
          <Icon className="h-[15vmin] w-[15vmin] portrait:h-[20vmin] portrait:w-[20vmin]" />
        </div>
      </div>
      <h1 className="text-[8vmin] leading-tight font-bold tracking-tight portrait:text-[9.5vmin]">
        {messages[title] as string}
      </h1>
      {sale && (phase === "paid" || phase === "approved") ? (
        <p data-testid="display-amount" className="text-[5vmin] font-semibold tabular-nums opacity-95">
          {formatAmount(sale.amount.value, sale.amount.currency, state.terminal.language)}
        </p>
      ) : null}
      <p className="max-w-[80vw] text-[3.6vmin] leading-snug opacity-95">{messages[hint] as string}</p>
      {phase === "paid" && sale?.receiptUrl ? (
        <figure className="mt-[1vmin] flex flex-col items-center gap-[1vmin]">
          <div className="rounded-[1.2vmin] bg-white p-[1.2vmin]" data-testid="receipt-qr">
            {/* Dark on white with a quiet zone, as phone cameras read best; small: it is an extra, not the payment. */}
            <QRCodeSVG
              value={sale.receiptUrl}
              level="M"
              marginSize={2}
              className="h-[18vmin] w-[18vmin]"
              title={messages.receiptQr}
            />
          </div>
          <figcaption className="text-[2.6vmin] opacity-90">{messages.receiptQr}</figcaption>
        </figure>
      ) : null}
    </div>
  );
}
