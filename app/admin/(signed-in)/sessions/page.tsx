import type { Metadata } from "next";
import { SessionsView } from "@/components/admin/sessions-view";

export const metadata: Metadata = { title: "My sessions" };

export default function SessionsPage() {
  return <SessionsView />;
}
