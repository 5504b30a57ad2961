import type { Language, SaleState } from "@/lib/sales/types";
import type english from "./admin/en";

/**
 * The cashier's admin page, one module per language (lib/i18n/admin/*.ts) so a till downloads only
 * the language it shows: the server layout loads it (load-admin-messages.ts) and hands it to the
 * client provider. English is the reference; every other language must have the same keys.
 * `{name}` placeholders are filled by `fill()`.
 */
export type AdminMessages = { readonly [Key in keyof typeof english]: string };
export type AdminMessageKey = keyof AdminMessages;

/** Sale states in the cashier's words: a few words per language, small enough to ship them all. */
export const SALE_STATE_LABELS: Record<Language, Record<SaleState, string>> = {
  en: {
    pending: "Waiting for payment",
    authorized: "Approved",
    captured: "Captured",
    refunded: "Refunded",
    cancelled: "Cancelled",
    expired: "Expired",
    aborted: "Declined",
    failed: "Failed",
  },
  nb: {
    pending: "Venter på betaling",
    authorized: "Godkjent",
    captured: "Trukket",
    refunded: "Refundert",
    cancelled: "Avbrutt",
    expired: "Utløpt",
    aborted: "Avvist",
    failed: "Feilet",
  },
  da: {
    pending: "Venter på betaling",
    authorized: "Godkendt",
    captured: "Hævet",
    refunded: "Refunderet",
    cancelled: "Annulleret",
    expired: "Udløbet",
    aborted: "Afvist",
    failed: "Fejlet",
  },
  fi: {
    pending: "Odottaa maksua",
    authorized: "Hyväksytty",
    captured: "Veloitettu",
    refunded: "Hyvitetty",
    cancelled: "Peruttu",
    expired: "Vanhentunut",
    aborted: "Hylätty",
    failed: "Epäonnistui",
  },
  sv: {
    pending: "Väntar på betalning",
    authorized: "Godkänd",
    captured: "Dragen",
    refunded: "Återbetald",
    cancelled: "Avbruten",
    expired: "Utgången",
    aborted: "Nekad",
    failed: "Misslyckades",
  },
};

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => (key in values ? String(values[key]) : match));
}
