import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "Customer display" };

// The page is dark from the first frame. Zoom stays allowed (WCAG 1.4.4): on the kiosk a stray pinch
// is stopped by the screen's touch-action: none and useKiosk's gesture handlers, not by the viewport.
export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#100e1a",
  colorScheme: "dark",
};

export default function DisplayLayout({ children }: { children: ReactNode }) {
  return <div className="fixed inset-0 overflow-hidden bg-ink-950">{children}</div>;
}
