import "server-only";
/** Vipps MobilePay integration: typed ePayment/Webhooks client, token cache, schemas, errors, webhook signing. */
export * from "./schemas";
export * from "./errors";
export * from "./access-token";
export * from "./client";
export * from "./webhook-signature";
