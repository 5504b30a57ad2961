import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { StoreScope } from "@/lib/auth/store-scope";
import { staffAccess, TEST_API_KEY } from "../support/staff-access";
import type { Services } from "@/lib/runtime";
import { deviceView, TerminalService } from "@/lib/terminals/terminal-service";
import type { Terminal } from "@/lib/sales/types";
import { memoryStore, type TestStore } from "../support/memory-store";
import type { DisplayDevice } from "@/lib/entities/display";

const terminal = (id: string): Terminal => ({
  id,
  name: `Counter ${id}`,
  posId: id,
  language: "nb",
  currency: "NOK",
  displayToken: `display-token-${id}`,
  createdAt: "2026-01-01T00:00:00.000Z",
});

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

// The route handlers ask the composition root for their services; stand-ins built on an in-memory
// store keep the real one (store on disk, background workers) from starting.
const NOW = Date.parse("2026-03-02T12:00:00.000Z");
const fake = vi.hoisted(() => ({ services: undefined as unknown }));
vi.mock("@/lib/runtime", () => ({ getServices: async () => fake.services }));

const devicesRoute = await import("@/app/api/v1/terminals/[id]/devices/route");
const deviceRoute = await import("@/app/api/v1/terminals/[id]/devices/[deviceId]/route");

let store: TestStore;
let ownerCookie: string;
let audited: unknown[][];

beforeEach(async () => {
  store = await memoryStore();
  audited = [];
  await store.saveTerminal(terminal("pos-1"));
  await store.saveTerminal(terminal("pos-2"));
  const clock = { now: () => NOW };
  const log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  const access = staffAccess(store.repositories, { clock });
  ownerCookie = await access.cookieFor(await access.addStaff("owner", "owner"));
  fake.services = {
    log,
    admin: access.admin,
    scope: new StoreScope({ counters: store, sales: store }),
    audit: { record: async (...entry: unknown[]) => void audited.push(entry) } as unknown as Services["audit"],
    terminals: new TerminalService({
      counters: store,
      sales: store,
      clock,
      log,
      publicUrl: "http://kassa.test",
      terminalChanged: async () => {},
    }),
  } satisfies Partial<Services>;
});

afterEach(async () => {
  await store.close();
});

describe("listDevices", () => {
  it("is empty before anything is paired", async () => {
    expect(await store.listDevices()).toEqual([]);
    expect(await store.listDevices("pos-1")).toEqual([]);
  });

  it("lists a terminal's devices oldest first, and all devices without a terminal", async () => {
    await store.saveDevice(device("d-late", "pos-1", "2026-03-02T10:00:00.000Z"));
    await store.saveDevice(device("d-other", "pos-2", "2026-03-02T09:30:00.000Z"));
    await store.saveDevice(device("d-early", "pos-1", "2026-03-02T09:00:00.000Z"));
    await store.saveDevice(
      device("d-revoked", "pos-1", "2026-03-02T09:15:00.000Z", { revokedAt: "2026-03-02T09:20:00.000Z" }),
    );

    expect((await store.listDevices("pos-1")).map((d) => d.id)).toEqual(["d-early", "d-revoked", "d-late"]);
    expect((await store.listDevices("pos-2")).map((d) => d.id)).toEqual(["d-other"]);
    expect((await store.listDevices()).map((d) => d.id)).toEqual(["d-early", "d-revoked", "d-other", "d-late"]);
    expect(await store.listDevices("no-such-terminal")).toEqual([]);
  });

  it("returns devices whole, with revokedAt undefined while active", async () => {
    const active = device("d-1", "pos-1", "2026-03-02T09:00:00.000Z");
    await store.saveDevice(active);
    expect(await store.listDevices("pos-1")).toEqual([{ ...active, revokedAt: undefined }]);
  });
});

