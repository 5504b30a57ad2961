import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { ReceiptSheet } from "@/components/receipt/receipt-sheet";
import { isDomainError } from "@/lib/errors";
import { RECEIPT_LOCALES, RECEIPT_MESSAGES } from "@/lib/i18n/receipt-messages";
import { getServices } from "@/lib/runtime";

export const metadata: Metadata = { title: "Receipt", robots: { index: false, follow: false } };

/** The customer's receipt: public, found only by its unguessable id (the QR on the paid screen, receiptUrl). */
export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  await connection();
  const { id } = await params;
  const { receipts } = await getServices();
  const receipt = await receipts.get(id).catch((error: unknown) => {
    if (isDomainError(error) && error.code === "notFound") notFound();
    throw error;
  });
  return (
    <main lang={receipt.language} className="min-h-dvh bg-neutral-100 py-6 print:bg-white print:py-0">
      <ReceiptSheet
        receipt={receipt}
        messages={RECEIPT_MESSAGES[receipt.language]}
        locale={RECEIPT_LOCALES[receipt.language]}
      />
    </main>
  );
}
