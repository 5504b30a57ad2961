/**
 * The shop's accent colour: a `#rrggbb` value the customer display uses for its highlights (the
 * ready dot, the scan icon, the countdown and its bar). No "server-only" here: the settings page
 * shows the same contrast check live, before anything is sent.
 */

/** The display's own orange, used when the shop has not picked a colour. */
export const DEFAULT_ACCENT = "#ff5b24";

/**
 * The dark surfaces the accent is drawn on: the display's background (ink-950) and its QR panel
 * (ink-900). The lighter of the two is the harder test, so a colour that passes it passes both.
 */
export const DISPLAY_BACKGROUNDS = ["#100e1a", "#1e1b2e"] as const;

/** Large, bold marks (the dot, the icon, the big countdown) need 3:1 against what is behind them. */
export const MIN_ACCENT_CONTRAST = 3;

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

export function isHexColour(value: string): boolean {
  return HEX_COLOUR.test(value);
}

/** Relative luminance as the contrast formula of WCAG 2 defines it, from 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const value = Number.parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The accent's contrast against the lightest of the display's dark surfaces. */
export function accentContrast(hex: string): number {
  return Math.min(...DISPLAY_BACKGROUNDS.map((background) => contrastRatio(hex, background)));
}

/** Rounded down to one decimal, so that a shown "3.0:1" is never really 2.97. */
export function formatRatio(ratio: number): string {
  return (Math.floor(ratio * 10) / 10).toFixed(1);
}

/** Why a value cannot be the accent colour, or undefined when it can. */
export function accentProblem(value: string): string | undefined {
  if (!isHexColour(value)) return "a colour as #rrggbb, e.g. #ff5b24";
  const ratio = accentContrast(value);
  if (ratio < MIN_ACCENT_CONTRAST) {
    return `too dark for the display: its contrast against the display's dark background (${DISPLAY_BACKGROUNDS[1]}) is ${formatRatio(ratio)}:1 and must be at least ${MIN_ACCENT_CONTRAST}:1; pick a lighter colour`;
  }
  return undefined;
}
