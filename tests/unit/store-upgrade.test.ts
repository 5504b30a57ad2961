/**
 * Upgrading to stores (migration 13), on SQLite and PostgreSQL: a database as the version before
 * stores left it (migrations 1–12, rows written the way it wrote them) becomes store 1, the sales
 * unit of the environment's VIPPS_MSN, with every setting, terminal, sale and refund kept.
 */
import { describe, expect, it } from "vitest";
import type { AppConfig } from "@/lib/config";
import { createLogger } from "@/lib/log";
import { SettingsService } from "@/lib/settings/settings-service";
import { fillFirstStore } from "@/lib/stores/store-wiring";
import { conformance, iso, T0 } from "../support/store-conformance";
import { databaseAtVersion } from "../support/old-database";

/** The schema version of the last release before stores. */
const BEFORE_STORES = 12;

conformance("Upgrade to stores", (context) => {
  describe("a database of the version before stores", () => {
    it("becomes store 1 from VIPPS_MSN, keeping its settings, terminals, sales and refunds", async () => {
      const { database: old, raw, yes } = await databaseAtVersion(context, BEFORE_STORES);
      // What the previous release wrote: its settings, two terminals, a refunded sale and a pending one.
      await raw.exec(`INSERT INTO settings (key, value) VALUES ('shop.name', 'Kafé Solsiden'),
        ('shop.address', 'Solsiden 1, Trondheim'), ('auth.apiKeyHash', 'old-hash'), ('vipps.webhook.secret', 'old-secret')`);
      await raw.exec(`INSERT INTO terminals (id, name, pos_id, language, currency, display_token, created_at, chime)
        VALUES ('pos-1', 'Counter 1', 'pos-1', 'en', 'NOK', 'tok-1', '${iso(T0)}', ${yes}),
               ('pos-2', 'Counter 2', 'pos-2', 'nb', 'NOK', 'tok-2', '${iso(T0)}', ${yes})`);
      const sale = (id: string, terminal: string, state: string, captured: number, refunded: number) =>
        `INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state, auto_capture,
          captured_amount, refunded_amount, current_attempt_id, attempt_count, created_at, updated_at, receipt_id, active_terminal_id)
         VALUES ('${id}', '${terminal}', 'R-${id}', 'NOK', 5000, 'Kaffe', '[]', '${state}', ${yes}, ${captured}, ${refunded},
          '${id}-a1', 1, '${iso(T0)}', '${iso(T0)}', 'receipt-${id}', ${state === "pending" ? `'${terminal}'` : "NULL"})`;
      await raw.exec(sale("s-refunded", "pos-1", "refunded", 5000, 5000));
      await raw.exec(sale("s-pending", "pos-2", "pending", 0, 0));
      for (const id of ["s-refunded", "s-pending"])
        await raw.exec(`INSERT INTO attempts (id, sale_id, reference, state, created_at, expires_at, next_poll_at)
          VALUES ('${id}-a1', '${id}', 'ref-${id}', 'CREATED', '${iso(T0)}', '${iso(T0 + 300_000)}', '${iso(T0)}')`);
      await raw.exec(`INSERT INTO refunds (id, sale_id, amount, state, created_at)
        VALUES ('r1', 's-refunded', 5000, 'done', '${iso(T0)}')`);

      // This version starts on it: migration 13, then start-up fills store 1.
      const store = await old.open();
      context.opened.push(store);
      const settings = new SettingsService({ settings: store.settings, settingsChanged: async () => {} });
      const config = { vipps: { msn: "123456" } } as AppConfig;
      const log = createLogger("error");
      const clock = { now: () => T0 + 60_000 };
      await fillFirstStore({ repositories: store, config, settings, clock, log });

      expect(await store.stores.listStores()).toEqual([
        expect.objectContaining({
          id: "store-1",
          name: "Kafé Solsiden",
          msn: "123456",
          currency: "NOK",
          language: "en",
          address: "Solsiden 1, Trondheim",
        }),
      ]);
      expect((await store.counters.listTerminals()).map((t) => [t.id, t.storeId, t.displayToken])).toEqual([
        ["pos-1", "store-1", "tok-1"],
        ["pos-2", "store-1", "tok-2"],
      ]);
      const { items } = await store.sales.listSales({ storeId: "store-1" });
      expect(items.map((s) => [s.id, s.state, s.storeId, s.msn]).sort()).toEqual([
        ["s-pending", "pending", "store-1", "123456"],
        ["s-refunded", "refunded", "store-1", "123456"],
      ]);
      expect(await store.sales.listRefunds("s-refunded")).toEqual([
        expect.objectContaining({ id: "r1", amount: 5000 }),
      ]);
      expect((await store.sales.getAttemptByReference("ref-s-pending"))?.saleId).toBe("s-pending");
      expect(await store.settings.getSetting("auth.apiKeyHash")).toBe("old-hash");
      expect(await store.settings.getSetting("vipps.webhook.secret")).toBe("old-secret");
      expect((await store.sales.getActiveSale("pos-2"))?.id).toBe("s-pending");

      // A second start changes nothing: store 1 is no longer a placeholder.
      await fillFirstStore({
        repositories: store,
        config: { vipps: { msn: "999999" } } as AppConfig,
        settings,
        clock,
        log,
      });
      expect((await store.stores.getStore("store-1"))?.msn).toBe("123456");
    });
  });
});
