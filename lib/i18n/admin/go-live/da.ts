import type english from "./en";

/** The Go-live page's hints (da). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  goLiveStores: "Butikker (salgssteder hos Vipps)",
  goLiveStoresIntro:
    "Hver butik kontrolleres for sig: dens MSN, dens API-nøgler hos Vipps og den webhook-registrering, der leverer betalingernes hændelser.",
  goLiveStoreMsn: "MSN angivet",
  goLiveStoreKeys: "Nøglerne virker hos Vipps",
  goLiveStoreWebhook: "Webhook registreret",
  goLiveStoreReady: "Klar",
  goLiveStoreNotReady: "Ikke klar",
  goLiveWhatToDo: "Sådan gør du",
  goLiveEvidenceDetails: "Dokumentation (sendes til Vipps, som den er)",
  glHintEndpointCreate: "Lav et salg ved kassen: det opretter en betaling hos Vipps.",
  glHintEndpointGet: "Sker af sig selv, mens en betaling venter: appen spørger Vipps om status.",
  glHintEndpointEvents: "Lav en testbetaling og tjek igen: denne side læser hændelsesloggen hos Vipps.",
  glHintEndpointCancel: "Start et salg og annullér det ved kassen, før kunden betaler.",
  glHintEndpointCapture: "Godkend et testsalg i Vipps' testapp: appen trækker beløbet.",
  glHintEndpointRefund: "Refundér et betalt testsalg, helt eller delvist, fra salgets side.",
  glHintWebhooksAndPolling: "Polling kører altid; webhooks kræver, at PUBLIC_URL er en HTTPS-adresse, Vipps kan nå.",
  glHintWebhookRegistration:
    "Sæt PUBLIC_URL til en HTTPS-adresse, der kan nås fra internettet, og genstart: appen registrerer selv webhooken.",
  glHintStatesAndEvents: "Lav testsalg, der ender betalt, refunderet og annulleret.",
  glHintSystemHeaders: "Sendes med hver forespørgsel: lav et hvilket som helst testsalg.",
  glHintOrderDetails: "Hvert salg sender sine kvitteringslinjer; lav et testsalg fra kataloget.",
  glHintCustomerPresent: "Hvert salg fra kassen markeres med kunden til stede: lav et testsalg.",
  glHintTestCaptured: "Gennemfør en testbetaling: godkend den i Vipps' testapp.",
  glHintTestRefunded: "Refundér en betalt testbetaling fra salgets side.",
  glHintTestCancelled: "Annullér en testbetaling ved kassen, før kunden godkender den.",
  glHintRecentSamples: "Vipps vil have eksempler under en måned gamle: brug hvert endepunkt igen med nogle testsalg.",
  glHintReservations:
    "Et betalt salg stod reserveret efter fristen for træk: træk eller annullér det fra salgets side.",
  glHintSettlementImport:
    "Importen læser Vipps' afregningsrapport med få minutters mellemrum; siden Afregninger viser den seneste fejl, hvis nogen.",
};

export default messages;
