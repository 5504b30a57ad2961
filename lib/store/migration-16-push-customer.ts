import { type Migration, T } from "./migration-types";

/**
 * A push sale sent to a customer without their number: the check-in's customer token (the sticker
 * at the till) or the personal QR the cashier scanned, kept as JSON so that a create resumed after
 * a crash sends Vipps the very same request.
 */
export const MIGRATION_16_PUSH_CUSTOMER: Migration = {
  version: 16,
  sqlite: ["ALTER TABLE sales ADD COLUMN push_customer TEXT"],
  postgresql: [`ALTER TABLE sales ADD COLUMN push_customer ${T}`],
};
