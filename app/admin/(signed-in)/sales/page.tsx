import type { Metadata } from "next";
import { SalesHistory } from "@/components/admin/sales-history";

export const metadata: Metadata = { title: "Sales" };

export default function SalesPage() {
  return <SalesHistory />;
}
