import type { Metadata } from "next";
import { StickerPrint } from "@/components/admin/sticker-print";

export const metadata: Metadata = { title: "Sticker" };

export default async function StickerPrintPage({ params }: { params: Promise<{ terminalId: string }> }) {
  const { terminalId } = await params;
  return <StickerPrint terminalId={terminalId} />;
}
