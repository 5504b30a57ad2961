/**
 * The staff repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL: members, their PIN lock, and enrolled tills.
 */
import { describe, expect, it } from "vitest";
import type { StaffMember } from "@/lib/entities/staff";
import { conformance, iso, T0 } from "../support/store-conformance";

const member = (id: string, username: string, extra: Partial<StaffMember> = {}): StaffMember => ({
  id,
  username,
  name: `Name ${username}`,
  role: "cashier",
  storeIds: ["store-1"],
  passwordHash: null,
  pinHash: "pin-hash",
  pinFailures: 0,
  pinLockedAt: null,
  createdAt: iso(T0),
  updatedAt: iso(T0),
  ...extra,
});

conformance("Staff repository", (context) => {
  describe("staff", () => {
    it("inserts, refuses a taken username, reads by id and username, lists by username, updates and deletes", async () => {
      const staff = context.store.staff;
      expect(await staff.insertStaff(member("s1", "petter", { storeIds: ["store-1", "store-2"] }))).toBe(true);
      expect(await staff.insertStaff(member("s2", "anna", { role: "manager" }))).toBe(true);
      expect(await staff.insertStaff(member("s3", "anna"))).toBe(false);
      expect(await staff.getStaff("s1")).toEqual(member("s1", "petter", { storeIds: ["store-1", "store-2"] }));
      expect((await staff.getStaffByUsername("anna"))?.role).toBe("manager");
      expect((await staff.listStaff()).map((m) => m.username)).toEqual(["anna", "petter"]);

      const renamed = member("s1", "petter", { name: "Petter P", passwordHash: "argon", updatedAt: iso(T0 + 1) });
      expect(await staff.updateStaff(renamed)).toBe(true);
      expect(await staff.getStaff("s1")).toEqual(renamed);
      expect(await staff.updateStaff(member("nobody", "nobody"))).toBe(false);

      expect(await staff.deleteStaff("s1")).toBe(true);
      expect(await staff.deleteStaff("s1")).toBe(false);
      expect(await staff.getStaff("s1")).toBeUndefined();
    });

    it("counts wrong PINs across instances and locks at the limit; a right one starts the count again", async () => {
      const [a, b] = [context.store.staff, (await context.another()).staff];
      await a.insertStaff(member("s1", "anna"));
      await Promise.all([1, 2, 3, 4].map((i) => (i % 2 ? a : b).recordPinFailure("s1", 5, iso(T0 + i))));
      expect(await a.getStaff("s1")).toMatchObject({ pinFailures: 4, pinLockedAt: null });
      await a.clearPinFailures("s1");
      for (let i = 0; i < 5; i++) await b.recordPinFailure("s1", 5, iso(T0 + 100 + i));
      expect(await a.getStaff("s1")).toMatchObject({ pinFailures: 5, pinLockedAt: iso(T0 + 104) });
      // The lock keeps its first time.
      expect(await b.recordPinFailure("s1", 5, iso(T0 + 999))).toMatchObject({ pinLockedAt: iso(T0 + 104) });
      expect(await a.recordPinFailure("nobody", 5, iso(T0))).toBeUndefined();
    });

    it("deleting a member ends their sessions with them", async () => {
      const { staff, sessions } = context.store;
      await staff.insertStaff(member("s1", "anna"));
      await sessions.insertSession({
        id: "ses1",
        tokenHash: "h1",
        staffId: "s1",
        device: "till",
        address: "10.0.0.1",
        createdAt: iso(T0),
        lastSeenAt: iso(T0),
        expiresAt: iso(T0 + 60_000),
        endedAt: null,
      });
      await staff.deleteStaff("s1");
      expect(await sessions.getSessionByTokenHash("h1")).toBeUndefined();
    });
  });

  describe("till devices", () => {
    it("saves, reads, lists oldest first, and keeps the first revocation", async () => {
      const staff = context.store.staff;
      const till = { id: "till_a", label: "Counter 1", enrolledBy: "owner", createdAt: iso(T0), revokedAt: null };
      await staff.saveTillDevice(till);
      await staff.saveTillDevice({ ...till, id: "till_b", label: "Counter 2", createdAt: iso(T0 + 1) });
      expect(await staff.getTillDevice("till_a")).toEqual(till);
      await staff.saveTillDevice({ ...till, revokedAt: iso(T0 + 5) });
      await staff.saveTillDevice({ ...till, revokedAt: iso(T0 + 9) });
      expect((await staff.getTillDevice("till_a"))?.revokedAt).toBe(iso(T0 + 5));
      expect((await staff.listTillDevices()).map((t) => t.id)).toEqual(["till_a", "till_b"]);
      expect(await staff.getTillDevice("nope")).toBeUndefined();
    });
  });
});
