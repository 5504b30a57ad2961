import type { Metadata } from "next";
import { ClosePrint } from "@/components/admin/close-print";

export const metadata: Metadata = { title: "Close" };

export default async function ClosePrintPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ClosePrint closeId={id} />;
}
