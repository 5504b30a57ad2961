"use client";

import { useAdminI18n } from "./i18n";
import { inputClass } from "./ui";

/** The markets where a Vipps payment at the counter must also be registered in a declared cash register. */
const REGISTER_MARKETS = new Set(["NOK", "DKK"]);

/**
 * In Norway and Denmark the till is the shop's payment terminal beside its cash register, not the
 * register itself (../shared/research/NORDIC-RULES.md): it says so, and reminds the cashier to
 * register the sale in the cash register as well.
 */
export function TillTerminalNotice({ currency }: { currency: string }) {
  const { t } = useAdminI18n();
  if (!REGISTER_MARKETS.has(currency)) return null;
  return (
    <div
      role="note"
      data-testid="till-terminal-notice"
      className="rounded-xl border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <p className="font-semibold">{t("paymentTerminalTitle")}</p>
      <p>{t("registerReminder")}</p>
    </div>
  );
}

/** The cash register's own receipt number for the sale (posReference), optional. */
export function PosReferenceField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useAdminI18n();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="till-pos-reference" className="text-xs font-semibold text-ink-700">
        {t("posReferenceLabel")}
      </label>
      <input
        id="till-pos-reference"
        data-testid="till-pos-reference"
        value={value}
        maxLength={64}
        onChange={(event) => onChange(event.target.value)}
        className={inputClass}
        autoComplete="off"
      />
      <p className="text-xs text-ink-700/80">{t("posReferenceHint")}</p>
    </div>
  );
}
