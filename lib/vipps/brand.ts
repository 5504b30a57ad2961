/**
 * Which name the wallet goes by, and where its landing pages live. On 12 January 2027 MobilePay
 * becomes Vipps in Denmark and Finland: same app and flow, new name and logo, and the landing pages
 * move from pay.mobilepay.dk/.fi to pay.vipps.dk/.fi (developer.vippsmobilepay.com, knowledge-base
 * "brand-change"). Until then the guideline is MobilePay first in Denmark and Finland, Vipps first
 * in Norway and Sweden. Pure and free of server-only imports: the customer display and the till
 * use it too, always with the server's clock (the display's offset-corrected one), never the device's.
 */

/** "vipps-mobilepay": today's two names; "vipps": one name in every market, after the switch. */
export type WalletBrand = "vipps-mobilepay" | "vipps";

/** The wallet's name as written in running text. Brand names exactly so, never in capitals. */
export type WalletBrandName = "Vipps MobilePay" | "Vipps";

export type WalletAppName = "Vipps" | "MobilePay";

/** The apps a customer may pay with, the one the market knows first: two before the switch, one after. */
export type WalletApps = readonly [WalletAppName] | readonly [WalletAppName, WalletAppName];

/** KASSA_BRAND_SWITCH_AT's default: midnight in Copenhagen and Oslo on the day of the change. */
export const DEFAULT_BRAND_SWITCH_AT = "2027-01-12T00:00:00+01:00";

export function walletBrandAt(nowMs: number, switchAtMs: number): WalletBrand {
  return nowMs >= switchAtMs ? "vipps" : "vipps-mobilepay";
}

export function walletBrandName(brand: WalletBrand): WalletBrandName {
  return brand === "vipps" ? "Vipps" : "Vipps MobilePay";
}

/**
 * Before the switch, Vipps first where it is the household name (Norway and Sweden) and MobilePay
 * first in Denmark and Finland; after it, Vipps alone. The market follows the currency: a wallet
 * payment must be in the currency of the sales unit's country (NOK, DKK, EUR for Finland).
 */
export function walletAppsFor(currency: string, brand: WalletBrand): WalletApps {
  if (brand === "vipps") return ["Vipps"];
  return currency === "DKK" || currency === "EUR" ? ["MobilePay", "Vipps"] : ["Vipps", "MobilePay"];
}

/** The host of the wallet's landing page for a market (what a WEB_REDIRECT link opens). */
export function landingHostFor(currency: string, brand: WalletBrand): string {
  if (currency === "DKK") return brand === "vipps" ? "pay.vipps.dk" : "pay.mobilepay.dk";
  if (currency === "EUR") return brand === "vipps" ? "pay.vipps.fi" : "pay.mobilepay.fi";
  return "pay.vipps.no";
}

/**
 * Vipps' own domains, before and after the switch: links and images from any of them are Vipps'.
 * Both the old and the new landing domains stay valid (existing QR codes and links keep working).
 */
const VIPPS_DOMAINS = [
  "vipps.no",
  "vipps.dk",
  "vipps.fi",
  "mobilepay.dk",
  "mobilepay.fi",
  "vippsmobilepay.com",
] as const;

export function isVippsHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return VIPPS_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
