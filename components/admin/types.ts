/** Shapes of the POS API as the admin page reads them (the server's views, seen from the client). */
import type { SaleState } from "@/lib/sales/types";

export type { Money as MoneyView, SaleLine as SaleLineView, SaleView } from "@/lib/sales/types";

export interface SaleEventView {
  id: number | string;
  type: string;
  source: string;
  fromState?: SaleState | null;
  toState?: SaleState | null;
  detail?: Record<string, unknown> | null;
  at: string;
}

// Type-only imports: the services' modules never reach the browser bundle, only their shapes.
export type { ProductView } from "@/lib/catalogue/catalogue-service";
export type { ShopSettings as SettingsView } from "@/lib/settings/settings-service";
export type { SaleSummary as SummaryItem } from "@/lib/store/store";
export type { DeviceView, TerminalView } from "@/lib/terminals/terminal-service";

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
