"use client";

import { Button, inputClass } from "./ui";
import { useAdminI18n } from "./i18n";

/** "Send to phone": a button that opens a form for the customer's number, whose submit charges to that phone. */
export function SendToPhone({
  open,
  phoneNumber,
  onPhoneNumber,
  canCharge,
  onOpen,
  onSend,
}: {
  open: boolean;
  phoneNumber: string;
  onPhoneNumber: (text: string) => void;
  canCharge: boolean;
  onOpen: () => void;
  onSend: (phoneNumber: string) => void;
}) {
  const { t } = useAdminI18n();
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
    </form>
  ) : (
    <Button data-testid="send-to-phone" className="w-full" disabled={!canCharge} onClick={onOpen}>
      {t("sendToPhone")}
    </Button>
  );
}
