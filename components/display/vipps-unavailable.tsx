import type { DisplayMessages } from "@/lib/i18n/display-messages";
import { type WalletBrand, walletBrandName } from "@/lib/vipps/brand";

/**
 * Vipps is out (an incident, or its Monday-night maintenance): said across the screen in the
 * terminal's language, whatever the phase, so a customer is never left waiting for a QR that
 * will not come. It goes away by itself when the server finds Vipps answering again.
 */
export function VippsUnavailableNotice({ messages, wallet }: { messages: DisplayMessages; wallet: WalletBrand }) {
  return (
    <div
      data-testid="display-vipps-unavailable"
      role="alert"
      className="absolute inset-x-[4vmin] top-[4vmin] z-10 flex flex-col items-center gap-[1vmin] rounded-[2vmin] border border-amber-300/40 bg-amber-950/90 px-[4vmin] py-[2.4vmin] text-center shadow-[0_1vmin_4vmin_rgba(0,0,0,0.5)]"
    >
      <p className="text-[4vmin] leading-tight font-bold text-amber-100">
        {messages.vippsUnavailable(walletBrandName(wallet))}
      </p>
      <p className="text-[2.8vmin] text-amber-200">{messages.vippsUnavailableHint}</p>
    </div>
  );
}
