import type { DisplayMessages } from "@/lib/i18n/display-messages";

/**
 * The till's sticker was scanned before the cashier charged: the customer is told to wait, for a
 * few seconds (the server drops the notice from the state when its time is up).
 */
export function CheckInNotice({ messages }: { messages: DisplayMessages }) {
  return (
    <div
      data-testid="display-check-in"
      role="status"
      className="absolute inset-x-[4vmin] bottom-[6vmin] z-10 rounded-[2vmin] border border-white/20 bg-ink-800 px-[4vmin] py-[2.4vmin] text-center shadow-[0_1vmin_4vmin_rgba(0,0,0,0.5)]"
    >
      <p className="text-[3.6vmin] leading-tight font-semibold text-white">{messages.checkedInWait}</p>
    </div>
  );
}
