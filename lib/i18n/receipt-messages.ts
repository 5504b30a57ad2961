import type { Language } from "@/lib/entities/terminal";

/**
 * The words of the customer's receipt page (/r/{id}), in the language of the terminal the sale was
 * made at. Rendered on the server: none of this reaches the display's bundle.
 */
export interface ReceiptMessages {
  title: string;
  organisationNumber: string;
  date: string;
  terminal: string;
  saleNumber: string;
  posReference: string;
  item: string;
  quantity: string;
  amount: string;
  total: string;
  vatRate: string;
  vatBase: string;
  vat: string;
  paymentMethod: string;
  vippsReference: string;
  refunds: string;
  refundedTotal: string;
  notFound: string;
  notFoundHint: string;
}

const nb: ReceiptMessages = {
  title: "Kvittering for betaling",
  organisationNumber: "Org.nr.",
  date: "Dato og tid",
  terminal: "Terminal",
  saleNumber: "Salgsnummer",
  posReference: "Kassens referanse",
  item: "Vare",
  quantity: "Antall",
  amount: "Beløp",
  total: "Totalt",
  vatRate: "MVA-sats",
  vatBase: "Grunnlag",
  vat: "MVA",
  paymentMethod: "Betalt med",
  vippsReference: "Vipps-referanse",
  refunds: "Tilbakebetalt",
  refundedTotal: "Tilbakebetalt i alt",
  notFound: "Fant ingen kvittering",
  notFoundHint: "Sjekk lenken, eller spør i kassen.",
};

const da: ReceiptMessages = {
  title: "Kvittering for betaling",
  organisationNumber: "CVR-nr.",
  date: "Dato og tid",
  terminal: "Terminal",
  saleNumber: "Salgsnummer",
  posReference: "Kassens reference",
  item: "Vare",
  quantity: "Antal",
  amount: "Beløb",
  total: "I alt",
  vatRate: "Momssats",
  vatBase: "Grundlag",
  vat: "Moms",
  paymentMethod: "Betalt med",
  vippsReference: "Vipps-reference",
  refunds: "Refunderet",
  refundedTotal: "Refunderet i alt",
  notFound: "Ingen kvittering fundet",
  notFoundHint: "Tjek linket, eller spørg ved kassen.",
};

const fi: ReceiptMessages = {
  title: "Maksukuitti",
  organisationNumber: "Y-tunnus",
  date: "Päivä ja aika",
  terminal: "Pääte",
  saleNumber: "Myyntinumero",
  posReference: "Kassan viite",
  item: "Tuote",
  quantity: "Määrä",
  amount: "Summa",
  total: "Yhteensä",
  vatRate: "ALV-kanta",
  vatBase: "Veroton",
  vat: "ALV",
  paymentMethod: "Maksutapa",
  vippsReference: "Vipps-viite",
  refunds: "Palautettu",
  refundedTotal: "Palautettu yhteensä",
  notFound: "Kuittia ei löytynyt",
  notFoundHint: "Tarkista linkki tai kysy kassalta.",
};

const sv: ReceiptMessages = {
  title: "Kvitto för betalning",
  organisationNumber: "Org.nr",
  date: "Datum och tid",
  terminal: "Terminal",
  saleNumber: "Försäljningsnummer",
  posReference: "Kassans referens",
  item: "Vara",
  quantity: "Antal",
  amount: "Belopp",
  total: "Totalt",
  vatRate: "Momssats",
  vatBase: "Underlag",
  vat: "Moms",
  paymentMethod: "Betalt med",
  vippsReference: "Vipps-referens",
  refunds: "Återbetalt",
  refundedTotal: "Återbetalt totalt",
  notFound: "Inget kvitto hittades",
  notFoundHint: "Kontrollera länken eller fråga i kassan.",
};

const en: ReceiptMessages = {
  title: "Payment receipt",
  organisationNumber: "Org. no.",
  date: "Date and time",
  terminal: "Terminal",
  saleNumber: "Sale number",
  posReference: "POS reference",
  item: "Item",
  quantity: "Qty",
  amount: "Amount",
  total: "Total",
  vatRate: "VAT rate",
  vatBase: "Net",
  vat: "VAT",
  paymentMethod: "Paid with",
  vippsReference: "Vipps reference",
  refunds: "Refunded",
  refundedTotal: "Refunded in all",
  notFound: "No receipt found",
  notFoundHint: "Check the link, or ask at the counter.",
};

export const RECEIPT_MESSAGES: Record<Language, ReceiptMessages> = { nb, da, fi, sv, en };

/** The locale numbers and dates are written in, per language. */
export const RECEIPT_LOCALES: Record<Language, string> = {
  nb: "nb-NO",
  da: "da-DK",
  fi: "fi-FI",
  sv: "sv-SE",
  en: "en-GB",
};
