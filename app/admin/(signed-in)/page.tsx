import type { Metadata } from "next";
import { TillView } from "@/components/admin/till-view";

export const metadata: Metadata = { title: "Till" };

export default function TillPage() {
  return <TillView />;
}
