/**
 * The sessions repository's slice of the store conformance suite, on SQLite and PostgreSQL: a
 * session ended through one instance is gone for every other.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { StaffSession } from "@/lib/entities/staff";
import { conformance, iso, T0 } from "../support/store-conformance";

const session = (id: string, extra: Partial<StaffSession> = {}): StaffSession => ({
  id,
  tokenHash: `hash-${id}`,
  staffId: "s1",
  device: "Mozilla/5.0",
  address: "192.168.1.20",
  createdAt: iso(T0),
  lastSeenAt: iso(T0),
  expiresAt: iso(T0 + 3_600_000),
  endedAt: null,
  ...extra,
});

conformance("Sessions repository", (context) => {
  beforeEach(async () => {
    for (const [id, username] of [
      ["s1", "anna"],
      ["s2", "ola"],
    ] as const) {
      await context.store.staff.insertStaff({
        ...{ id, username, name: username, role: "cashier", storeIds: [] },
        ...{ passwordHash: null, pinHash: null, pinFailures: 0, pinLockedAt: null },
        ...{ createdAt: iso(T0), updatedAt: iso(T0) },
      });
    }
  });

  describe("sessions", () => {
    it("finds a live session by its token hash, lists live ones newest first, and ends them on every instance", async () => {
      const sessions = context.store.sessions;
      const other = (await context.another()).sessions;
      await sessions.insertSession(session("a"));
      await sessions.insertSession(session("b", { createdAt: iso(T0 + 1000) }));
      await sessions.insertSession(session("old", { expiresAt: iso(T0 + 10) }));
      await sessions.insertSession(session("c", { staffId: "s2" }));
      expect(await other.getSessionByTokenHash("hash-a")).toEqual(session("a"));
      expect((await sessions.listLiveSessions("s1", iso(T0 + 100))).map((s) => s.id)).toEqual(["b", "a"]);

      expect(await other.endSession("a", iso(T0 + 200))).toBe(true);
      expect(await other.endSession("a", iso(T0 + 300))).toBe(false);
      expect(await sessions.getSessionByTokenHash("hash-a")).toBeUndefined();
      expect((await sessions.getSession("a"))?.endedAt).toBe(iso(T0 + 200));

      await sessions.insertSession(session("d", { createdAt: iso(T0 + 2000) }));
      expect(await other.endSessionsOf("s1", iso(T0 + 400), "d")).toBe(2);
      expect((await sessions.listLiveSessions("s1", iso(T0 + 100))).map((s) => s.id)).toEqual(["d"]);
      expect((await sessions.listLiveSessions("s2", iso(T0 + 100))).map((s) => s.id)).toEqual(["c"]);
    });

    it("tells whether the member opened a session from an address since a time, ended ones too", async () => {
      const sessions = context.store.sessions;
      const other = (await context.another()).sessions;
      await sessions.insertSession(session("a", { createdAt: iso(T0 + 1000), endedAt: iso(T0 + 2000) }));
      expect(await other.hasSessionFrom("s1", "192.168.1.20", iso(T0 + 1000))).toBe(true);
      expect(await other.hasSessionFrom("s1", "192.168.1.20", iso(T0 + 1001))).toBe(false);
      expect(await other.hasSessionFrom("s1", "192.168.1.21", iso(T0))).toBe(false);
      expect(await other.hasSessionFrom("s2", "192.168.1.20", iso(T0))).toBe(false);
    });

    it("moves lastSeenAt on only when it is older than asked", async () => {
      const sessions = context.store.sessions;
      await sessions.insertSession(session("a"));
      await sessions.touchSession("a", iso(T0 + 30_000), iso(T0 - 30_000));
      expect((await sessions.getSession("a"))?.lastSeenAt).toBe(iso(T0));
      await sessions.touchSession("a", iso(T0 + 61_000), iso(T0 + 1_000));
      expect((await sessions.getSession("a"))?.lastSeenAt).toBe(iso(T0 + 61_000));
    });
  });
});
