"use client";

import useSWR from "swr";
import { internationalPhoneNumber } from "@/lib/sales/phone-number";
import type { Currency } from "@/lib/sales/types";
import { swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import { Button, inputClass } from "./ui";

/** The simulated phone's inbox of this number, when the app runs on its simulator and the number reads. */
function simulatorInbox(typed: string, currency: Currency, simulator: boolean): string | undefined {
  if (!simulator) return undefined;
  try {
    return `/sim/phone/${internationalPhoneNumber(typed, currency)}`;
  } catch {
    // Not a number yet (the cashier is still typing): no link.
    return undefined;
  }
}

/** "Send to phone": a button that opens a form for the customer's number, whose submit charges to that phone. */
export function SendToPhone({
  open,
  phoneNumber,
  onPhoneNumber,
  canCharge,
  currency,
  onOpen,
  onSend,
}: {
  open: boolean;
  phoneNumber: string;
  onPhoneNumber: (text: string) => void;
  canCharge: boolean;
  currency: Currency;
  onOpen: () => void;
  onSend: (phoneNumber: string) => void;
}) {
  const { t } = useAdminI18n();
  const { data: health } = useSWR<{ simulator?: boolean }>("/api/health", swrFetcher);
  const inbox = simulatorInbox(phoneNumber, currency, health?.simulator === true);
  return open ? (
    <form
      className="flex flex-col gap-2"
      data-testid="send-to-phone-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSend(phoneNumber.trim());
      }}
    >
      <label htmlFor="customer-phone" className="text-sm font-medium">
        {t("customerPhone")}
      </label>
      <div className="flex gap-2">
        <input
          id="customer-phone"
          data-testid="customer-phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          placeholder="+47 912 34 567"
          value={phoneNumber}
          onChange={(event) => onPhoneNumber(event.target.value)}
          className={`${inputClass} flex-1`}
        />
        <Button
          type="submit"
          variant="primary"
          data-testid="send-to-phone-submit"
          disabled={!canCharge || phoneNumber.trim().length < 8}
        >
          {t("send")}
        </Button>
      </div>
      {inbox ? (
        <a
          href={inbox}
          target="_blank"
          rel="noreferrer"
          data-testid="simulator-phone-link"
          className="text-sm font-medium text-brand-dark hover:underline"
        >
          {t("simulatorPhoneInbox")} ↗
        </a>
      ) : null}
    </form>
  ) : (
    <Button data-testid="send-to-phone" className="w-full" disabled={!canCharge} onClick={onOpen}>
      {t("sendToPhone")}
    </Button>
  );
}
