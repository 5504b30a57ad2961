import type { WalletApps, WalletBrandName } from "@/lib/vipps/brand";

/**
 * Words on the customer display, one module per language (lib/i18n/display/*.ts) so a kiosk
 * downloads only the language its terminal speaks. Short sentences: they are read from 1.5 m in a
 * few seconds.
 */
export interface DisplayMessages {
  welcome: string;
  ready: string;
  /** The sign on the idle screen, with the wallet's name of the day (lib/vipps/brand.ts). */
  acceptsVipps: (name: WalletBrandName) => string;
  total: string;
  scanToPay: string;
  /** The call to action, naming the app the market knows first, or the one app after the brand change (walletAppsFor). */
  scanWithApp: (apps: WalletApps) => string;
  qrValidFor: string;
  preparingQr: string;
  items: (count: number) => string;
  approved: string;
  approvedHint: string;
  paid: string;
  paidHint: string;
  /** Under the small QR of the receipt on the paid screen. */
  receiptQr: string;
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
  qrTitle: (name: WalletBrandName) => string;
  /** Heading of the live cart, while the cashier rings items up. */
  cart: string;
  /** The live cart while it has no lines yet. */
  cartEmpty: string;
  /** Push sale: where the payment request went (the phone's last digits, when known) and what to do. */
  pushSent: (phoneEnding?: string) => string;
  /** The till's sticker was scanned while no sale waits: the customer waits for the cashier. */
  checkedInWait: string;
  pushHint: (apps: WalletApps) => string;
  /** Validity of the push request, like qrValidFor. */
  requestValidFor: string;
  /** Vipps is out (an incident or its maintenance window): the customer must pay another way. */
  vippsUnavailable: (name: WalletBrandName) => string;
  vippsUnavailableHint: string;
}
