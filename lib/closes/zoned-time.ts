import "server-only";

/** Wall-clock times in a named time zone (the shop's), with the platform's own zone data (Intl). */

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function localParts(ms: number, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(ms);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return {
    year: value("year"),
    month: value("month"),
    day: value("day"),
    hour: value("hour"),
    minute: value("minute"),
  };
}

/** How far the zone's wall clock is ahead of UTC at `ms`, in milliseconds (whole minutes). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
}

/** The instant the zone's clocks show this date and time (in a spring-forward gap: the moment after it). */
export function zonedInstant(date: { year: number; month: number; day: number }, time: string, timeZone: string) {
  const [hour, minute] = time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  return Math.max(first, second);
}

/** The latest instant at or before `nowMs` when the zone's clocks showed `time` (HH:MM). */
export function latestAtOrBefore(time: string, timeZone: string, nowMs: number): number {
  const today = localParts(nowMs, timeZone);
  const candidate = zonedInstant(today, time, timeZone);
  if (candidate <= nowMs) return candidate;
  const yesterday = localParts(nowMs - 24 * 3_600_000, timeZone);
  return zonedInstant(yesterday, time, timeZone);
}

/** The next instant after `nowMs` when the zone's clocks show `time` (HH:MM). */
export function nextAfter(time: string, timeZone: string, nowMs: number): number {
  const today = localParts(nowMs, timeZone);
  const candidate = zonedInstant(today, time, timeZone);
  if (candidate > nowMs) return candidate;
  const tomorrow = localParts(nowMs + 24 * 3_600_000, timeZone);
  return zonedInstant(tomorrow, time, timeZone);
}
