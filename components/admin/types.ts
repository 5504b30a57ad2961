/** Shapes of the POS API as the admin page reads them (the server's views, seen from the client). */
import type { SalesSummary } from "@/lib/contracts/sales";
import type { SaleState } from "@/lib/sales/types";

export type { Money as MoneyView, SaleLine as SaleLineView } from "@/lib/sales/types";

export interface SaleEventView {
  id: number | string;
  type: string;
  source: string;
  fromState?: SaleState | null;
  toState?: SaleState | null;
  detail?: Record<string, unknown> | null;
  at: string;
}

// The API's contracts (lib/contracts) are the source of these shapes; type-only, so no schema reaches the browser bundle.
export type { ProductView } from "@/lib/contracts/catalogue";
export type { SaleView } from "@/lib/contracts/sales";
export type { SettingsView } from "@/lib/contracts/settings";
export type { DeviceView, TerminalView } from "@/lib/contracts/terminals";
export type SummaryItem = SalesSummary["items"][number];

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
