import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_SESSION_COOKIE, readSessionToken } from "@/lib/auth/admin-session";
import {
  claimPairing,
  createPairing,
  DEVICE_COOKIE_MAX_AGE_S,
  deviceCookie,
  DISPLAY_DEVICE_COOKIE,
  generatePairingCode,
  hashDeviceToken,
  normalizePairingCode,
  PAIRING_ALPHABET,
  PAIRING_CODE_LENGTH,
  PAIRING_TTL_MS,
  pairDisplay,
} from "@/lib/display/pairing";
import type { Terminal } from "@/lib/sales/types";
import { memoryStoreWithDatabase, type TestStore } from "../support/memory-store";
import { DisplayAccess } from "@/lib/display/display-access";

// Display access on an in-memory store: the real checks, without starting the app.
const fake = {
  runtime: {
    store: undefined as unknown as TestStore,
    clock: { now: (): number => 0 },
    secrets: { sessionSecret: "session-secret-for-tests" },
  },
};
const SIGNED_IN_TOKEN = "a-signed-in-staff-token";
const access = () =>
  new DisplayAccess({
    counters: fake.runtime.store,
    clock: fake.runtime.clock,
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    // Staff sessions are AdminAccess's business (admin-access.test.ts); here one token stands for a signed-in member.
    isCashier: async (request) => readSessionToken(request) === SIGNED_IN_TOKEN,
    secureCookies: false,
  });
const authorizeDisplay = (request: Request, terminalId: string) => access().authorize(request, terminalId);
const pairedTerminalOf = (request: Request) =>
  access()
    .pairedTerminalOf(request)
    .catch(() => undefined);

const NOW = Date.parse("2026-03-02T08:00:00.000Z");
const terminal = (id: string): Terminal => ({
  id,
  name: `Counter ${id}`,
  posId: id,
  language: "nb",
  currency: "NOK",
  displayToken: `display-token-${id}`,
  createdAt: "2026-01-01T00:00:00.000Z",
});

let store: TestStore;
let database: Database.Database;

beforeEach(async () => {
  ({ store, database } = await memoryStoreWithDatabase());
  await store.saveTerminal(terminal("pos-1"));
  await store.saveTerminal(terminal("pos-2"));
  fake.runtime.store = store;
  fake.runtime.clock.now = () => NOW;
});

afterEach(async () => {
  await store.close();
});

/** Every row of a table, for checking what is really on disk. */
function rows(table: string): Record<string, unknown>[] {
  return database.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
}

/** Pairs a fresh display to `terminalId` and collects its token, as the two halves do. */
async function pairedDevice(terminalId: string) {
  const { id, code } = await createPairing(store, NOW);
  const paired = await pairDisplay(store, terminalId, code, NOW + 1_000);
  if (!paired.ok) throw new Error(`pairing failed: ${paired.reason}`);
  const claimed = await claimPairing(store, id, NOW + 2_000);
  if (claimed?.status !== "paired" || !claimed.deviceToken) throw new Error("no device token");
  return { deviceId: paired.deviceId, token: claimed.deviceToken };
}

describe("pairing codes", () => {
  it("are six characters from an alphabet without look-alikes", () => {
    expect(PAIRING_CODE_LENGTH).toBe(6);
    expect(new Set(PAIRING_ALPHABET).size).toBe(PAIRING_ALPHABET.length);
    for (const lookAlike of "0O1IL5S2Z8B") expect(PAIRING_ALPHABET).not.toContain(lookAlike);
    const pattern = new RegExp(`^[${PAIRING_ALPHABET}]{${PAIRING_CODE_LENGTH}}$`);
    const used = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const code = generatePairingCode();
      expect(code).toMatch(pattern);
      for (const char of code) used.add(char);
    }
    // 12 000 draws from 25 letters: every letter shows up unless the generator is biased.
    expect([...used].sort().join("")).toBe([...PAIRING_ALPHABET].sort().join(""));
  });

  it("are normalized from what a cashier types", () => {
    expect(normalizePairingCode("acd-efg")).toBe("ACDEFG");
    expect(normalizePairingCode(" ac d\tefg ")).toBe("ACDEFG");
    expect(normalizePairingCode("ACDEFG")).toBe("ACDEFG");
  });
});

