/** What the soak's final check reads: the app's sales and histories, Vipps' payments and webhook outbox. */
import type { DisplayWatcher } from "../../tests/support/display-watcher";
import type { PosClient, SimClient } from "./clients";
import type { Journal } from "./journal";
import type { SaleRecord, SaleView } from "./sale-records";

export interface AppSale extends SaleView {
  createdAt: string;
  endedAt?: string;
}

export interface History {
  items: { type: string; source: string; toState?: string; at: string; detail?: Record<string, unknown> }[];
  attempts: { id: string; reference: string; state: string }[];
  refunds: { id: string; amount: number; state: string }[];
}

export interface Delivery {
  id: number;
  registrationId: string;
  eventName: string;
  reference: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  body: string;
}

export interface CheckContext {
  pos: PosClient;
  sim: SimClient;
  journal: Journal;
  records: Map<string, SaleRecord>;
  terminals: string[];
  watchers: Map<string, DisplayWatcher>;
}

export interface Payment {
  reference: string;
  /** undefined: Vipps has no such payment (404). */
  state?: string;
  authorized: number;
  captured: number;
  refunded: number;
  cancelled: number;
  events: { name: string; amount: { value: number }; timestamp: string; idempotencyKey: string | null }[];
}
