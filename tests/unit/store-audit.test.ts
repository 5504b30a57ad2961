/** The audit repository's slice of the store conformance suite, on SQLite and PostgreSQL. */
import { describe, expect, it } from "vitest";
import type { NewAuditEntry } from "@/lib/entities/staff";
import { conformance, iso, T0 } from "../support/store-conformance";

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
