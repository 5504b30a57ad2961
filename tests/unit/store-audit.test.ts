/** The audit repository's slice of the store conformance suite, on SQLite and PostgreSQL. */
import { describe, expect, it } from "vitest";
import type { NewAuditEntry } from "@/lib/entities/staff";
import { conformance, iso, T0 } from "../support/store-conformance";
import { databaseAtVersion } from "../support/old-database";

const entry = (at: number, extra: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  at: iso(at),
  action: "sale.create",
  actor: { type: "staff", id: "s1", username: "anna" },
  target: "sale:x",
  address: "192.168.1.20",
  ...extra,
});

conformance("Audit repository", (context) => {
  describe("audit", () => {
    it("appends entries and lists them newest first, filtered by sale, actor and time", async () => {
      const audit = context.store.audit;
      const first = await audit.appendAudit(entry(T0, { saleId: "sale_a", device: "Till: Counter 1" }));
      await audit.appendAudit(
        entry(T0 + 1000, { actor: { type: "api-key", id: "k1", name: "Webshop" }, saleId: "sale_b" }),
      );
      await audit.appendAudit(entry(T0 + 2000, { action: "settings.update", target: "settings", detail: { n: 1 } }));
      expect(first).toMatchObject({ id: expect.any(Number), saleId: "sale_a" });

      const all = await audit.listAudit({ limit: 10 });
      expect(all.map((e) => e.action)).toEqual(["settings.update", "sale.create", "sale.create"]);
      expect(all[0]).toMatchObject({ detail: { n: 1 }, actor: { type: "staff", username: "anna" } });
      expect(all[2]).toEqual({ ...entry(T0, { saleId: "sale_a", device: "Till: Counter 1" }), id: first.id });

      expect((await audit.listAudit({ saleId: "sale_b", limit: 10 })).map((e) => e.actor)).toEqual([
        { type: "api-key", id: "k1", name: "Webshop" },
      ]);
      expect(await audit.listAudit({ actor: "anna", limit: 10 })).toHaveLength(2);
      expect(await audit.listAudit({ from: iso(T0 + 500), to: iso(T0 + 1500), limit: 10 })).toHaveLength(1);
      expect(await audit.listAudit({ limit: 1 })).toHaveLength(1);
    });
  });
});

conformance("Audit repository by store", (context) => {
  describe("audit by store", () => {
    it("keeps each entry's store and lists a store's entries, with the viewer's own deployment-wide ones", async () => {
      const audit = context.store.audit;
      const mia = { type: "staff" as const, id: "s-mia", username: "mia" };
      await audit.appendAudit(entry(T0, { saleId: "sale_a", storeId: "store-1" }));
      await audit.appendAudit(entry(T0 + 1, { target: "terminal:b1", storeId: "store-2" }));
      await audit.appendAudit(entry(T0 + 2, { action: "settings.update", target: "settings" }));
      await audit.appendAudit(entry(T0 + 3, { action: "settings.update", target: "settings", actor: mia }));
      await audit.appendAudit(
        entry(T0 + 4, { target: "terminal:b2", storeId: "store-2", actor: { ...mia, id: "s-mia" } }),
      );
      const targets = (entries: { target: string; at: string }[]) => entries.map((e) => `${e.target}@${e.at}`);

      const all = await audit.listAudit({ limit: 10 });
      expect(all.map((e) => e.storeId)).toEqual(["store-2", undefined, undefined, "store-2", "store-1"]);
      expect(targets(await audit.listAudit({ storeIds: ["store-2"], limit: 10 }))).toEqual([
        `terminal:b2@${iso(T0 + 4)}`,
        `terminal:b1@${iso(T0 + 1)}`,
      ]);
      // A manager of store 1: its entries and the deployment-wide ones they made, not anna's nor store 2's.
      expect(
        targets(
          await audit.listAudit({
            storeIds: ["store-1"],
            orDeploymentWideBy: { type: "staff", id: "s-mia" },
            limit: 10,
          }),
        ),
      ).toEqual([`settings@${iso(T0 + 3)}`, `sale:x@${iso(T0)}`]);
      expect(await audit.listAudit({ storeIds: [], limit: 10 })).toEqual([]);
      expect(
        targets(
          await audit.listAudit({ storeIds: [], orDeploymentWideBy: { type: "api-key", id: "s-mia" }, limit: 10 }),
        ),
      ).toEqual([]);
      expect(await audit.listAudit({ storeIds: ["store-1", "store-2"], saleId: "sale_a", limit: 10 })).toHaveLength(1);
    });

    it("gives the entries written before migration 17 the store of their sale, terminal, close or store", async () => {
      const { database: old, raw, yes } = await databaseAtVersion(context, 16);
      await raw.exec(`INSERT INTO stores (id, name, msn, currency, time_zone, language, created_at, updated_at)
        VALUES ('store-2', 'Bergen', '654321', 'NOK', 'Europe/Oslo', 'nb', '${iso(T0)}', '${iso(T0)}')`);
      await raw.exec(`INSERT INTO terminals (id, name, pos_id, language, currency, display_token, created_at, chime, store_id)
        VALUES ('pos-1', 'Counter 1', 'pos-1', 'nb', 'NOK', 'tok-1', '${iso(T0)}', ${yes}, 'store-1'),
               ('b-1', 'Bergen 1', 'b-1', 'nb', 'NOK', 'tok-2', '${iso(T0)}', ${yes}, 'store-2')`);
      await raw.exec(`INSERT INTO sales (id, terminal_id, receipt_number, currency, amount, description, lines, state,
          auto_capture, current_attempt_id, attempt_count, created_at, updated_at, receipt_id, store_id)
        VALUES ('sale-b', 'b-1', 'R-1', 'NOK', 5000, 'Kaffe', '[]', 'captured', ${yes}, 'sale-b-a1', 1,
          '${iso(T0)}', '${iso(T0)}', 'receipt-b', 'store-2')`);
      await raw.exec(`INSERT INTO terminal_closes (id, terminal_id, number, opened_at, closed_at, report)
        VALUES ('close-b', 'b-1', 1, '${iso(T0)}', '${iso(T0)}', '{}')`);
      const row = (target: string, saleId: string | null = null) =>
        `('${iso(T0)}', 'x', 'staff', 's1', 'anna', '${target}', ${saleId ? `'${saleId}'` : "NULL"}, '10.0.0.1')`;
      await raw.exec(`INSERT INTO audit_log (at, action, actor_type, actor_id, actor_name, target, sale_id, address)
        VALUES ${[
          row("sale:sale-b", "sale-b"),
          row("terminal:b-1"),
          row("terminal:pos-1"),
          row("close:close-b"),
          row("store:store-2"),
          row("settings"),
          row("staff:mia"),
          row("terminal:gone"),
          row("sale:gone", "gone"),
        ].join(", ")}`);

      const store = await old.open();
      context.opened.push(store);
      const entries = await store.audit.listAudit({ limit: 20 });
      expect(Object.fromEntries(entries.map((e) => [e.target, e.storeId ?? null]))).toEqual({
        "sale:sale-b": "store-2",
        "terminal:b-1": "store-2",
        "terminal:pos-1": "store-1",
        "close:close-b": "store-2",
        "store:store-2": "store-2",
        settings: null,
        "staff:mia": null,
        "terminal:gone": null,
        "sale:gone": null,
      });
    });
  });
});
