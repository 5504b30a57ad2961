import type english from "./en";

/** The Stores page and the till's sticker (nb). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  stickerSection: "Klistremerke ved kassen",
  stickerHint: "En kunde som skanner det, får betalingen som venter på telefonen sin.",
  stickerPrintLink: "Skriv ut klistremerket (A6)",
  stickerPrint: "Skriv ut (A6)",
  stickerScanToPay: "Skann for å betale med {vipps}",
  stickerFailed: "Klarte ikke å lage klistremerket hos {vipps}.",
  navStores: "Butikker",
  storesTitle: "Butikker",
  storesHint:
    "Hver butikk er et salgssted i Vipps MobilePay: betalinger, trekk og refusjoner fra terminalene går gjennom butikkens MSN.",
  addStore: "Legg til butikk",
  storeMsn: "MSN (salgssted)",
  storeCurrency: "Valuta",
  storeTimeZone: "Tidssone",
  storeOwnKeys: "Egne Vipps-nøkler",
  storeOwnKeysHint:
    "Uten egne nøkler bruker butikken denne installasjonens nøkler med sitt MSN. Hemmelighetene lagres kryptert og vises aldri igjen.",
  storeClientId: "Klient-ID",
  storeClientSecret: "Klienthemmelighet",
  storeSubscriptionKey: "Abonnementsnøkkel",
  storeKeysPartner: "Installasjonens nøkler",
  storeKeysOwn: "Egne nøkler",
  storeSecretKept: "Hemmelighet lagret, vises ikke",
  storeAdded: "Butikken {name} er lagt til",
  storeSaved: "Lagret",
  storeBranding: "Utseende på skjermene",
  storeBrandingTitle: "{name} på sine skjermer",
  storeBrandingHint:
    "Butikkens egen logo og farge på kundeskjermene til dens kasser. Det den ikke setter selv, henter skjermene fra butikkprofilen under Innstillinger.",
  storeLabel: "Butikk",
  storeAllMine: "Alle dine butikker",
  storeNewKeys: "Bytt nøklene",
  storeUsePartnerKeys: "Bruk installasjonens nøkler",
};

export default messages;
