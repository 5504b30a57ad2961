/** RFC 4180 field quoting, plus a guard against spreadsheet formula injection from product names. */
export function csvField(value: unknown): string {
  let text = value === undefined || value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** Minor units as a decimal string with two digits, for spreadsheets. */
export const decimalAmount = (minor: number) => (minor / 100).toFixed(2);
