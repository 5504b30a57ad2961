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

/**
 * How the file is laid out. "csv" is RFC 4180 as a program reads it. "excel" is what Excel in a
 * Nordic locale opens in columns on a double-click: ";" between cells (its list separator there),
 * decimal commas, and a UTF-8 byte order mark, without which it reads "ø" as two letters.
 */
export type CsvFormat = "csv" | "excel";

export function csvRow(values: unknown[], format: CsvFormat = "csv"): string {
  if (format === "csv") return `${values.map(csvField).join(",")}\r\n`;
  const cells = values.map((value) => (value instanceof CsvNumber ? value.text.replace(".", ",") : csvField(value)));
  return `${cells.join(";")}\r\n`;
}

/** What a file in `format` starts with: the byte order mark for Excel. */
export const csvPreamble = (format: CsvFormat) => (format === "excel" ? "\uFEFF" : "");

/** Minor units as a decimal number with two digits, for spreadsheets. */
export const decimalAmount = (minor: number) => new CsvNumber((minor / 100).toFixed(2));

/** A VAT rate in basis points as a percentage: 2500 → 25, 2550 → 25.5 (Finland's rate). */
export const percentOfBasisPoints = (basisPoints: number) =>
  new CsvNumber(String(Number((basisPoints / 100).toFixed(2))));
