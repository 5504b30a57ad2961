import type { Metadata } from "next";

export const metadata: Metadata = { title: "Thank you" };

// The customer may come from any of the five markets; a short line in each is friendlier than a guess.
const THANKS = [
  { lang: "nb", text: "Takk! Du kan lukke denne siden." },
  { lang: "da", text: "Tak! Du kan lukke denne side." },
  { lang: "fi", text: "Kiitos! Voit sulkea tämän sivun." },
  { lang: "sv", text: "Tack! Du kan stänga den här sidan." },
];

/** Where the Vipps MobilePay app sends the customer back after paying (the payment's returnUrl). */
export default function ThanksPage() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 bg-ink-950 px-6 py-12 text-center text-white">
      <div className="flex h-20 w-20 items-center justify-center rounded-full bg-white text-paid">
        <svg
          viewBox="0 0 48 48"
          className="h-12 w-12"
          fill="none"
          stroke="currentColor"
          strokeWidth={5}
          strokeLinecap="round"
          strokeLinejoin="round"
          aria-hidden
        >
          <path d="M12 25l8 8 16-18" />
        </svg>
      </div>
      <h1 className="text-3xl font-bold">Thank you, you can close this page</h1>
      <p className="max-w-sm text-lg text-ink-200">The screen at the counter shows the result of your payment.</p>
      <ul className="mt-2 flex flex-col gap-1.5 text-base text-ink-300">
        {THANKS.map((item) => (
          <li key={item.lang} lang={item.lang}>
            {item.text}
          </li>
        ))}
      </ul>
    </main>
  );
}
