/**
 * The counters repository's slice of the store conformance suite (tests/support/store-conformance.ts),
 * on SQLite and PostgreSQL: terminals, live carts, display devices, pairings and presence.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { DisplayDevice, DisplayPresenceSeen } from "@/lib/entities/display";
import type { CountersRepository } from "@/lib/store/repositories";
import { conformance, iso, T0, terminal } from "../support/store-conformance";

conformance("Counters repository", (context) => {
  let store: CountersRepository;
  beforeEach(() => {
    store = context.store.counters;
  });
  /** The counters of another app instance on the same database. */
  const another = async () => (await context.another()).counters;

  describe("terminals", () => {
    it("lists by creation time and finds by id and display token", async () => {
      await store.saveTerminal(terminal("t0", { createdAt: iso(T0 - 1000) }));
      expect((await store.listTerminals()).map((t) => t.id)).toEqual(["t0", "t1", "t2"]);
      expect(await store.getTerminal("t1")).toEqual(terminal("t1"));
      expect((await store.getTerminalByDisplayToken("token-t2"))?.id).toBe("t2");
      expect(await store.getTerminal("nope")).toBeUndefined();
      expect(await store.getTerminalByDisplayToken("nope")).toBeUndefined();
    });

    it("saveTerminal updates the details but keeps the stored display token", async () => {
      await store.saveTerminal(
        terminal("t1", {
          name: "Kassa 1",
          language: "en",
          currency: "EUR",
          posId: "pos-a",
          displayToken: "stale-token",
        }),
      );
      expect(await store.getTerminal("t1")).toEqual(
        terminal("t1", { name: "Kassa 1", language: "en", currency: "EUR", posId: "pos-a" }),
      );
      expect(await store.getTerminalByDisplayToken("stale-token")).toBeUndefined();
    });

    it("keeps whether the display chimes, on unless turned off", async () => {
      await store.saveTerminal(terminal("t1", { chime: false }));
      expect((await store.getTerminal("t1"))?.chime).toBe(false);
      await store.saveTerminal(terminal("t1", { chime: true }));
      expect((await store.getTerminal("t1"))?.chime).toBe(true);
      const { chime: _omitted, ...withoutChime } = terminal("t4");
      await store.saveTerminal(withoutChime);
      expect((await store.getTerminal("t4"))?.chime).toBe(true);
    });

    it("insertTerminal is false for a taken id and changes nothing", async () => {
      expect(await store.insertTerminal(terminal("t3"))).toBe(true);
      expect(await store.insertTerminal(terminal("t3", { name: "Other", displayToken: "token-other" }))).toBe(false);
      expect((await store.getTerminal("t3"))?.name).toBe("Counter t3");
    });

    it("setDisplayToken replaces the link; false for an unknown terminal", async () => {
      expect(await store.setDisplayToken("t1", "fresh-token")).toBe(true);
      expect(await store.getTerminalByDisplayToken("token-t1")).toBeUndefined();
      expect((await store.getTerminalByDisplayToken("fresh-token"))?.id).toBe("t1");
      expect(await store.setDisplayToken("nope", "x")).toBe(false);
    });
  });

  describe("display presence and live carts", () => {
    const seen = (displayId: string, atMs: number, extra: Partial<DisplayPresenceSeen> = {}): DisplayPresenceSeen => ({
      displayId,
      terminalId: "t1",
      kind: "link",
      userAgent: "Kiosk/1.0",
      screen: "1080x1920",
      atMs,
      ...extra,
    });

    it("records displays seen across instances, newest first, keeps the screen an empty report does not know, and marks disconnects", async () => {
      const other = await another();
      await store.recordDisplaySeen(seen("d1", T0), 10);
      await other.recordDisplaySeen(seen("d2", T0 + 2_000, { kind: "paired", terminalId: "t1" }), 10);
      await store.recordDisplaySeen(seen("d3", T0 + 1_000, { terminalId: "t2" }), 10);
      await other.recordDisplaySeen(seen("d1", T0 + 3_000, { screen: "" }), 10);
      expect(await store.listDisplayPresence("t1", 0)).toEqual([
        {
          displayId: "d1",
          terminalId: "t1",
          kind: "link",
          userAgent: "Kiosk/1.0",
          screen: "1080x1920",
          connectedAt: iso(T0),
          lastSeenAtMs: T0 + 3_000,
        },
        {
          displayId: "d2",
          terminalId: "t1",
          kind: "paired",
          userAgent: "Kiosk/1.0",
          screen: "1080x1920",
          connectedAt: iso(T0 + 2_000),
          lastSeenAtMs: T0 + 2_000,
        },
      ]);
      expect((await store.listDisplayPresence("t1", T0 + 2_500)).map((p) => p.displayId)).toEqual(["d1"]);
      await other.recordDisplayDisconnected("d1", T0 + 4_000);
      expect((await store.listDisplayPresence("t1", 0))[0]).toMatchObject({
        displayId: "d1",
        disconnectedAtMs: T0 + 4_000,
      });
      // Back again: connected from now, no longer disconnected.
      await store.recordDisplaySeen(seen("d1", T0 + 9_000), 10);
      const back = (await store.listDisplayPresence("t1", 0))[0]!;
      expect(back).toMatchObject({ displayId: "d1", connectedAt: iso(T0 + 9_000), lastSeenAtMs: T0 + 9_000 });
      expect(back.disconnectedAtMs).toBeUndefined();
      expect(await store.pruneDisplayPresence(T0 + 5_000)).toBe(2);
      expect(await store.listDisplayPresence("t2", 0)).toEqual([]);
    });

    it("keeps only the most recently seen displays of a terminal, dropping the oldest, and leaves other terminals alone", async () => {
      const other = await another();
      await store.recordDisplaySeen(seen("other-terminal", T0, { terminalId: "t2" }), 3);
      for (let i = 0; i < 8; i++) await (i % 2 ? other : store).recordDisplaySeen(seen(`fake-${i}`, T0 + i * 10), 3);
      expect((await store.listDisplayPresence("t1", 0)).map((p) => p.displayId)).toEqual([
        "fake-7",
        "fake-6",
        "fake-5",
      ]);
      // A display seen again moves to the front and survives the next newcomer.
      await store.recordDisplaySeen(seen("fake-5", T0 + 100), 3);
      await other.recordDisplaySeen(seen("newcomer", T0 + 110), 3);
      expect((await store.listDisplayPresence("t1", 0)).map((p) => p.displayId)).toEqual([
        "newcomer",
        "fake-5",
        "fake-7",
      ]);
      expect((await store.listDisplayPresence("t2", 0)).map((p) => p.displayId)).toEqual(["other-terminal"]);
    });

    it("keeps one cart per terminal, replaced whole, and clears it", async () => {
      const other = await another();
      expect(await store.getCart("t1")).toBeUndefined();
      await store.saveCart("t1", { currency: "NOK", lines: [{ name: "Kaffe", quantity: 1 }] }, iso(T0));
      await other.saveCart("t1", { currency: "NOK", lines: [] }, iso(T0 + 1_000));
      expect(await store.getCart("t1")).toEqual({ cart: { currency: "NOK", lines: [] }, updatedAt: iso(T0 + 1_000) });
      expect(await other.clearCart("t1")).toBe(true);
      expect(await store.clearCart("t1")).toBe(false);
      expect(await store.getCart("t1")).toBeUndefined();
    });
  });

  describe("display devices and pairings", () => {
    const device = (
      id: string,
      terminalId: string,
      createdAt: string,
      extra: Partial<DisplayDevice> = {},
    ): DisplayDevice => ({
      id,
      terminalId,
      tokenHash: `hash-of-${id}`,
      label: `Display ${id}`,
      createdAt,
      ...extra,
    });

    it("lists devices oldest first, per terminal or all, revoked ones included", async () => {
      expect(await store.listDevices()).toEqual([]);
      await store.saveDevice(device("d-late", "t1", iso(T0 + 3000)));
      await store.saveDevice(device("d-other", "t2", iso(T0 + 2000)));
      await store.saveDevice(device("d-early", "t1", iso(T0)));
      await store.saveDevice(device("d-revoked", "t1", iso(T0 + 1000), { revokedAt: iso(T0 + 1500) }));
      expect((await store.listDevices("t1")).map((d) => d.id)).toEqual(["d-early", "d-revoked", "d-late"]);
      expect((await store.listDevices()).map((d) => d.id)).toEqual(["d-early", "d-revoked", "d-other", "d-late"]);
      expect(await store.listDevices("t9")).toEqual([]);
      expect((await store.listDevices("t2"))[0]).toEqual({
        ...device("d-other", "t2", iso(T0 + 2000)),
        revokedAt: undefined,
      });
    });

    it("renames a device and nothing else, and is false for an unknown one", async () => {
      await store.saveDevice(device("d1", "t1", iso(T0), { revokedAt: iso(T0 + 500) }));
      await store.saveDevice(device("d2", "t1", iso(T0 + 1000)));
      expect(await store.renameDevice("nope", "Anything")).toBe(false);
      expect(await store.renameDevice("d1", "Screen by the door")).toBe(true);
      expect(await store.listDevices("t1")).toEqual([
        { ...device("d1", "t1", iso(T0), { revokedAt: iso(T0 + 500) }), label: "Screen by the door" },
        { ...device("d2", "t1", iso(T0 + 1000)), revokedAt: undefined },
      ]);
    });

    it("revokes once, keeps the first time, finds by token hash, and keeps the revocation on a fresh save", async () => {
      await store.saveDevice(device("d1", "t1", iso(T0)));
      expect(await store.revokeDevice("nope", iso(T0 + 1))).toBe(false);
      expect(await store.revokeDevice("d1", iso(T0 + 1000))).toBe(true);
      expect(await store.revokeDevice("d1", iso(T0 + 2000))).toBe(true);
      expect((await store.getDeviceByTokenHash("hash-of-d1"))?.revokedAt).toBe(iso(T0 + 1000));
      const fresh = (await store.getDeviceByTokenHash("hash-of-d1"))!;
      await store.saveDevice({ ...fresh, label: "Renamed", tokenHash: "ignored-on-update" });
      expect(await store.getDeviceByTokenHash("hash-of-d1")).toMatchObject({
        label: "Renamed",
        revokedAt: iso(T0 + 1000),
      });
      expect(await store.getDeviceByTokenHash("nope")).toBeUndefined();
    });

    it("finds the newest unclaimed pairing by code and records its claim", async () => {
      await store.savePairing({ id: "p-old", code: "ABCD23", expiresAt: iso(T0 + 1000) });
      await store.savePairing({ id: "p-new", code: "ABCD23", expiresAt: iso(T0 + 5000) });
      await store.savePairing({ id: "p-x", code: "ZZZZ99", expiresAt: iso(T0 + 9000) });
      expect(await store.getPairingByCode("ABCD23")).toEqual({
        id: "p-new",
        code: "ABCD23",
        expiresAt: iso(T0 + 5000),
        terminalId: undefined,
        deviceToken: undefined,
        claimedAt: undefined,
      });
      await store.savePairing({
        id: "p-new",
        code: "ABCD23",
        expiresAt: iso(T0 + 5000),
        terminalId: "t1",
        deviceToken: "device-token",
      });
      expect((await store.getPairingByCode("ABCD23"))?.id).toBe("p-old");
      expect(await store.getPairing("p-new")).toMatchObject({
        terminalId: "t1",
        deviceToken: "device-token",
        claimedAt: undefined,
      });
      await store.savePairing({
        id: "p-new",
        code: "ABCD23",
        expiresAt: iso(T0 + 5000),
        terminalId: "t1",
        claimedAt: iso(T0 + 100),
      });
      expect(await store.getPairing("p-new")).toMatchObject({
        terminalId: "t1",
        deviceToken: undefined,
        claimedAt: iso(T0 + 100),
      });
      expect(await store.getPairingByCode("NONE00")).toBeUndefined();
      expect(await store.getPairing("nope")).toBeUndefined();
    });

    it("deletes pairings that ran out unused, and keeps live and completed ones", async () => {
      await store.savePairing({ id: "p-stale", code: "ABCD23", expiresAt: iso(T0 + 1000) });
      await store.savePairing({ id: "p-live", code: "EFGH34", expiresAt: iso(T0 + 9000) });
      await store.savePairing({
        id: "p-done",
        code: "JKMN46",
        expiresAt: iso(T0 + 1000),
        terminalId: "t1",
        claimedAt: iso(T0 + 500),
      });
      expect(await store.pruneExpiredPairings(iso(T0 + 2000))).toBe(1);
      expect(await store.getPairing("p-stale")).toBeUndefined();
      expect(await store.getPairing("p-live")).toBeDefined();
      expect(await store.getPairing("p-done")).toBeDefined();
    });
  });
});
