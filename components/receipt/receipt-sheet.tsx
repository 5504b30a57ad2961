import type { ReceiptMessages } from "@/lib/i18n/receipt-messages";
import type { ReceiptView } from "@/lib/receipts/receipt-service";
import { formatMoney } from "@/lib/sales/money";

/**
 * The customer's receipt, as a narrow sheet that reads on a phone and prints on a receipt roll:
 * the seller, when and where, the lines, VAT by rate, the total, how it was paid and any refunds.
 */
export function ReceiptSheet({
  receipt,
  messages: t,
  locale,
}: {
  receipt: ReceiptView;
  messages: ReceiptMessages;
  locale: string;
}) {
  const money = (value: number) => formatMoney(value, receipt.currency, locale);
  const when = (iso: string) =>
    new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "medium", timeZone: receipt.timeZone }).format(
      new Date(iso),
    );
  const percent = (rate: number) => `${(rate / 100).toLocaleString(locale)} %`;
  const { seller } = receipt;
  return (
    <article
      aria-labelledby="receipt-title"
      className="mx-auto w-full max-w-sm bg-white px-5 py-6 font-mono text-[13px] leading-snug text-black"
    >
      <header className="text-center">
        <h1 id="receipt-title" className="font-display text-lg font-bold">
          {seller.shopName}
        </h1>
        {seller.address ? <p>{seller.address}</p> : null}
        {seller.organisationNumber ? (
          <p>
            {t.organisationNumber} {seller.organisationNumber}
          </p>
        ) : null}
        <p className="mt-3 font-display text-base font-semibold">{t.title}</p>
      </header>

      <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-3 border-y border-dashed border-black py-2">
        <dt>{t.date}</dt>
        <dd className="text-right">{when(receipt.paidAt)}</dd>
        <dt>{t.terminal}</dt>
        <dd className="text-right">{receipt.terminal.name}</dd>
        <dt>{t.saleNumber}</dt>
        <dd className="text-right" data-testid="receipt-number">
          {receipt.receiptNumber}
        </dd>
        {receipt.posReference ? (
          <>
            <dt>{t.posReference}</dt>
            <dd className="text-right break-all" data-testid="pos-reference">
              {receipt.posReference}
            </dd>
          </>
        ) : null}
      </dl>

      <table className="mt-2 w-full border-collapse" data-testid="receipt-lines">
        <thead>
          <tr className="text-left">
            <th className="font-normal">{t.item}</th>
            <th className="text-right font-normal">{t.amount}</th>
          </tr>
        </thead>
        <tbody>
          {receipt.lines.map((line, index) => (
            <tr key={`${index}-${line.name}`} className="align-top">
              <td className="py-0.5 pr-2">
                {line.quantity > 1 ? `${line.quantity} × ` : ""}
                {line.name}
                {line.quantity > 1 ? <span className="block text-[11px]">à {money(line.unitPrice)}</span> : null}
              </td>
              <td className="py-0.5 text-right whitespace-nowrap">{money(line.totalAmount)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t border-black font-bold">
            <td className="pt-1">{t.total}</td>
            <td className="pt-1 text-right whitespace-nowrap" data-testid="receipt-total">
              {money(receipt.total)}
            </td>
          </tr>
        </tfoot>
      </table>

      <table className="mt-3 w-full border-collapse text-[12px]" data-testid="receipt-vat">
        <thead>
          <tr>
            <th className="text-left font-normal">{t.vatRate}</th>
            <th className="text-right font-normal">{t.vatBase}</th>
            <th className="text-right font-normal">{t.vat}</th>
          </tr>
        </thead>
        <tbody>
          {receipt.vat.map((line) => (
            <tr key={line.rate}>
              <td>{percent(line.rate)}</td>
              <td className="text-right">{money(line.base)}</td>
              <td className="text-right">{money(line.tax)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 border-t border-dashed border-black pt-2">
        <dt>{t.paymentMethod}</dt>
        <dd className="text-right">{receipt.paymentMethod}</dd>
        <dt className="col-span-2">{t.vippsReference}</dt>
        <dd className="col-span-2 text-right text-[12px] break-all">{receipt.vippsReference}</dd>
      </dl>

      {receipt.refunds.length > 0 ? (
        <section className="mt-3 border-t border-dashed border-black pt-2" data-testid="receipt-refunds">
          <h2 className="font-bold">{t.refunds}</h2>
          <ul>
            {receipt.refunds.map((refund, index) => (
              <li key={`${index}-${refund.at}`} className="flex justify-between gap-3">
                <span>{when(refund.at)}</span>
                <span>−{money(refund.amount)}</span>
              </li>
            ))}
          </ul>
          <p className="mt-1 flex justify-between font-bold">
            <span>{t.refundedTotal}</span>
            <span>−{money(receipt.refunded)}</span>
          </p>
        </section>
      ) : null}
    </article>
  );
}
