import { describe, expect, it } from "vitest";
import type { Principal } from "@/lib/entities/principal";
import { SalesWindow } from "@/lib/staff/sales-window";

// 2026-12-05 14:30 in Oslo (UTC+1): the shop's midnight was 2026-12-04T23:00Z.
const NOW = Date.parse("2026-12-05T13:30:00.000Z");
const MIDNIGHT = "2026-12-04T23:00:00.000Z";
const window = new SalesWindow({ clock: { now: () => NOW }, timeZone: async () => "Europe/Oslo" });
const staff = (role: "owner" | "manager" | "cashier"): Principal => ({
  type: "staff",
  id: "s",
  username: "u",
  role,
  storeIds: ["store-1"],
  sessionId: "ses",
  device: "till",
});

describe("a cashier's sales window", () => {
  it("starts a cashier's lists at the shop's midnight, however early they ask", async () => {
    expect(await window.clamp(staff("cashier"), {})).toEqual({ from: MIDNIGHT });
    expect(await window.clamp(staff("cashier"), { from: "2026-01-01T00:00:00Z", state: "captured" })).toEqual({
      from: MIDNIGHT,
      state: "captured",
    });
    expect(await window.clamp(staff("cashier"), { from: "2026-12-05T09:00:00Z" })).toEqual({
      from: "2026-12-05T09:00:00Z",
    });
  });

  it("leaves everyone else's query as it is", async () => {
    expect(await window.clamp(staff("manager"), {})).toEqual({});
    expect(await window.clamp(staff("owner"), { from: "2026-01-01T00:00:00Z" })).toEqual({
      from: "2026-01-01T00:00:00Z",
    });
    const key: Principal = { type: "api-key", id: "k", name: "POS", scopes: ["sales:read"], storeIds: null };
    expect(await window.clamp(key, {})).toEqual({});
  });
});
