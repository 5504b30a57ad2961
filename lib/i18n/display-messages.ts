import type { Language } from "@/lib/sales/types";

/**
 * Words on the customer display, one module per language (lib/i18n/display/*.ts) so a kiosk
 * downloads only the language its terminal speaks. Short sentences: they are read from 1.5 m in a
 * few seconds.
 */
export interface DisplayMessages {
  welcome: string;
  ready: string;
  acceptsVipps: string;
  total: string;
  scanToPay: string;
  /** The call to action, naming the app the market knows first (see walletAppsFor). */
  scanWithApp: (apps: WalletApps) => string;
  qrValidFor: string;
  preparingQr: string;
  items: (count: number) => string;
  approved: string;
  approvedHint: string;
  paid: string;
  paidHint: string;
  declined: string;
  declinedHint: string;
  cancelled: string;
  cancelledHint: string;
  expired: string;
  expiredHint: string;
  failed: string;
  failedHint: string;
  reconnecting: string;
  pairTitle: string;
  pairHint: string;
  pairCodeValidFor: string;
  notAuthorised: string;
  qrTitle: string;
  /** Heading of the live cart, while the cashier rings items up. */
  cart: string;
  /** The live cart while it has no lines yet. */
  cartEmpty: string;
  /** Push sale: where the payment request went (the phone's last digits) and what to do. */
  pushSent: (phoneEnding: string) => string;
  pushHint: (apps: WalletApps) => string;
  /** Validity of the push request, like qrValidFor. */
  requestValidFor: string;
}

/** The two wallet apps, the one the terminal's market knows first. */
export type WalletApps = readonly [first: "Vipps" | "MobilePay", second: "Vipps" | "MobilePay"];

/**
 * Vipps first where Vipps is the household name (Norway, and Sweden), MobilePay first in Denmark and
 * Finland. The market follows the terminal's currency: a wallet payment must be in the currency of
 * the sales unit's country (NOK Norway, DKK Denmark, EUR Finland). Brand names written exactly so.
 */
export function walletAppsFor(currency: string): WalletApps {
  return currency === "DKK" || currency === "EUR" ? ["MobilePay", "Vipps"] : ["Vipps", "MobilePay"];
}

const LOADERS: Record<Language, () => Promise<{ default: DisplayMessages }>> = {
  nb: () => import("./display/nb"),
  da: () => import("./display/da"),
  fi: () => import("./display/fi"),
  sv: () => import("./display/sv"),
  en: () => import("./display/en"),
};

const loaded = new Map<Language, DisplayMessages>();

/** Messages already in memory, if this language has been loaded before. */
export function cachedDisplayMessages(language: Language): DisplayMessages | undefined {
  return loaded.get(language);
}

export async function loadDisplayMessages(language: Language): Promise<DisplayMessages> {
  const cached = loaded.get(language);
  if (cached) return cached;
  const messages = (await LOADERS[language]()).default;
  loaded.set(language, messages);
  return messages;
}
