// The circuit in front of Vipps' create call: three failures in a minute (one inside the Monday
// maintenance window) stop new sales at once; one probe every ten seconds finds Vipps again.
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/log";
import {
  inMaintenanceWindow,
  OUTAGE_WINDOW_MS,
  PROBE_EVERY_MS,
  VippsAvailability,
} from "@/lib/sales/vipps-availability";
import { FrozenClock } from "../support/frozen-clock";

// A Wednesday noon in Oslo, and a Monday 02:30 in Oslo (01:30 UTC in winter).
const WEDNESDAY = Date.parse("2026-12-09T11:00:00Z");
const MONDAY_NIGHT = Date.parse("2026-12-07T01:30:00Z");

function circuit(atMs: number) {
  const clock = new FrozenClock(atMs);
  const changes: boolean[] = [];
  const availability = new VippsAvailability({
    clock,
    log: createLogger("error"),
    onChange: () => changes.push(availability.status().available),
  });
  return { clock, availability, changes };
}

describe("Vipps availability", () => {
  it("knows the maintenance window in Oslo time, summer and winter", () => {
    expect(inMaintenanceWindow(MONDAY_NIGHT)).toBe(true);
    expect(inMaintenanceWindow(Date.parse("2026-12-07T04:30:00Z"))).toBe(false); // 05:30 in Oslo
    expect(inMaintenanceWindow(Date.parse("2026-06-08T00:30:00Z"))).toBe(true); // 02:30 CEST
    expect(inMaintenanceWindow(Date.parse("2026-06-08T03:30:00Z"))).toBe(false); // 05:30 CEST
    expect(inMaintenanceWindow(WEDNESDAY)).toBe(false);
  });

  it("opens after three failures within a minute, not after three spread wider, and an answer clears the count", () => {
    const { clock, availability, changes } = circuit(WEDNESDAY);
    availability.recordFailure();
    clock.ms = WEDNESDAY + OUTAGE_WINDOW_MS;
    availability.recordFailure();
    availability.recordAnswer();
    availability.recordFailure();
    availability.recordFailure();
    expect(availability.status().available).toBe(true);
    availability.recordFailure();
    expect(availability.status()).toEqual({
      available: false,
      since: new Date(WEDNESDAY + OUTAGE_WINDOW_MS).toISOString(),
    });
    expect(changes).toEqual([false]);
  });

  it("inside the maintenance window opens on the first failure", () => {
    const { availability } = circuit(MONDAY_NIGHT);
    availability.recordFailure();
    expect(availability.status().available).toBe(false);
  });

  it("while out refuses creates with the seconds to the next probe, lets one probe through each period, and closes when Vipps answers", () => {
    const { clock, availability, changes } = circuit(MONDAY_NIGHT);
    availability.recordFailure();
    expect(availability.admit()).toEqual({ admitted: false, retryAfterSeconds: PROBE_EVERY_MS / 1000 });
    clock.ms = MONDAY_NIGHT + PROBE_EVERY_MS;
    expect(availability.admit()).toEqual({ admitted: true });
    expect(availability.admit()).toMatchObject({ admitted: false });
    availability.recordFailure(); // the probe failed too: still out, the next probe a period later
    expect(availability.status().available).toBe(false);
    clock.ms = MONDAY_NIGHT + 2 * PROBE_EVERY_MS;
    expect(availability.admit()).toEqual({ admitted: true });
    availability.recordAnswer();
    expect(availability.status()).toEqual({ available: true });
    expect(availability.admit()).toEqual({ admitted: true });
    expect(changes).toEqual([false, true]);
  });
});
