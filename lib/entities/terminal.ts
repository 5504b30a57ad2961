/** A counter of the shop: where sales are rung up and shown on a display. */

import type { Currency } from "./money";

export const LANGUAGES = ["nb", "da", "fi", "sv", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Terminal {
  id: string;
  name: string;
  posId: string;
  language: Language;
  currency: Currency;
  /** Secret part of the display link; whoever holds it can show this terminal's sales. */
  displayToken: string;
  createdAt: string;
  /** Whether the display chimes when a payment is through; on unless turned off. */
  chime?: boolean;
  /** The store (Vipps sales unit) the terminal sells for; the first store when not given. */
  storeId?: string;
}
