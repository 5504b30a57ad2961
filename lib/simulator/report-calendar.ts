/**
 * Ledger dates of the simulated Report API. A ledger date runs from one cut-off to the next in the
 * merchant's time zone (midnight to midnight by default; Vipps can configure e.g. 04:00 to 04:00), so
 * it is computed from the wall-clock time in Europe/Oslo, not from UTC: a capture at 00:30 Oslo time
 * in summer is 22:30 UTC the day before, and belongs to the new date.
 *
 * Dates are "YYYY-MM-DD" strings throughout, which sort and compare as text in calendar order.
 */

export const LEDGER_TIME_ZONE = "Europe/Oslo";

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const CUTOFF_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Formatting is the expensive part of Intl; one formatter serves every call.
const wallFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: LEDGER_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(ms: number): WallTime {
  const parts: Record<string, number> = {};
  for (const part of wallFormat.formatToParts(new Date(ms))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const pad = (value: number, length = 2) => String(value).padStart(length, "0");
const formatDate = (year: number, month: number, day: number) => `${pad(year, 4)}-${pad(month)}-${pad(day)}`;

/** A real calendar date in YYYY-MM-DD form (2026-02-30 is not). */
export function isLedgerDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** "HH:MM" (00:00 to 23:59) as minutes after local midnight, or undefined if malformed. */
export function cutoffMinutes(cutoff: string): number | undefined {
  const match = CUTOFF_PATTERN.exec(cutoff);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return formatDate(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
}

/** The ledger date an instant belongs to, for a cut-off given as minutes after local midnight. */
export function ledgerDateAt(ms: number, cutoff: number): string {
  const wall = wallTime(ms);
  const date = formatDate(wall.year, wall.month, wall.day);
  // Before the cut-off, the wall-clock day still belongs to the previous ledger date.
  return wall.hour * 60 + wall.minute < cutoff ? addDays(date, -1) : date;
}

/** How far Oslo's wall clock is ahead of UTC at this instant, in ms. */
function offsetAt(ms: number): number {
  const wall = wallTime(ms);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a ledger date closes: the cut-off on the next wall-clock day. Found by correcting a
 * UTC guess with the offset in force then, twice, since the first correction can cross a DST change.
 * A cut-off inside the spring-forward gap (02:00-03:00) comes out an hour later, as a wall clock would.
 */
export function closesAt(date: string, cutoff: number): number {
  const [year, month, day] = addDays(date, 1).split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(year, month - 1, day, Math.floor(cutoff / 60), cutoff % 60);
  const first = guess - offsetAt(guess);
  const second = guess - offsetAt(first);
  return second;
}
