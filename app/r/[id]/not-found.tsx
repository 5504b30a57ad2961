import { RECEIPT_MESSAGES } from "@/lib/i18n/receipt-messages";

/** No paid sale has this receipt id; the page does not say more. */
export default function ReceiptNotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-2 px-6 text-center">
      {(["nb", "da", "sv", "fi", "en"] as const).map((language) => (
        <p key={language} lang={language}>
          <strong>{RECEIPT_MESSAGES[language].notFound}.</strong> {RECEIPT_MESSAGES[language].notFoundHint}
        </p>
      ))}
    </main>
  );
}
