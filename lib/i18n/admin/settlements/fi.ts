import type english from "./en";

/** The Settlements page (fi). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  navSettlements: "Tilitykset",
  settlementsTitle: "Tilitykset",
  settlementsHint:
    "Mitä {vipps} on kirjannut kunakin päivänä tilitysraportissaan (Report API), verrattuna myynteihin: veloitetut ja hyvitetyt summat, palkkiot ja pankkiin maksettu summa.",
  settlementsChart: "Viimeiset 30 päivää: veloitettu, hyvitetty, palkkiot ja maksettu",
  settlementCaptured: "Veloitettu",
  settlementRefunded: "Hyvitetty",
  settlementFees: "Palkkiot",
  settlementPaidOut: "Maksettu",
  settlementNet: "Netto",
  settlementDate: "Kirjauspäivä",
  settlementPayoutOn: "Maksettu {date}",
  settlementNoPayout: "Ei vielä maksettu",
  settlementStatus: "Tila",
  settlementStatusOpen: "Avoin",
  settlementStatusSettled: "Täsmätty",
  settlementStatusDifferences: "Poikkeamia",
  settlementNoDays: "Tilityksessä ei ole mitään viimeisten 30 päivän ajalta.",
  settlementImportLag: "Tilitys luettu {seconds} s sitten",
  settlementImportNever: "Tilitystä ei ole vielä luettu.",
  settlementImportError: "Tilityksen lukeminen epäonnistuu: {error}",
  settlementDifferences: "Poikkeamat",
  settlementDiffMissing: "Veloitettu, mutta ei tilityksessä 24 tunnin jälkeen",
  settlementDiffUnmatched: "Tilityksessä, mutta ei tämän kassan myynti",
  settlementDiffMismatch: "Tilityksen summa poikkeaa myynnin summasta",
  settlementSales: "Tämän päivän myynnit",
  settlementFee: "Palkkio",
  settlementCsv: "Vienti kirjanpitäjälle (CSV)",
  glSettlementImport: "Tilitysten tuonti on saavuttanut eilisen tilityksen",
  settlementClose: "Sulje",
};

export default messages;