describe("revokeDevice", () => {
  it("marks the device revoked, so the token lookup shows it and the list keeps it", async () => {
    await store.saveDevice(device("d-1", "pos-1", "2026-03-02T09:00:00.000Z"));
    await store.saveDevice(device("d-2", "pos-1", "2026-03-02T09:05:00.000Z"));

    expect(await store.revokeDevice("d-1", "2026-03-02T11:00:00.000Z")).toBe(true);

    expect((await store.getDeviceByTokenHash("hash-of-d-1"))?.revokedAt).toBe("2026-03-02T11:00:00.000Z");
    expect((await store.getDeviceByTokenHash("hash-of-d-2"))?.revokedAt).toBeUndefined();
    expect((await store.listDevices("pos-1")).map((d) => [d.id, d.revokedAt])).toEqual([
      ["d-1", "2026-03-02T11:00:00.000Z"],
      ["d-2", undefined],
    ]);
  });

  it("is false for an unknown device and changes nothing", async () => {
    await store.saveDevice(device("d-1", "pos-1", "2026-03-02T09:00:00.000Z"));
    expect(await store.revokeDevice("nope", "2026-03-02T11:00:00.000Z")).toBe(false);
    expect((await store.listDevices())[0]?.revokedAt).toBeUndefined();
  });

  it("keeps the first revocation time when revoked again", async () => {
    await store.saveDevice(device("d-1", "pos-1", "2026-03-02T09:00:00.000Z"));
    expect(await store.revokeDevice("d-1", "2026-03-02T11:00:00.000Z")).toBe(true);
    expect(await store.revokeDevice("d-1", "2026-03-02T12:00:00.000Z")).toBe(true);
    expect((await store.getDeviceByTokenHash("hash-of-d-1"))?.revokedAt).toBe("2026-03-02T11:00:00.000Z");
  });

  it("stays revoked when the fresh row is saved again", async () => {
    // saveDevice overwrites revoked_at, so callers must save a fresh copy, never a stale one.
    const original = device("d-1", "pos-1", "2026-03-02T09:00:00.000Z");
    await store.saveDevice(original);
    await store.revokeDevice("d-1", "2026-03-02T11:00:00.000Z");
    const fresh = (await store.getDeviceByTokenHash("hash-of-d-1"))!;
    await store.saveDevice({ ...fresh, label: "Renamed" });
    expect(await store.getDeviceByTokenHash("hash-of-d-1")).toMatchObject({
      label: "Renamed",
      revokedAt: "2026-03-02T11:00:00.000Z",
    });
  });
});

describe("deviceView", () => {
  it("shows id, label and times, never the token hash", () => {
    const active = device("d-1", "pos-1", "2026-03-02T09:00:00.000Z");
    expect(deviceView(active)).toEqual({
      id: "d-1",
      label: "Display d-1",
      createdAt: "2026-03-02T09:00:00.000Z",
      revokedAt: null,
    });
    expect(deviceView({ ...active, revokedAt: "2026-03-02T11:00:00.000Z" }).revokedAt).toBe("2026-03-02T11:00:00.000Z");
    expect(JSON.stringify(deviceView(active))).not.toContain("hash-of-d-1");
  });
});

