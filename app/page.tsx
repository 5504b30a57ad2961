import Link from "next/link";
import { connection } from "next/server";
import { getServices } from "@/lib/runtime";
import { walletBrandName } from "@/lib/vipps/brand";

const ENTRIES = [
  {
    href: "/admin",
    title: "Cashier",
    text: "Sign in, build a sale from the catalogue or type an amount, and follow the payment live. Sales history, refunds, terminals and products.",
    cta: "Open the admin",
  },
  {
    href: "/display",
    title: "Customer display",
    text: "Open on the screen facing the customer. A new display shows a pairing code; enter it under Terminals in the admin.",
    cta: "Open a display",
  },
  {
    href: "/api/docs",
    title: "POS API",
    text: "Create sales from your own till software with an API key. The reference shows every endpoint with example requests and responses.",
    cta: "Read the API reference",
    // A route handler, not a page: an ordinary link, without client-side navigation.
    plain: true,
  },
];

export default async function HomePage() {
  // Rendered per request: the wallet's name changes on the date of the brand change.
  await connection();
  const wallet = walletBrandName((await getServices()).walletBrand());
  return (
    <main className="min-h-dvh bg-ink-950 text-white">
      <div className="mx-auto flex min-h-dvh max-w-5xl flex-col px-6 py-12 sm:px-10">
        <header className="flex items-center gap-3">
          <span className="inline-block h-3 w-3 rounded-full bg-brand" aria-hidden />
          <span className="text-sm font-semibold tracking-[0.2em] text-ink-300 uppercase">Kassa Display</span>
        </header>
        <section className="mt-16 max-w-2xl sm:mt-24">
          <h1 className="text-4xl leading-tight font-bold tracking-tight sm:text-5xl">
            {wallet} at the counter, with a screen the customer can scan.
          </h1>
          <p className="mt-5 text-lg text-ink-200">
            The cashier charges; the customer display shows the total and a one-time QR code; the phone pays; both
            screens show the result the moment it happens.
          </p>
        </section>
        <ul className="mt-14 grid gap-5 sm:grid-cols-3">
          {ENTRIES.map((entry) => {
            const className =
              "group flex h-full flex-col rounded-2xl border border-white/10 bg-white/[0.04] p-6 transition hover:border-brand/60 hover:bg-white/[0.07] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand";
            const content = (
              <>
                <h2 className="text-xl font-semibold">{entry.title}</h2>
                <p className="mt-2 flex-1 text-sm leading-relaxed text-ink-200">{entry.text}</p>
                <span className="mt-5 text-sm font-semibold text-brand group-hover:underline">{entry.cta} →</span>
              </>
            );
            return (
              <li key={entry.href}>
                {"plain" in entry ? (
                  <a href={entry.href} className={className}>
                    {content}
                  </a>
                ) : (
                  <Link href={entry.href} className={className}>
                    {content}
                  </Link>
                )}
              </li>
            );
          })}
        </ul>
        <footer className="mt-auto pt-16 text-xs text-ink-300">
          Runs against the built-in {wallet} simulator until real credentials are configured.
        </footer>
      </div>
    </main>
  );
}
