import type english from "./en";

/** The Go-live page's hints (fi). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  goLiveStores: "Myymälät (Vippsin myyntipisteet)",
  goLiveStoresIntro:
    "Jokainen myymälä tarkistetaan erikseen: sen MSN, sen API-avaimet Vippsissä ja webhook-rekisteröinti, joka toimittaa sen maksujen tapahtumat.",
  goLiveStoreMsn: "MSN asetettu",
  goLiveStoreKeys: "Avaimet toimivat Vippsissä",
  goLiveStoreWebhook: "Webhook rekisteröity",
  goLiveStoreReady: "Valmis",
  goLiveStoreNotReady: "Ei valmis",
  goLiveWhatToDo: "Näin teet",
  goLiveEvidenceDetails: "Todisteet (lähetetään Vippsille sellaisenaan)",
  glHintEndpointCreate: "Tee myynti kassalla: se luo maksun Vippsiin.",
  glHintEndpointGet: "Tapahtuu itsestään maksun odottaessa: sovellus kysyy tilaa Vippsiltä.",
  glHintEndpointEvents: "Tee testimaksu ja tarkista uudelleen: tämä sivu lukee sen tapahtumalokin Vippsistä.",
  glHintEndpointCancel: "Aloita myynti ja peru se kassalla ennen kuin asiakas maksaa.",
  glHintEndpointCapture: "Hyväksy testimyynti Vippsin testisovelluksessa: sovellus veloittaa sen.",
  glHintEndpointRefund: "Hyvitä maksettu testimyynti kokonaan tai osittain sen sivulta.",
  glHintWebhooksAndPolling:
    "Kysely on aina käynnissä; webhookit vaativat, että PUBLIC_URL on HTTPS-osoite, jonka Vipps tavoittaa.",
  glHintWebhookRegistration:
    "Aseta PUBLIC_URL internetistä tavoitettavaan HTTPS-osoitteeseen ja käynnistä uudelleen: sovellus rekisteröi webhookin itse.",
  glHintStatesAndEvents: "Tee testimyyntejä, jotka päättyvät maksettuina, hyvitettyinä ja peruttuina.",
  glHintSystemHeaders: "Lähetetään jokaisen pyynnön mukana: tee mikä tahansa testimyynti.",
  glHintOrderDetails: "Jokainen myynti lähettää kuittirivinsä; tee testimyynti tuoteluettelosta.",
  glHintCustomerPresent: "Jokainen kassan myynti merkitään asiakas paikalla -myynniksi: tee testimyynti.",
  glHintTestCaptured: "Suorita testimaksu: hyväksy se Vippsin testisovelluksessa.",
  glHintTestRefunded: "Hyvitä maksettu testimaksu sen sivulta.",
  glHintTestCancelled: "Peru testimaksu kassalla ennen kuin asiakas hyväksyy sen.",
  glHintRecentSamples:
    "Vipps haluaa alle kuukauden vanhoja esimerkkejä: käytä jokaista rajapintaa uudelleen muutamalla testimyynnillä.",
  glHintReservations: "Maksettu myynti jäi varatuksi yli veloituksen määräajan: veloita tai peru se sen sivulta.",
  glHintSettlementImport:
    "Tuonti lukee Vippsin tilitysraportin muutaman minuutin välein; Tilitykset-sivu näyttää viimeisimmän virheen, jos sellainen on.",
};

export default messages;
