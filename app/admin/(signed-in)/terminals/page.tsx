import type { Metadata } from "next";
import { TerminalsView } from "@/components/admin/terminals-view";

export const metadata: Metadata = { title: "Terminals" };

export default function TerminalsPage() {
  return <TerminalsView />;
}
