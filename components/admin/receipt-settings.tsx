"use client";

import { useEffect, useState, type FormEvent } from "react";
import useSWR from "swr";
import { apiFetch, errorText, swrFetcher } from "./api";
import { useAdminI18n } from "./i18n";
import type { SettingsView as Settings } from "./types";
import { Card, ErrorNote, SaveRow, TextField } from "./ui";

/** What the customer's receipt says about the shop, the shop's time zone, and the receipt QR on the paid screen. */
export function ReceiptSettings() {
  const { t } = useAdminI18n();
  const { data, mutate } = useSWR<Settings>("/api/v1/settings", swrFetcher);
  const [organisationNumber, setOrganisationNumber] = useState("");
  const [address, setAddress] = useState("");
  const [timeZone, setTimeZone] = useState("");
  const [receiptQr, setReceiptQr] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    if (!data) return;
    setOrganisationNumber(data.organisationNumber);
    setAddress(data.address);
    setTimeZone(data.timeZone);
    setReceiptQr(data.receiptQr);
  }, [data]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const updated = await apiFetch<Settings>("/api/v1/settings", {
        method: "PATCH",
        json: {
          organisationNumber: organisationNumber.trim(),
          address: address.trim(),
          timeZone: timeZone.trim(),
          receiptQr,
        },
      });
      await mutate(updated, { revalidate: false });
      setSaved(true);
    } catch (caught) {
      setError(errorText(caught, t("errorGeneric")));
    } finally {
      setBusy(false);
    }
  }

  if (!data) return null;
  return (
    <Card className="mt-5">
      <h2 className="text-base font-semibold">{t("receiptSettingsTitle")}</h2>
      <p className="mt-1 text-xs text-ink-700/80">{t("receiptSettingsHint")}</p>
      <form onSubmit={submit} className="mt-4 flex flex-col gap-5" data-testid="receipt-settings-form">
        <TextField
          id="settings-org-number"
          label={t("organisationNumber")}
          hint={t("organisationNumberHint")}
          value={organisationNumber}
          maxLength={40}
          onChange={setOrganisationNumber}
        />
        <TextField
          id="settings-address"
          label={t("shopAddress")}
          hint={t("shopAddressHint")}
          value={address}
          maxLength={120}
          onChange={setAddress}
        />
        <TextField
          id="settings-time-zone"
          label={t("timeZone")}
          hint={t("timeZoneHint")}
          value={timeZone}
          maxLength={64}
          onChange={setTimeZone}
        />
        <label className="flex items-start gap-3">
          <input
            type="checkbox"
            data-testid="settings-receipt-qr"
            checked={receiptQr}
            onChange={(event) => setReceiptQr(event.target.checked)}
            className="mt-1 h-5 w-5 accent-[#c73d0d]"
          />
          <span className="text-sm font-medium">{t("receiptQrSetting")}</span>
        </label>
        <ErrorNote error={error} />
        <SaveRow busy={busy} disabled={timeZone.trim().length === 0} saved={saved} />
      </form>
    </Card>
  );
}
