// Ledger dates of the simulated Report API: Oslo wall-clock days, cut by a configurable time, in winter and summer.
import { describe, expect, it } from "vitest";
import { addDays, closesAt, cutoffMinutes, isLedgerDate, ledgerDateAt } from "@/lib/simulator/report-calendar";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("ledger dates", () => {
  it("follow Oslo's wall clock, not UTC, in summer (UTC+2) and winter (UTC+1)", () => {
    expect(ledgerDateAt(at("2026-07-01T21:59:59Z"), 0)).toBe("2026-07-01");
    expect(ledgerDateAt(at("2026-07-01T22:00:00Z"), 0)).toBe("2026-07-02");
    expect(ledgerDateAt(at("2026-01-15T22:59:59Z"), 0)).toBe("2026-01-15");
    expect(ledgerDateAt(at("2026-01-15T23:00:00Z"), 0)).toBe("2026-01-16");
  });

  it("start at the cut-off: before 04:00, the night still belongs to the day before", () => {
    const four = cutoffMinutes("04:00")!;
    expect(four).toBe(240);
    expect(ledgerDateAt(at("2026-07-02T01:59:00Z"), four)).toBe("2026-07-01");
    expect(ledgerDateAt(at("2026-07-02T02:00:00Z"), four)).toBe("2026-07-02");
  });

  it("close at the next cut-off, across the changes to and from summer time", () => {
    expect(iso(closesAt("2026-07-01", 0))).toBe("2026-07-01T22:00:00.000Z");
    expect(iso(closesAt("2026-01-15", 0))).toBe("2026-01-15T23:00:00.000Z");
    // The last winter day and the last summer day.
    expect(iso(closesAt("2026-03-28", 0))).toBe("2026-03-28T23:00:00.000Z");
    expect(iso(closesAt("2026-10-24", 0))).toBe("2026-10-24T22:00:00.000Z");
    expect(iso(closesAt("2026-07-01", 240))).toBe("2026-07-02T02:00:00.000Z");
    // 02:30 does not exist on 29 March: the wall clock jumps to 03:30.
    expect(iso(closesAt("2026-03-28", 150))).toBe("2026-03-29T01:30:00.000Z");
    for (const date of ["2026-03-28", "2026-10-24", "2026-12-31"]) {
      expect(ledgerDateAt(closesAt(date, 0) - 1, 0)).toBe(date);
      expect(ledgerDateAt(closesAt(date, 0), 0)).toBe(addDays(date, 1));
    }
  });

  it("are real calendar dates; cut-offs are HH:MM from 00:00 to 23:59", () => {
    expect(isLedgerDate("2024-02-29")).toBe(true);
    expect(isLedgerDate("2026-02-29")).toBe(false);
    expect(isLedgerDate("2026-1-01")).toBe(false);
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(cutoffMinutes("23:59")).toBe(1439);
    expect(cutoffMinutes("24:00")).toBeUndefined();
    expect(cutoffMinutes("4:00")).toBeUndefined();
  });
});
