/**
 * Zod schemas and inferred types for the parts of the Vipps MobilePay ePayment (v1.4.1), Webhooks (v1)
 * and Access Token APIs that Kassa Display uses. Field rules follow ../shared/vipps/spec and
 * EPAYMENT-API.md.
 *
 * Two different postures:
 * - Request schemas (what we send) are precise, so a bad amount or reference is caught before it
 *   leaves the process. They do not reject unknown keys, so newer optional API fields can be passed.
 * - Response schemas (what Vipps or the simulator sends) are tolerant: plain `z.object`, which
 *   accepts and drops unknown fields, and optional where a missing field would do no harm.
 *
 * One module to import them from; they are kept by subject in the files below.
 */
export * from "./payment-schemas";
export * from "./primitive-schemas";
export * from "./problem-and-token-schemas";
export * from "./receipt-schemas";
export * from "./webhook-schemas";
