import type english from "./en";

/** The Stores page and the till's sticker (fi). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  stickerSection: "Tarra kassalla",
  stickerHint: "Tarran skannaava asiakas saa odottavan maksun puhelimeensa.",
  stickerPrintLink: "Tulosta tarra (A6)",
  stickerPrint: "Tulosta (A6)",
  stickerScanToPay: "Skannaa ja maksa {vipps}-sovelluksella",
  stickerFailed: "Tarraa ei voitu luoda palvelussa {vipps}.",
  navStores: "Myymälät",
  storesTitle: "Myymälät",
  storesHint:
    "Jokainen myymälä on Vipps MobilePayn myyntipiste: sen päätteiden maksut, veloitukset ja hyvitykset kulkevat myymälän MSN:n kautta.",
  addStore: "Lisää myymälä",
  storeMsn: "MSN (myyntipiste)",
  storeCurrency: "Valuutta",
  storeTimeZone: "Aikavyöhyke",
  storeOwnKeys: "Omat Vipps-avaimet",
  storeOwnKeysHint:
    "Ilman omia avaimia myymälä käyttää tämän asennuksen avaimia omalla MSN:llään. Salaisuudet tallennetaan salattuina eikä niitä näytetä enää.",
  storeClientId: "Asiakastunnus",
  storeClientSecret: "Asiakassalaisuus",
  storeSubscriptionKey: "Tilausavain",
  storeKeysPartner: "Asennuksen avaimet",
  storeKeysOwn: "Omat avaimet",
  storeSecretKept: "Salaisuus tallennettu, ei näytetä",
  storeAdded: "Myymälä {name} lisätty",
  storeSaved: "Tallennettu",
  storeBranding: "Ulkoasu näytöillä",
  storeBrandingTitle: "{name} näytöillään",
  storeBrandingHint:
    "Myymälän oma logo ja väri sen kassojen asiakasnäytöillä. Mitä se ei itse aseta, näytöt ottavat asetusten brändistä.",
  storeLabel: "Myymälä",
  storeAllMine: "Kaikki myymäläsi",
  storeNewKeys: "Vaihda avaimet",
  storeUsePartnerKeys: "Käytä asennuksen avaimia",
};

export default messages;
