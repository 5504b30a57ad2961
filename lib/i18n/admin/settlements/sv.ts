import type english from "./en";

/** The Settlements page (sv). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  navSettlements: "Avräkningar",
  settlementsTitle: "Avräkningar",
  settlementsHint:
    "Det {vipps} har bokfört varje dag, från avräkningsrapporten (Report API), jämfört med försäljningen: vad som drogs och återbetalades, avgifterna och vad som betalades ut till banken.",
  settlementsChart: "De senaste 30 dagarna: draget, återbetalt, avgifter och utbetalt",
  settlementCaptured: "Draget",
  settlementRefunded: "Återbetalt",
  settlementFees: "Avgifter",
  settlementPaidOut: "Utbetalt",
  settlementNet: "Netto",
  settlementDate: "Bokföringsdag",
  settlementPayoutOn: "Utbetalt {date}",
  settlementNoPayout: "Inte utbetalt än",
  settlementStatus: "Status",
  settlementStatusOpen: "Öppen",
  settlementStatusSettled: "Avstämd",
  settlementStatusDifferences: "Avvikelser",
  settlementNoDays: "Inget i avräkningen de senaste 30 dagarna.",
  settlementImportLag: "Avräkningen läst för {seconds} s sedan",
  settlementImportNever: "Avräkningen har inte lästs än.",
  settlementImportError: "Läsningen av avräkningen misslyckas: {error}",
  settlementDifferences: "Avvikelser",
  settlementDiffMissing: "Draget, men inte i avräkningen efter 24 timmar",
  settlementDiffUnmatched: "I avräkningen, men ingen försäljning i denna kassa",
  settlementDiffMismatch: "Beloppet i avräkningen skiljer sig från försäljningens",
  settlementSales: "Försäljning denna dag",
  settlementFee: "Avgift",
  settlementCsv: "Export till revisorn (CSV)",
  glSettlementImport: "Avräkningsimporten har nått gårdagens avräkning",
  settlementClose: "Stäng",
};

export default messages;
