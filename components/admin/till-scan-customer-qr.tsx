"use client";

import { useState } from "react";
import { useAdminI18n } from "./i18n";
import { inputClass } from "./ui";

/**
 * The customer's own QR in their app, read by the till's barcode scanner: a scanner that acts as
 * a keyboard types the code's content into this field and presses Enter, which charges the sale to
 * that customer's phone. The content goes to Vipps whole (it may change without notice).
 */
export function ScanCustomerQr({ canCharge, onScan }: { canCharge: boolean; onScan: (content: string) => void }) {
  const { t } = useAdminI18n();
  const [content, setContent] = useState("");
  return (
    <form
      className="flex flex-col gap-1"
      data-testid="scan-customer-qr-form"
      onSubmit={(event) => {
        event.preventDefault();
        const scanned = content.trim();
        if (!canCharge || scanned.length < 5) return;
        setContent("");
        onScan(scanned);
      }}
    >
      <label htmlFor="customer-qr" className="text-sm font-medium">
        {t("scanCustomerQr")}
      </label>
      <input
        id="customer-qr"
        data-testid="customer-qr"
        autoComplete="off"
        spellCheck={false}
        maxLength={255}
        placeholder={t("scanCustomerQrHint")}
        value={content}
        onChange={(event) => setContent(event.target.value)}
        className={`${inputClass} font-mono text-xs`}
      />
    </form>
  );
}
