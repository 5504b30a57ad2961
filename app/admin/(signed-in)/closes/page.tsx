import type { Metadata } from "next";
import { ClosesView } from "@/components/admin/closes-view";

export const metadata: Metadata = { title: "Closes" };

export default function ClosesPage() {
  return <ClosesView />;
}
