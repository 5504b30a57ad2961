import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, SIMULATOR_DEMO_CREDENTIALS } from "@/lib/config";

describe("configuration", () => {
  it("defaults to the embedded simulator with the demo credentials", () => {
    const config = loadConfig({});
    expect(config.vippsEnv).toBe("simulator");
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe("http://localhost:3000");
    expect(config.vipps.baseUrl).toBe("http://127.0.0.1:3000/sim");
    expect(config.vipps.clientId).toBe(SIMULATOR_DEMO_CREDENTIALS.clientId);
    expect(config.dataDir).toBe("./data");
  });

  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ VIPPS_ENV: "staging" })).toThrow(/VIPPS_ENV/);
    expect(() => loadConfig({ PUBLIC_URL: "ftp://x" })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ VIPPS_MSN: "12" })).toThrow(/VIPPS_MSN/);
  });

  it("requires all four credentials for the real API and points at the right host", () => {
    try {
      loadConfig({ VIPPS_ENV: "test", VIPPS_CLIENT_ID: "id" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((issue) => issue.variable)).toEqual([
        "VIPPS_CLIENT_SECRET",
        "VIPPS_SUBSCRIPTION_KEY",
        "VIPPS_MSN",
      ]);
    }
    const full = { VIPPS_CLIENT_ID: "id", VIPPS_CLIENT_SECRET: "s", VIPPS_SUBSCRIPTION_KEY: "k", VIPPS_MSN: "654321" };
    expect(loadConfig({ ...full, VIPPS_ENV: "test" }).vipps.baseUrl).toBe("https://apitest.vipps.no");
    expect(loadConfig({ ...full, VIPPS_ENV: "production" }).vipps.baseUrl).toBe("https://api.vipps.no");
    expect(
      loadConfig({ ...full, VIPPS_ENV: "production", VIPPS_BASE_URL: "https://proxy.example/" }).vipps.baseUrl,
    ).toBe("https://proxy.example");
  });

  it("turns the simulator's test controls on only with KASSA_SIMULATOR_CONTROLS=on", () => {
    expect(loadConfig({}).simulatorControls).toBe(false);
    expect(loadConfig({ KASSA_SIMULATOR_CONTROLS: "" }).simulatorControls).toBe(false);
    expect(loadConfig({ KASSA_SIMULATOR_CONTROLS: "off" }).simulatorControls).toBe(false);
    expect(loadConfig({ KASSA_SIMULATOR_CONTROLS: "on" }).simulatorControls).toBe(true);
    for (const bad of ["true", "1", "ON", "yes"]) {
      try {
        loadConfig({ KASSA_SIMULATOR_CONTROLS: bad });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).issues).toEqual([
          { variable: "KASSA_SIMULATOR_CONTROLS", reason: 'must be "on" or "off"' },
        ]);
      }
    }
  });

  it("takes DATABASE_URL only as a postgres:// or postgresql:// URL, and SQLite without it", () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: "" }).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: "postgres://kassa:pw@db:5432/kassa" }).databaseUrl).toBe(
      "postgres://kassa:pw@db:5432/kassa",
    );
    expect(loadConfig({ DATABASE_URL: "postgresql://db.internal/kassa?sslmode=require" }).databaseUrl).toBe(
      "postgresql://db.internal/kassa?sslmode=require",
    );
    for (const bad of [
      "mysql://kassa:hunter2@db/kassa",
      "sqlite:///data/kassa.sqlite",
      "http://db/kassa",
      "db:5432/kassa",
    ]) {
      try {
        loadConfig({ DATABASE_URL: bad });
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).issues).toEqual([
          { variable: "DATABASE_URL", reason: "must be a postgres:// or postgresql:// URL" },
        ]);
        expect(String(error)).not.toContain("hunter2");
      }
    }
  });

  it("switches the wallet brand on 12 January 2027 unless KASSA_BRAND_SWITCH_AT says when, with its offset", () => {
    expect(new Date(loadConfig({}).brandSwitchAtMs).toISOString()).toBe("2027-01-11T23:00:00.000Z");
    expect(loadConfig({ KASSA_BRAND_SWITCH_AT: "2026-12-01T08:00:00Z" }).brandSwitchAtMs).toBe(
      Date.parse("2026-12-01T08:00:00Z"),
    );
    expect(() => loadConfig({ KASSA_BRAND_SWITCH_AT: "2027-01-12" })).toThrow(/KASSA_BRAND_SWITCH_AT/);
    expect(() => loadConfig({ KASSA_BRAND_SWITCH_AT: "2027-01-12T00:00:00" })).toThrow(/KASSA_BRAND_SWITCH_AT/);
  });

  it("never puts a secret in the error message", () => {
    try {
      loadConfig({ VIPPS_ENV: "production", VIPPS_CLIENT_SECRET: "super-secret-value", VIPPS_MSN: "x" });
    } catch (error) {
      expect(String(error)).not.toContain("super-secret-value");
    }
  });
});

describe("isConfigError", () => {
  it("knows a configuration error by its brand, also a copy from another module instance, and nothing else by its message", async () => {
    const { isConfigError } = await import("@/lib/config");
    let thrown: unknown;
    try {
      loadConfig({ PORT: "99999" });
    } catch (error) {
      thrown = error;
    }
    expect(isConfigError(thrown)).toBe(true);
    // What another bundle's copy of the class would make: same brand, another prototype.
    expect(isConfigError({ ...(thrown as object), [Symbol.for("kassa-display.config-error")]: true })).toBe(true);
    expect(isConfigError(new Error("Invalid configuration: PORT must be a number"))).toBe(false);
    expect(isConfigError(undefined)).toBe(false);
  });
});
