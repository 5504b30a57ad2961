import type english from "./en";

/** The Stores page and the till's sticker (da). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  stickerSection: "Klistermærke ved kassen",
  stickerHint: "En kunde, der scanner det, får den ventende betaling på sin telefon.",
  stickerPrintLink: "Udskriv klistermærket (A6)",
  stickerPrint: "Udskriv (A6)",
  stickerScanToPay: "Scan for at betale med {vipps}",
  stickerFailed: "Kunne ikke lave klistermærket hos {vipps}.",
  navStores: "Butikker",
  storesTitle: "Butikker",
  storesHint:
    "Hver butik er et salgssted i Vipps MobilePay: terminalernes betalinger, hævninger og refusioner går gennem butikkens MSN.",
  addStore: "Tilføj butik",
  storeMsn: "MSN (salgssted)",
  storeCurrency: "Valuta",
  storeTimeZone: "Tidszone",
  storeOwnKeys: "Egne Vipps-nøgler",
  storeOwnKeysHint:
    "Uden egne nøgler bruger butikken denne installations nøgler med sit MSN. Hemmeligheder gemmes krypteret og vises aldrig igen.",
  storeClientId: "Klient-id",
  storeClientSecret: "Klienthemmelighed",
  storeSubscriptionKey: "Abonnementsnøgle",
  storeKeysPartner: "Installationens nøgler",
  storeKeysOwn: "Egne nøgler",
  storeSecretKept: "Hemmelighed gemt, vises ikke",
  storeAdded: "Butikken {name} er tilføjet",
  storeSaved: "Gemt",
  storeBranding: "Udseende på skærmene",
  storeBrandingTitle: "{name} på sine skærme",
  storeBrandingHint:
    "Butikkens eget logo og farve på kundeskærmene ved dens kasser. Det, den ikke selv sætter, henter skærmene fra profilen under Indstillinger.",
  storeLabel: "Butik",
  storeAllMine: "Alle dine butikker",
  storeNewKeys: "Skift nøglerne",
  storeUsePartnerKeys: "Brug installationens nøgler",
};

export default messages;