describe("createPairing", () => {
  it("stores a waiting pairing that expires ten minutes later", async () => {
    const pairing = await createPairing(store, NOW);
    expect(PAIRING_TTL_MS).toBe(10 * 60 * 1000);
    expect(pairing.expiresAt).toBe(new Date(NOW + PAIRING_TTL_MS).toISOString());
    expect(await store.getPairing(pairing.id)).toEqual({
      id: pairing.id,
      code: pairing.code,
      expiresAt: pairing.expiresAt,
    });
    expect((await store.getPairingByCode(pairing.code))?.id).toBe(pairing.id);
  });

  it("gives each display its own id and code", async () => {
    const a = await createPairing(store, NOW);
    const b = await createPairing(store, NOW);
    expect(a.id).not.toBe(b.id);
    expect(a.code).not.toBe(b.code);
  });
});

describe("expiry", () => {
  it("a display's pairing waits until ten minutes have passed, then is expired", async () => {
    const { id, expiresAt } = await createPairing(store, NOW);
    expect(await claimPairing(store, id, NOW + PAIRING_TTL_MS - 1)).toEqual({ status: "waiting", expiresAt });
    expect(await claimPairing(store, id, NOW + PAIRING_TTL_MS)).toEqual({ status: "expired" });
  });

  it("an expired code cannot be paired, and no device is created", async () => {
    const { code } = await createPairing(store, NOW);
    expect(await pairDisplay(store, "pos-1", code, NOW + PAIRING_TTL_MS)).toEqual({ ok: false, reason: "expired" });
    expect(rows("display_devices")).toHaveLength(0);
  });

  it("a code entered just before expiry still pairs", async () => {
    const { code } = await createPairing(store, NOW);
    expect((await pairDisplay(store, "pos-1", code, NOW + PAIRING_TTL_MS - 1)).ok).toBe(true);
  });
});

describe("pairing through the store", () => {
  it("binds the display to the terminal and hands the token out exactly once", async () => {
    const { id, code } = await createPairing(store, NOW);
    const typed = `${code.slice(0, 3).toLowerCase()}-${code.slice(3).toLowerCase()}`;
    const paired = await pairDisplay(store, "pos-1", typed, NOW + 5_000, "Counter screen");
    expect(paired).toEqual({ ok: true, deviceId: expect.any(String) });

    const first = await claimPairing(store, id, NOW + 6_000);
    expect(first).toEqual({ status: "paired", terminalId: "pos-1", deviceToken: expect.any(String) });
    const token = (first as { deviceToken: string }).deviceToken;
    expect(token.length).toBeGreaterThanOrEqual(43);

    const device = await store.getDeviceByTokenHash(hashDeviceToken(token));
    expect(device).toEqual({
      id: (paired as { deviceId: string }).deviceId,
      terminalId: "pos-1",
      tokenHash: hashDeviceToken(token),
      label: "Counter screen",
      createdAt: new Date(NOW + 5_000).toISOString(),
      revokedAt: undefined,
    });

    // Polling again (or a second tab with the same pairing id) learns the terminal but not the token.
    expect(await claimPairing(store, id, NOW + 7_000)).toEqual({ status: "paired", terminalId: "pos-1" });
    expect(await store.getPairing(id)).toMatchObject({
      terminalId: "pos-1",
      deviceToken: undefined,
      claimedAt: new Date(NOW + 6_000).toISOString(),
    });
  });

  it("uses a code once: a second cashier entering it is told it is unknown", async () => {
    const { code } = await createPairing(store, NOW);
    expect((await pairDisplay(store, "pos-1", code, NOW + 1_000)).ok).toBe(true);
    expect(await pairDisplay(store, "pos-2", code, NOW + 2_000)).toEqual({ ok: false, reason: "unknown-code" });
    expect(await pairDisplay(store, "pos-1", code, NOW + 2_000)).toEqual({ ok: false, reason: "unknown-code" });
    expect(rows("display_devices")).toHaveLength(1);
  });

  it("refuses a code no display shows", async () => {
    await createPairing(store, NOW);
    expect(await pairDisplay(store, "pos-1", "XXXXXX", NOW)).toEqual({ ok: false, reason: "unknown-code" });
  });

  it("knows nothing of an unknown pairing id", async () => {
    expect(await claimPairing(store, "no-such-pairing", NOW)).toBeUndefined();
  });

  it("stores the device token only as its SHA-256 hash once the display has collected it", async () => {
    const { id, code } = await createPairing(store, NOW);
    await pairDisplay(store, "pos-1", code, NOW + 1_000);
    const claimed = (await claimPairing(store, id, NOW + 2_000)) as { deviceToken: string };
    const token = claimed.deviceToken;

    const [device] = rows("display_devices");
    expect(device!.token_hash).toBe(createHash("sha256").update(token).digest("hex"));
    for (const table of ["display_devices", "display_pairings"]) {
      expect(JSON.stringify(rows(table))).not.toContain(token);
    }
    expect(await store.getDeviceByTokenHash(token)).toBeUndefined();
  });
});

