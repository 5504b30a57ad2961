import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "Customer display" };

// A kiosk must not be zoomed by a stray pinch, and the page is dark from the first frame.
export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  maximumScale: 1,
  userScalable: false,
  themeColor: "#100e1a",
  colorScheme: "dark",
};

export default function DisplayLayout({ children }: { children: ReactNode }) {
  return <div className="fixed inset-0 overflow-hidden bg-ink-950">{children}</div>;
}
