import type english from "./en";

/** The Stores page and the till's sticker (sv). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  stickerSection: "Klistermärke vid kassan",
  stickerHint: "En kund som skannar det får betalningen som väntar i sin telefon.",
  stickerPrintLink: "Skriv ut klistermärket (A6)",
  stickerPrint: "Skriv ut (A6)",
  stickerScanToPay: "Skanna för att betala med {vipps}",
  stickerFailed: "Kunde inte skapa klistermärket hos {vipps}.",
  navStores: "Butiker",
  storesTitle: "Butiker",
  storesHint:
    "Varje butik är ett försäljningsställe i Vipps MobilePay: terminalernas betalningar, dragningar och återbetalningar går genom butikens MSN.",
  addStore: "Lägg till butik",
  storeMsn: "MSN (försäljningsställe)",
  storeCurrency: "Valuta",
  storeTimeZone: "Tidszon",
  storeOwnKeys: "Egna Vipps-nycklar",
  storeOwnKeysHint:
    "Utan egna nycklar använder butiken den här installationens nycklar med sitt MSN. Hemligheter lagras krypterade och visas aldrig igen.",
  storeClientId: "Klient-id",
  storeClientSecret: "Klienthemlighet",
  storeSubscriptionKey: "Prenumerationsnyckel",
  storeKeysPartner: "Installationens nycklar",
  storeKeysOwn: "Egna nycklar",
  storeSecretKept: "Hemlighet sparad, visas inte",
  storeAdded: "Butiken {name} har lagts till",
  storeSaved: "Sparat",
  storeBranding: "Utseende på skärmarna",
  storeBrandingTitle: "{name} på sina skärmar",
  storeBrandingHint:
    "Butikens egen logotyp och färg på kundskärmarna vid dess kassor. Det den inte själv anger hämtar skärmarna från profilen under Inställningar.",
  storeLabel: "Butik",
  storeAllMine: "Alla dina butiker",
  storeNewKeys: "Byt nycklarna",
  storeUsePartnerKeys: "Använd installationens nycklar",
};

export default messages;
