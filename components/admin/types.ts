/** Shapes of the POS API as the admin page reads them (the server's views, seen from the client). */
// The API's contracts (lib/contracts) are the source of these shapes; type-only, so no schema reaches the browser bundle.
import type { SaleHistory, SalesSummary, SaleView } from "@/lib/contracts/sales";

export type { ProductView } from "@/lib/contracts/catalogue";
export type { SaleView };
export type { SettingsView } from "@/lib/contracts/settings";
export type { StoreView } from "@/lib/contracts/stores";
export type { DeviceView, TerminalView } from "@/lib/contracts/terminals";
export type SummaryItem = SalesSummary["items"][number];
export type SaleEventView = SaleHistory["items"][number];
export type MoneyView = SaleView["amount"];
export type SaleLineView = SaleView["lines"][number];

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
