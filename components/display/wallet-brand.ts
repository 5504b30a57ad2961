import type { DisplayState } from "@/lib/display/display-state";
import type { WalletBrand } from "@/lib/vipps/brand";

/**
 * The wallet's name on screen now, by the server's clock: the state says which name held when the
 * server computed it, and, while the old one holds, when it changes; a screen left open over the
 * switch changes on time without waiting for a new state.
 */
export function currentWalletBrand(wallet: DisplayState["wallet"] | undefined, serverNowMs: number): WalletBrand {
  if (!wallet) return "vipps-mobilepay";
  if (wallet.brand === "vipps-mobilepay" && wallet.switchAt && serverNowMs >= Date.parse(wallet.switchAt))
    return "vipps";
  return wallet.brand;
}

/** When the wallet's name next changes on this screen, if it does (for a timer to re-render then). */
export function walletBrandDeadline(wallet: DisplayState["wallet"] | undefined): number | undefined {
  return wallet?.brand === "vipps-mobilepay" && wallet.switchAt ? Date.parse(wallet.switchAt) : undefined;
}
