/** Shapes of the POS API as the admin page reads them (the server's views, seen from the client). */
import type { Currency, Language, SaleState } from "@/lib/sales/types";

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

export interface TerminalView {
  id: string;
  name: string;
  posId: string;
  language: Language;
  currency: Currency;
  displayUrl: string;
  activeSaleId: string | null;
}

export interface DeviceView {
  id: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface ProductView {
  id: string;
  name: string;
  unitPrice: number;
  currency: Currency;
  taxRate: number;
}

export interface SettingsView {
  shopName: string;
  autoCapture: boolean;
}

export interface SummaryItem {
  state: SaleState;
  currency: string;
  count: number;
  amount: number;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}
