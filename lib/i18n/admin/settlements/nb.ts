import type english from "./en";

/** The Settlements page (nb). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  navSettlements: "Oppgjør",
  settlementsTitle: "Oppgjør",
  settlementsHint:
    "Det {vipps} har bokført hver dag, fra oppgjørsrapporten (Report API), holdt opp mot salgene: hva som ble trukket og refundert, gebyrene, og hva som ble utbetalt til banken.",
  settlementsChart: "De siste 30 dagene: trukket, refundert, gebyrer og utbetalt",
  settlementCaptured: "Trukket",
  settlementRefunded: "Refundert",
  settlementFees: "Gebyrer",
  settlementPaidOut: "Utbetalt",
  settlementNet: "Netto",
  settlementDate: "Bokføringsdato",
  settlementPayoutOn: "Utbetalt {date}",
  settlementNoPayout: "Ikke utbetalt ennå",
  settlementStatus: "Status",
  settlementStatusOpen: "Åpen",
  settlementStatusSettled: "Avstemt",
  settlementStatusDifferences: "Avvik",
  settlementNoDays: "Ingenting i oppgjøret de siste 30 dagene.",
  settlementImportLag: "Oppgjøret lest for {seconds} s siden",
  settlementImportNever: "Oppgjøret er ikke lest ennå.",
  settlementImportError: "Lesing av oppgjøret feiler: {error}",
  settlementDifferences: "Avvik",
  settlementDiffMissing: "Trukket, men ikke i oppgjøret etter 24 timer",
  settlementDiffUnmatched: "I oppgjøret, men ikke et salg fra denne kassen",
  settlementDiffMismatch: "Beløpet i oppgjøret er et annet enn salgets",
  settlementSales: "Salg denne datoen",
  settlementFee: "Gebyr",
  settlementCsv: "Eksport til regnskapsfører (CSV)",
  glSettlementImport: "Oppgjørsimporten har nådd gårsdagens oppgjør",
  settlementClose: "Lukk",
};

export default messages;