describe("device routes", () => {
  const asCashier = () => ({ cookie: ownerCookie });
  const list = (terminalId: string, headers: Record<string, string> = asCashier()) =>
    devicesRoute.GET(new Request(`http://localhost/api/v1/terminals/${terminalId}/devices`, { headers }), {
      params: Promise.resolve({ id: terminalId }),
    });
  const revoke = (terminalId: string, deviceId: string, headers: Record<string, string> = asCashier()) =>
    deviceRoute.DELETE(
      new Request(`http://localhost/api/v1/terminals/${terminalId}/devices/${deviceId}`, { method: "DELETE", headers }),
      { params: Promise.resolve({ id: terminalId, deviceId }) },
    );

  beforeEach(async () => {
    await store.saveDevice(device("d-1", "pos-1", "2026-03-02T09:00:00.000Z"));
    await store.saveDevice(device("d-2", "pos-2", "2026-03-02T09:05:00.000Z"));
  });

  it("lists a terminal's devices without their token hashes", async () => {
    const response = await list("pos-1");
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      items: [{ id: "d-1", label: "Display d-1", createdAt: "2026-03-02T09:00:00.000Z", revokedAt: null }],
    });
    expect(text).not.toContain("hash-of");
  });

  it("accepts the API key as well as the cashier's session, and nothing else", async () => {
    expect((await list("pos-1", { authorization: `Bearer ${TEST_API_KEY}` })).status).toBe(200);
    expect((await list("pos-1", { authorization: "Bearer wrong" })).status).toBe(401);
    const anonymous = await list("pos-1", {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
    expect((await revoke("pos-1", "d-1", {})).status).toBe(401);
    expect((await store.listDevices("pos-1"))[0]?.revokedAt).toBeUndefined();
  });

  it("is 404 for an unknown terminal", async () => {
    const response = await list("no-such-terminal");
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
  });

  it("revokes with 204 and then lists the device as revoked", async () => {
    const response = await revoke("pos-1", "d-1");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect((await store.getDeviceByTokenHash("hash-of-d-1"))?.revokedAt).toBe(new Date(NOW).toISOString());
    const listed = (await (await list("pos-1")).json()) as { items: { revokedAt: string | null }[] };
    expect(listed.items[0]?.revokedAt).toBe(new Date(NOW).toISOString());
  });

  it("is 404 for an unknown device or another terminal's, and revokes nothing", async () => {
    const unknown = await revoke("pos-1", "nope");
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toBe("application/problem+json");
    expect((await revoke("pos-1", "d-2")).status).toBe(404);
    expect((await revoke("no-such-terminal", "d-1")).status).toBe(404);
    expect((await store.listDevices()).every((d) => d.revokedAt === undefined)).toBe(true);
  });

  const rename = (terminalId: string, deviceId: string, body: unknown, headers: Record<string, string> = asCashier()) =>
    deviceRoute.PATCH(
      new Request(`http://localhost/api/v1/terminals/${terminalId}/devices/${deviceId}`, {
        method: "PATCH",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      }),
      { params: Promise.resolve({ id: terminalId, deviceId }) },
    );

  it("renames a paired display (trimmed), lists it by the new name and records it in the audit", async () => {
    const response = await rename("pos-1", "d-1", { label: "  Screen by the door  " });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: "d-1",
      label: "Screen by the door",
      createdAt: "2026-03-02T09:00:00.000Z",
      revokedAt: null,
    });
    const listed = (await (await list("pos-1")).json()) as { items: { label: string }[] };
    expect(listed.items.map((d) => d.label)).toEqual(["Screen by the door"]);
    expect(audited).toEqual([
      [
        expect.objectContaining({ type: "staff" }),
        expect.anything(),
        "terminal.rename-display",
        "terminal:pos-1",
        { detail: { deviceId: "d-1", label: "Screen by the door" } },
      ],
    ]);
  });

  it.each([
    ["empty", { label: "   " }, "label"],
    ["61 characters", { label: "x".repeat(61) }, "label"],
    ["a line break", { label: "Door\nscreen" }, "label"],
    ["no label", {}, "label"],
    ["an unknown field", { label: "Door", revokedAt: null }, ""],
  ])("refuses %s with a problem+json 400 and renames nothing", async (_what, body, field) => {
    const response = await rename("pos-1", "d-1", body);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const problem = (await response.json()) as { errors?: { field: string }[] };
    if (field) expect(problem.errors?.map((error) => error.field)).toContain(field);
    expect((await store.listDevices("pos-1"))[0]?.label).toBe("Display d-1");
    expect(audited).toEqual([]);
  });

  it("takes 60 visible characters", async () => {
    expect((await rename("pos-1", "d-1", { label: "é".repeat(60) })).status).toBe(200);
    expect((await store.listDevices("pos-1"))[0]?.label).toBe("é".repeat(60));
  });

  it("is 404 for another terminal's device or an unknown one, 401 without a session, and renames nothing", async () => {
    expect((await rename("pos-1", "d-2", { label: "Mine now" })).status).toBe(404);
    expect((await rename("pos-1", "nope", { label: "Mine now" })).status).toBe(404);
    expect((await rename("pos-1", "d-1", { label: "Mine now" }, {})).status).toBe(401);
    expect((await store.listDevices()).map((d) => d.label)).toEqual(["Display d-1", "Display d-2"]);
  });

  it("keeps a revoked display revoked when it is renamed", async () => {
    await store.revokeDevice("d-1", "2026-03-02T11:00:00.000Z");
    expect((await rename("pos-1", "d-1", { label: "Old screen" })).status).toBe(200);
    expect(await store.getDeviceByTokenHash("hash-of-d-1")).toMatchObject({
      label: "Old screen",
      revokedAt: "2026-03-02T11:00:00.000Z",
    });
  });
});
