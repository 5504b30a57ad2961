import type english from "./en";

/** The Settlements page (da). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  navSettlements: "Afregninger",
  settlementsTitle: "Afregninger",
  settlementsHint:
    "Det {vipps} har bogført hver dag, fra afregningsrapporten (Report API), holdt op mod salgene: hvad der blev trukket og refunderet, gebyrerne, og hvad der blev udbetalt til banken.",
  settlementsChart: "De seneste 30 dage: trukket, refunderet, gebyrer og udbetalt",
  settlementCaptured: "Trukket",
  settlementRefunded: "Refunderet",
  settlementFees: "Gebyrer",
  settlementPaidOut: "Udbetalt",
  settlementNet: "Netto",
  settlementDate: "Bogføringsdato",
  settlementPayoutOn: "Udbetalt {date}",
  settlementNoPayout: "Ikke udbetalt endnu",
  settlementStatus: "Status",
  settlementStatusOpen: "Åben",
  settlementStatusSettled: "Afstemt",
  settlementStatusDifferences: "Afvigelser",
  settlementNoDays: "Intet i afregningen de seneste 30 dage.",
  settlementImportLag: "Afregningen læst for {seconds} s siden",
  settlementImportNever: "Afregningen er ikke læst endnu.",
  settlementImportError: "Læsning af afregningen fejler: {error}",
  settlementDifferences: "Afvigelser",
  settlementDiffMissing: "Trukket, men ikke i afregningen efter 24 timer",
  settlementDiffUnmatched: "I afregningen, men ikke et salg fra denne kasse",
  settlementDiffMismatch: "Beløbet i afregningen er et andet end salgets",
  settlementSales: "Salg på denne dato",
  settlementFee: "Gebyr",
  settlementCsv: "Eksport til revisor (CSV)",
  glSettlementImport: "Afregningsimporten har nået gårsdagens afregning",
  settlementClose: "Luk",
};

export default messages;
