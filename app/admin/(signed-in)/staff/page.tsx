import type { Metadata } from "next";
import { StaffManager } from "@/components/admin/staff-view";

export const metadata: Metadata = { title: "Staff" };

export default function StaffPage() {
  return <StaffManager />;
}
