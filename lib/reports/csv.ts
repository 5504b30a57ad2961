/**
 * CSV for the shop's books, written for the spreadsheet that will open it, not only for RFC 4180.
 *
 * Every text cell is quoted: Excel in Nordic locales splits on ";" (its list separator), so an
 * unquoted `Kaffe;=1+1` would become two cells, the second a formula. Quoting keeps it one cell.
 * A text cell that a spreadsheet would read as a formula (first visible character = + - @, or a
 * leading tab or CR) gets a leading `'`, which makes it plain text. Amounts from decimalAmount and
 * plain numbers are written unquoted so that they stay numbers.
 */

/** An amount as a decimal string, marked so that csvField writes it as a number, not as text. */
export class CsvNumber {
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

// Leading whitespace does not stop a spreadsheet from evaluating what follows it, and some
// spreadsheets also take the full-width forms (＝ ＋ － ＠) as the operators.
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20])/;

export function csvField(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (value instanceof CsvNumber) return value.text;
  if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "bigint") return String(value);
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** Minor units as a decimal number with two digits, for spreadsheets. */
export const decimalAmount = (minor: number) => new CsvNumber((minor / 100).toFixed(2));
