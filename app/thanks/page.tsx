import type { Metadata } from "next";

export const metadata: Metadata = { title: "Thank you" };

/** Where the Vipps app sends the customer back after paying (the payment's returnUrl). */
export default function ThanksPage() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-ink-950 px-6 text-center text-white">
      <div className="flex h-20 w-20 items-center justify-center rounded-full bg-white text-paid">
        <svg viewBox="0 0 48 48" className="h-12 w-12" fill="none" stroke="currentColor" strokeWidth={5} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
          <path d="M12 25l8 8 16-18" />
        </svg>
      </div>
      <h1 className="text-3xl font-bold">Thank you</h1>
      <p className="max-w-sm text-lg text-ink-200">You can close this page. The screen at the counter shows the result of your payment.</p>
      <p lang="nb" className="max-w-sm text-base text-ink-300">Takk! Du kan lukke denne siden.</p>
    </main>
  );
}