describe("device cookie", () => {
  it("is HttpOnly, SameSite=Lax, lasts a year and is Secure only over https", () => {
    const plain = deviceCookie("tok", false).split("; ");
    expect(plain[0]).toBe(`${DISPLAY_DEVICE_COOKIE}=tok`);
    expect(plain).toEqual(
      expect.arrayContaining(["Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${DEVICE_COOKIE_MAX_AGE_S}`]),
    );
    expect(DEVICE_COOKIE_MAX_AGE_S).toBe(365 * 24 * 60 * 60);
    expect(plain).not.toContain("Secure");
    expect(deviceCookie("tok", true).split("; ")).toContain("Secure");
  });
});

describe("display access with a device cookie", () => {
  const displayRequest = (terminalId: string, cookie?: string, query = "") =>
    new Request(`http://localhost/api/display/${terminalId}/stream${query}`, { headers: cookie ? { cookie } : {} });

  it("lets a paired display see its own terminal only", async () => {
    const { token } = await pairedDevice("pos-1");
    const cookie = `${DISPLAY_DEVICE_COOKIE}=${token}`;
    expect(await authorizeDisplay(displayRequest("pos-1", cookie), "pos-1")).toBe(true);
    expect(await authorizeDisplay(displayRequest("pos-2", cookie), "pos-2")).toBe(false);
    expect(await pairedTerminalOf(displayRequest("pos-1", cookie))).toBe("pos-1");
  });

  it("refuses a revoked device everywhere", async () => {
    const { token } = await pairedDevice("pos-1");
    const cookie = `other=1; ${DISPLAY_DEVICE_COOKIE}=${token}`;
    const device = (await store.getDeviceByTokenHash(hashDeviceToken(token)))!;
    await store.saveDevice({ ...device, revokedAt: new Date(NOW + 3_000).toISOString() });

    expect(await authorizeDisplay(displayRequest("pos-1", cookie), "pos-1")).toBe(false);
    expect(await pairedTerminalOf(displayRequest("pos-1", cookie))).toBeUndefined();
  });

  it("refuses a made-up or missing device cookie, but still honours the display link token and the cashier", async () => {
    await pairedDevice("pos-1");
    expect(await authorizeDisplay(displayRequest("pos-1", `${DISPLAY_DEVICE_COOKIE}=made-up`), "pos-1")).toBe(false);
    expect(await authorizeDisplay(displayRequest("pos-1"), "pos-1")).toBe(false);
    expect(await pairedTerminalOf(displayRequest("pos-1"))).toBeUndefined();

    expect(await authorizeDisplay(displayRequest("pos-1", undefined, "?token=display-token-pos-1"), "pos-1")).toBe(
      true,
    );
    expect(await authorizeDisplay(displayRequest("pos-2", undefined, "?token=display-token-pos-1"), "pos-2")).toBe(
      false,
    );
    expect(await authorizeDisplay(displayRequest("pos-2", `${ADMIN_SESSION_COOKIE}=${SIGNED_IN_TOKEN}`), "pos-2")).toBe(
      true,
    );
  });
});
