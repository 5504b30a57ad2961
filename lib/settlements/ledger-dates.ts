/** Calendar dates (YYYY-MM-DD) as a ledger counts them, in a named time zone (the shop's). */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in the time zone. */
export function dateIn(ms: number, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, format);
  }
  return format.format(new Date(ms));
}

/** The date `days` after (or before) a date; calendar arithmetic, no time zone involved. */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

export const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));
