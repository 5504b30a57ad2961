"use client";

import { type CSSProperties, useState } from "react";
import { DEFAULT_ACCENT } from "@/lib/branding/colour";
import type { DisplayBrand } from "@/lib/display/display-state";

/**
 * The shop's accent as the CSS custom property `--brand`, for a screen's outermost element: its
 * highlights use `bg-(--brand)`, `text-(--brand)` and so on. The display's orange without one.
 */
export function brandStyle(brand: DisplayBrand | undefined): CSSProperties {
  return { "--brand": brand?.accent ?? DEFAULT_ACCENT } as CSSProperties;
}

/**
 * The shop's logo, always as an <img> (never inlined into the page), so an SVG can neither run
 * script nor load anything. It is decorative: the shop's name is written next to it. A logo that
 * fails to load leaves no broken-image mark.
 */
export function BrandLogo({ url, className }: { url: string | undefined; className: string }) {
  const [failed, setFailed] = useState<string | undefined>(undefined);
  if (!url || failed === url) return null;
  return (
    // biome-ignore lint/performance/noImgElement: the display shows the stored bytes as they are; next/image would re-encode an SVG and sit in between.
    <img
      data-testid="display-logo"
      src={url}
      alt=""
      draggable={false}
      className={`object-contain ${className}`}
      onError={() => setFailed(url)}
    />
  );
}
