/** The go-live evidence: what is kept of the calls the app makes to Vipps. */

/** One outgoing call to Vipps as the go-live evidence keeps it. */
export interface VippsRequestRecord {
  id: number;
  /** The client's name for the call: createPayment, getPayment, capturePayment, fetchAccessToken, … */
  operation: string;
  method: string;
  /** Below the API's origin, e.g. /epayment/v1/payments/kd-…/capture. */
  path: string;
  /** The payment's reference, for the ePayment calls that name one. */
  reference?: string;
  /** Which try of one logical call this was: 1, then 2, 3, … for retries. */
  attempt: number;
  /** The Vipps-System-* headers the request carried, name → value. */
  systemHeaders: Record<string, string>;
  /** What a reviewer asks about the request (flow, receipt, amounts), never personal data. */
  summary: Record<string, unknown>;
  at: string;
}

export type NewVippsRequestRecord = Omit<VippsRequestRecord, "id">;
