import "server-only";

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * An instant as the shop's wall clock shows it ("2026-12-06 14:03:12", which spreadsheets read as
 * a date and time) and the offset from UTC then ("UTC+01:00"): with the offset the hour that repeats
 * when summer time ends is still unambiguous.
 */
export function shopLocalTime(iso: string, timeZone: string): { dateTime: string; offset: string } {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  // "UTC+01:00", not "+01:00": a cell starting with "+" is a formula to a spreadsheet.
  const offset = `UTC${(parts.timeZoneName ?? "GMT").replace("GMT", "") || "+00:00"}`;
  return {
    dateTime: `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`,
    offset,
  };
}
