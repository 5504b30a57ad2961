import { type Migration, T } from "./migration-types";

/**
 * The store an audit entry is about, so that a manager sees their stores' entries only: a sale's
 * store, a terminal's, a close's terminal's, a store itself. NULL: deployment-wide (settings, staff,
 * API keys, products, webhook endpoints), which only the owner sees unless the viewer made it.
 * Entries written before get it from their target where it still exists; the rest stay NULL.
 */
const BACKFILL = [
  `UPDATE audit_log SET store_id = (SELECT sales.store_id FROM sales WHERE sales.id = audit_log.sale_id)
    WHERE sale_id IS NOT NULL`,
  `UPDATE audit_log SET store_id = (SELECT sales.store_id FROM sales WHERE sales.id = substr(audit_log.target, 6))
    WHERE store_id IS NULL AND substr(target, 1, 5) = 'sale:'`,
  `UPDATE audit_log SET store_id = (SELECT terminals.store_id FROM terminals WHERE terminals.id = substr(audit_log.target, 10))
    WHERE substr(target, 1, 9) = 'terminal:'`,
  `UPDATE audit_log SET store_id = (SELECT terminals.store_id FROM terminal_closes
      JOIN terminals ON terminals.id = terminal_closes.terminal_id WHERE terminal_closes.id = substr(audit_log.target, 7))
    WHERE substr(target, 1, 6) = 'close:'`,
  `UPDATE audit_log SET store_id = (SELECT stores.id FROM stores WHERE stores.id = substr(audit_log.target, 7))
    WHERE substr(target, 1, 6) = 'store:'`,
  "CREATE INDEX audit_log_by_store ON audit_log (store_id, id)",
];

export const MIGRATION_17_AUDIT_STORE: Migration = {
  version: 17,
  sqlite: ["ALTER TABLE audit_log ADD COLUMN store_id TEXT", ...BACKFILL],
  postgresql: [`ALTER TABLE audit_log ADD COLUMN store_id ${T}`, ...BACKFILL],
};
