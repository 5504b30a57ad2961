import { type CsvFormat, csvPreamble, csvRow, decimalAmount, percentOfBasisPoints } from "@/lib/reports/csv";
import type { SettlementEntry } from "@/lib/entities/settlement";
import type { SaleForSettlement } from "./reconcile";

/** The export's columns, in order; README.md's "Settlement export" documents each. */
export const SETTLEMENT_CSV_COLUMNS = [
  "row_type",
  "ledger_date",
  "payout_date",
  "currency",
  "sale_id",
  "receipt_number",
  "reference",
  "psp_reference",
  "entry_type",
  "line",
  "quantity",
  "vat_rate_percent",
  "base",
  "vat",
  "amount",
  "fee_share",
] as const;

/** Splits `total` over `weights` in proportion, by largest remainder, so the parts add up to it exactly. */
export function shares(total: number, weights: readonly number[]): number[] {
  const whole = weights.reduce((sum, weight) => sum + weight, 0);
  if (whole === 0) return weights.map((_, index) => (index === 0 ? total : 0));
  const exact = weights.map((weight) => (total * weight) / whole);
  const parts = exact.map((value) => Math.trunc(value));
  let left = total - parts.reduce((sum, part) => sum + part, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: Math.abs(value - Math.trunc(value)) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  const step = Math.sign(left);
  for (let i = 0; left !== 0; i = (i + 1) % order.length) {
    parts[order[i]!.index]! += step;
    left -= step;
  }
  return parts;
}

/**
 * The settlement export: one row per line of each sale whose capture is on these ledger dates
 * (with the line's VAT, the sale's fee shared over its lines, and the ledger date's payout date),
 * and the ledger's own rows: refunds, fees, payouts, entries of other types, and captures of no
 * sale. Per ledger date, `amount` adds up to what the ledger moved: its captures less refunds,
 * fees and payouts. A captured sale not (yet) in the ledger is listed with no ledger date.
 */
export function settlementCsv(
  data: {
    entries: readonly SettlementEntry[];
    sales: readonly SaleForSettlement[];
    saleEntries: readonly SettlementEntry[];
    payoutDates: ReadonlyMap<string, string>;
    from: string;
    to: string;
  },
  format: CsvFormat = "csv",
): string {
  let body = csvPreamble(format) + csvRow([...SETTLEMENT_CSV_COLUMNS], format);
  const payoutOf = (entry: SettlementEntry) => data.payoutDates.get(`${entry.ledgerId}|${entry.ledgerDate}`) ?? "";
  const entryRow = (rowType: string, entry: SettlementEntry, sale?: SaleForSettlement) =>
    csvRow(
      [
        rowType,
        entry.ledgerDate,
        payoutOf(entry),
        entry.currency,
        sale?.sale.id ?? "",
        sale?.sale.receiptNumber ?? "",
        entry.reference ?? sale?.reference ?? "",
        entry.pspReference,
        entry.entryType,
        "",
        "",
        "",
        "",
        "",
        decimalAmount(entry.amount),
        "",
      ],
      format,
    );
  const saleById = new Map(data.sales.map((sale) => [sale.sale.id, sale]));

  for (const settled of [...data.sales].sort((a, b) => a.sale.createdAt.localeCompare(b.sale.createdAt))) {
    const { sale, reference } = settled;
    const own = data.saleEntries.filter((entry) => entry.saleId === sale.id && entry.topic === "funds");
    const capture = own.find((entry) => entry.kind === "capture");
    const inRange = capture ? capture.ledgerDate >= data.from && capture.ledgerDate <= data.to : true;
    if (!inRange) continue;
    const fee = 0 - own.filter((entry) => entry.kind === "fee").reduce((total, entry) => total + entry.amount, 0);
    // A sale made from an amount alone has no lines: one row carries it, without VAT.
    const lines =
      sale.lines.length > 0
        ? sale.lines
        : [{ name: sale.description, quantity: 1, taxRate: undefined, totalAmount: sale.amount, taxAmount: undefined }];
    const feeShares = shares(
      fee,
      lines.map((line) => line.totalAmount),
    );
    lines.forEach((line, index) => {
      body += csvRow(
        [
          "sale_line",
          capture?.ledgerDate ?? "",
          capture ? payoutOf(capture) : "",
          sale.currency,
          sale.id,
          sale.receiptNumber,
          reference,
          capture?.pspReference ?? "",
          capture?.entryType ?? "",
          line.name,
          line.quantity,
          line.taxRate === undefined ? "" : percentOfBasisPoints(line.taxRate),
          line.taxAmount === undefined ? "" : decimalAmount(line.totalAmount - line.taxAmount),
          line.taxAmount === undefined ? "" : decimalAmount(line.taxAmount),
          decimalAmount(line.totalAmount),
          decimalAmount(feeShares[index] ?? 0),
        ],
        format,
      );
    });
  }
  for (const entry of data.entries) {
    if (entry.topic !== "funds") continue;
    const sale = entry.saleId ? saleById.get(entry.saleId) : undefined;
    // A matched capture is there as its sale's lines; every other entry is a row of its own.
    if (entry.kind === "capture" && sale) continue;
    body += entryRow(entry.kind === "fee" ? "fee" : entry.kind, entry, sale);
  }
  return body;
}
