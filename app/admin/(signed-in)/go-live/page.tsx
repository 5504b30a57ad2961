import type { Metadata } from "next";
import { GoLiveView } from "@/components/admin/go-live-view";

export const metadata: Metadata = { title: "Go-live" };

export default function GoLivePage() {
  return <GoLiveView />;
}
