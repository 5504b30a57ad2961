/**
 * The QR API's merchant callback QRs (a sticker at a till) and what a scan of one does: Vipps sends
 * the sales unit's `user.checked-in.v1` webhook with a customer token, valid for 15 minutes, that a
 * payment can name instead of a phone number. Also the simulated phones' personal QRs, which a
 * cashier scans and sends whole as `customer.personalQr`. Both stored in the simulator's SQLite file.
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../clock";
import { PROBLEM_TYPES, ProblemError, badRequest, isPlainObject } from "./http";
import type { Db } from "./store";
import type { WebhookService } from "./webhooks";

/** The check-in event, the only one the QR API sends. */
export const CHECKED_IN_EVENT_TYPE = "user.checked-in.v1";
/** "Token is valid for 15 minutes" (QR API webhooks). */
export const CUSTOMER_TOKEN_TTL_MS = 15 * 60 * 1000;
const LOCATION_MAX = 36;
const MERCHANT_QR_ID_PATTERN = /^[A-Za-z0-9_.~-]{1,100}$/;
export const SIM_PHONE_PATTERN = /^[0-9]{10,15}$/;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sim_merchant_qrs (
  msn TEXT NOT NULL,
  merchant_qr_id TEXT NOT NULL,
  location_description TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (msn, merchant_qr_id)
);
CREATE TABLE IF NOT EXISTS sim_customer_tokens (
  token TEXT PRIMARY KEY,
  msn TEXT NOT NULL,
  merchant_qr_id TEXT NOT NULL,
  phone_number TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

interface MerchantQrRow {
  msn: string;
  merchant_qr_id: string;
  location_description: string;
  created_at: number;
  updated_at: number;
}

export interface MerchantCallbackQr {
  merchantSerialNumber: string;
  merchantQrId: string;
  locationDescription: string;
  qrImageUrl: string;
  qrContent: string;
}

export interface CheckIn {
  customerToken: string;
  merchantQrId: string;
  msn: string;
  initiatedAt: string;
}

export class MerchantCallbacks {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly webhooks: WebhookService,
    /** `${publicUrl}${basePath}`: where a phone that reads a sticker or a personal QR lands. */
    private readonly publicBase: string,
    /** Told after a scan, so that its webhook goes out now rather than on the next tick. */
    private readonly onChange: () => void = () => {},
  ) {
    db.exec(SCHEMA);
  }

  // ---- The QR API --------------------------------------------------------------------------------

  /** Creates the QR, or changes its location description; the code itself never changes. */
  put(msn: string, merchantQrId: string, raw: unknown): void {
    checkMerchantQrId(merchantQrId);
    const location = isPlainObject(raw) ? raw.locationDescription : undefined;
    if (typeof location !== "string" || location.trim() === "" || location.length > LOCATION_MAX) {
      throw badRequest("One or more validation errors occurred.", [
        { name: "LocationDescription", reason: `Required, a string of at most ${LOCATION_MAX} characters.` },
      ]);
    }
    const now = this.clock.now();
    this.db
      .prepare(
        `INSERT INTO sim_merchant_qrs (msn, merchant_qr_id, location_description, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (msn, merchant_qr_id) DO UPDATE SET location_description = excluded.location_description, updated_at = excluded.updated_at`,
      )
      .run(msn, merchantQrId, location, now, now);
  }

  get(msn: string, merchantQrId: string): MerchantCallbackQr {
    checkMerchantQrId(merchantQrId);
    const row = this.find(msn, merchantQrId);
    if (!row) throw qrNotFound(merchantQrId);
    return this.view(row);
  }

  list(msn: string): MerchantCallbackQr[] {
    const rows = this.db
      .prepare("SELECT * FROM sim_merchant_qrs WHERE msn = ? ORDER BY created_at, merchant_qr_id")
      .all(msn) as MerchantQrRow[];
    return rows.map((row) => this.view(row));
  }

  remove(msn: string, merchantQrId: string): void {
    checkMerchantQrId(merchantQrId);
    const result = this.db
      .prepare("DELETE FROM sim_merchant_qrs WHERE msn = ? AND merchant_qr_id = ?")
      .run(msn, merchantQrId);
    if (result.changes === 0) throw qrNotFound(merchantQrId);
  }

  private find(msn: string, merchantQrId: string): MerchantQrRow | undefined {
    return this.db
      .prepare("SELECT * FROM sim_merchant_qrs WHERE msn = ? AND merchant_qr_id = ?")
      .get(msn, merchantQrId) as MerchantQrRow | undefined;
  }

  /** A sticker by its id alone (the /_sim control): the newest one of that id, whatever its MSN. */
  findById(merchantQrId: string): { msn: string; locationDescription: string } | undefined {
    const row = this.db
      .prepare("SELECT * FROM sim_merchant_qrs WHERE merchant_qr_id = ? ORDER BY updated_at DESC LIMIT 1")
      .get(merchantQrId) as MerchantQrRow | undefined;
    return row ? { msn: row.msn, locationDescription: row.location_description } : undefined;
  }

  /** What the printed code says: the simulated phone's page for this sticker. */
  stickerUrl(msn: string, merchantQrId: string): string {
    return `${this.publicBase}/sticker/${encodeURIComponent(msn)}/${encodeURIComponent(merchantQrId)}`;
  }

  private view(row: MerchantQrRow): MerchantCallbackQr {
    return {
      merchantSerialNumber: row.msn,
      merchantQrId: row.merchant_qr_id,
      locationDescription: row.location_description,
      qrImageUrl: `${this.publicBase}/sticker-image/${encodeURIComponent(row.msn)}/${encodeURIComponent(row.merchant_qr_id)}.svg`,
      qrContent: this.stickerUrl(row.msn, row.merchant_qr_id),
    };
  }

  // ---- A scan ------------------------------------------------------------------------------------

  /**
   * The phone with this number scans the sticker: a new customer token for that phone, and the
   * signed check-in webhook to the sales unit's registrations, written in one transaction.
   */
  scan(msn: string, merchantQrId: string, phoneNumber: string): CheckIn {
    if (!SIM_PHONE_PATTERN.test(phoneNumber)) {
      throw badRequest("The phone number is invalid.", [
        { name: "phoneNumber", reason: "Digits only with the country code, 10 to 15 of them (4791234567)." },
      ]);
    }
    if (!this.find(msn, merchantQrId)) throw qrNotFound(merchantQrId);
    const now = this.clock.now();
    const checkIn: CheckIn = {
      customerToken: randomBytes(24).toString("base64"),
      merchantQrId,
      msn,
      initiatedAt: new Date(now).toISOString(),
    };
    this.db
      .transaction(() => {
        this.db
          .prepare(
            "INSERT INTO sim_customer_tokens (token, msn, merchant_qr_id, phone_number, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
          )
          .run(checkIn.customerToken, msn, merchantQrId, phoneNumber, now, now + CUSTOMER_TOKEN_TTL_MS);
        this.webhooks.enqueueOther(msn, CHECKED_IN_EVENT_TYPE, "CHECKED_IN", merchantQrId, JSON.stringify(checkIn));
      })
      .immediate();
    this.onChange();
    return checkIn;
  }

  // ---- Customers of a payment --------------------------------------------------------------------

  /** The phone a customer identifier reaches, or why a payment cannot be sent to it now. */
  resolve(customer: Record<string, string>, nowMs: number): { phoneNumber: string } | { problem: string } {
    if (customer.phoneNumber !== undefined) return { phoneNumber: customer.phoneNumber };
    if (customer.personalQr !== undefined) {
      const phoneNumber = phoneOfPersonalQr(customer.personalQr);
      return phoneNumber ? { phoneNumber } : { problem: "The personal QR code is not valid." };
    }
    if (customer.customerToken !== undefined) {
      const row = this.db
        .prepare("SELECT phone_number, expires_at FROM sim_customer_tokens WHERE token = ?")
        .get(customer.customerToken) as { phone_number: string; expires_at: number } | undefined;
      if (!row) return { problem: "The customer token is not valid." };
      if (row.expires_at <= nowMs) return { problem: "The customer token has expired." };
      return { phoneNumber: row.phone_number };
    }
    return { problem: "No customer identifier." };
  }

  /** The phone a stored payment went to, whatever the token's age now. */
  phoneOf(customer: Record<string, string> | undefined): string | undefined {
    if (!customer) return undefined;
    const resolved = this.resolve(customer, Number.NEGATIVE_INFINITY);
    return "phoneNumber" in resolved ? resolved.phoneNumber : undefined;
  }

  /** A payment may only be created for a customer the simulator can reach; else 400, as Vipps does. */
  checkPaymentCustomer(customer: Record<string, string> | undefined): void {
    if (!customer) return;
    const resolved = this.resolve(customer, this.clock.now());
    if ("problem" in resolved) {
      const field = Object.keys(customer)[0] ?? "customer";
      throw badRequest(resolved.problem, [{ name: `customer.${field}`, reason: resolved.problem }]);
    }
  }

  /** The content of the simulated phone's personal QR in its app. */
  personalQrContent(phoneNumber: string): string {
    return `${this.publicBase}/personal-qr/${phoneNumber}?v=1`;
  }
}

/**
 * The number inside a personal QR's content, if it is one: a URL whose path ends in the phone's
 * number, like the simulated phone's (personalQrContent) and the example in Vipps' spec
 * (https://qr.vipps.no/28/2/01/031/4791234567).
 */
export function phoneOfPersonalQr(content: string): string | undefined {
  try {
    const match = /\/([0-9]{10,15})$/.exec(new URL(content).pathname);
    return match?.[1];
  } catch {
    return undefined;
  }
}

function checkMerchantQrId(merchantQrId: string): void {
  if (!MERCHANT_QR_ID_PATTERN.test(merchantQrId)) {
    throw badRequest("One or more validation errors occurred.", [
      { name: "merchantQrId", reason: "1 to 100 characters of letters, digits and - _ . ~" },
    ]);
  }
}

const qrNotFound = (merchantQrId: string) =>
  new ProblemError(404, PROBLEM_TYPES.notFound, "Not Found", `No merchant callback QR with id ${merchantQrId}.`);
