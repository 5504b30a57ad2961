import type { DisplayBrand } from "@/lib/display/display-state";
import type { DisplayMessages } from "@/lib/i18n/display-messages";
import { type WalletBrand, walletBrandName } from "@/lib/vipps/brand";
import { BrandLogo, brandStyle } from "./brand";

/** Between sales: the shop's logo and name in its colour, and a quiet sign of life. */
export function IdleScreen({
  shopName,
  messages,
  brand,
  wallet,
}: {
  shopName: string;
  messages: DisplayMessages;
  brand?: DisplayBrand;
  wallet: WalletBrand;
}) {
  return (
    <div
      data-testid="display-idle"
      style={brandStyle(brand)}
      className="flex h-full w-full flex-col items-center justify-center bg-[radial-gradient(ellipse_at_top,color-mix(in_srgb,var(--brand)_12%,var(--color-ink-800)),var(--color-ink-950)_70%)] px-[6vmin] text-center"
    >
      <div className="flex flex-1 flex-col items-center justify-center gap-[2.5vmin]">
        <BrandLogo url={brand?.logoUrl} className="mb-[2vmin] max-h-[26vmin] max-w-[70vw]" />
        <p className="text-[4vmin] text-ink-300">{messages.welcome}</p>
        <h1 className="max-w-[90vw] text-[9vmin] leading-[1.05] font-bold tracking-tight text-balance text-white">
          {shopName}
        </h1>
        <span
          data-testid="display-accent"
          className="mt-[1vmin] h-[0.8vmin] w-[12vmin] rounded-full bg-(--brand)"
          aria-hidden
        />
      </div>
      <div className="flex flex-col items-center gap-[2vmin] pb-[6vmin]">
        <p className="flex items-center gap-[1.6vmin] text-[3.2vmin] font-semibold text-white">
          <span className="breathe inline-block h-[2vmin] w-[2vmin] rounded-full bg-(--brand)" aria-hidden />
          {messages.ready}
        </p>
        <p
          data-testid="display-wallet"
          data-wallet-brand={wallet}
          className="rounded-full border border-white/15 px-[2.4vmin] py-[0.9vmin] text-[2.3vmin] text-ink-200"
        >
          {messages.acceptsVipps(walletBrandName(wallet))}
        </p>
      </div>
    </div>
  );
}
