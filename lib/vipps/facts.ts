/**
 * Facts of the Vipps MobilePay ePayment API that several parts of the app depend on: our client,
 * the sale domain's checks and the simulator all read them from here, so they cannot drift apart.
 * Sources: ../shared/vipps/EPAYMENT-API.md and ../shared/research/VIPPS-FACTS.md.
 */

/** The currencies an ePayment may be in. */
export const VIPPS_CURRENCIES = ["NOK", "DKK", "EUR"] as const;
export type VippsCurrency = (typeof VIPPS_CURRENCIES)[number];

/** The smallest payment Vipps accepts per currency, in minor units (NOK 1.00; DKK and EUR 0.01). */
export const MIN_PAYMENT_AMOUNT: Record<VippsCurrency, number> = { NOK: 100, DKK: 1, EUR: 1 };
/** The largest amount of one payment, in minor units (NOK 650 000.00). */
export const MAX_PAYMENT_AMOUNT = 65_000_000;

/**
 * A merchant's payment reference: 8–64 ASCII letters, digits and `-`, unique per MSN, never reused.
 * 64 since ePayment 1.7 (the 1.4.1 spec file says 50): ../shared/research/VIPPS-FACTS.md, and Vipps'
 * own summary in vippsas/agent-toolkit plugins/vipps-developer/skills/epayment/SKILL.md (the
 * create fields) and skills/payment-lifecycle/SKILL.md (the reference rules), both giving 8 to 64.
 */
export const REFERENCE_PATTERN = /^[a-zA-Z0-9-]{8,64}$/;
/** A merchant serial number. */
export const MSN_PATTERN = /^[0-9]{4,6}$/;

/** The states of an ePayment. */
export const PAYMENT_STATES = ["CREATED", "ABORTED", "EXPIRED", "AUTHORIZED", "TERMINATED"] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** An unapproved QR payment lives ten minutes from when Vipps received the create call. */
export const QR_PAYMENT_LIFETIME_MS = 10 * 60 * 1000;
/** Vipps' guideline: at most this many GETs of one payment per minute. */
export const MAX_GETS_PER_MINUTE_PER_REFERENCE = 120;
