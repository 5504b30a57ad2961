/** A store of the chain: one Vipps sales unit (MSN) with its terminals, its sales and, optionally, its own API keys. */

import type { Currency } from "./money";
import type { Language } from "./terminal";

/** The store an upgraded database's terminals and sales belong to, and the first one of a new one. */
export const FIRST_STORE_ID = "store-1";

export interface RetailStore {
  id: string;
  name: string;
  /** Merchant serial number of the store's Vipps sales unit; "" only on store 1 before start-up fills it. */
  msn: string;
  currency: Currency;
  /** IANA time zone of the store's business day (closes and reports). */
  timeZone: string;
  language: Language;
  address?: string;
  organisationNumber?: string;
  /**
   * The store's own Vipps API keys: the client id in clear, the secret and the subscription key
   * sealed (lib/stores/secret-box.ts). Absent: the deployment's partner keys, with this MSN.
   */
  vipps?: { clientId: string; sealedSecrets: string };
  createdAt: string;
  updatedAt: string;
}
