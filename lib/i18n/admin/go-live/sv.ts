import type english from "./en";

/** The Go-live page's hints (sv). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  goLiveStores: "Butiker (försäljningsställen hos Vipps)",
  goLiveStoresIntro:
    "Varje butik kontrolleras för sig: dess MSN, dess API-nycklar hos Vipps och den webhook-registrering som levererar betalningarnas händelser.",
  goLiveStoreMsn: "MSN angivet",
  goLiveStoreKeys: "Nycklarna fungerar hos Vipps",
  goLiveStoreWebhook: "Webhook registrerad",
  goLiveStoreReady: "Klar",
  goLiveStoreNotReady: "Inte klar",
  goLiveWhatToDo: "Så gör du",
  goLiveEvidenceDetails: "Underlag (skickas till Vipps som det är)",
  glHintEndpointCreate: "Gör en försäljning i kassan: den skapar en betalning hos Vipps.",
  glHintEndpointGet: "Sker av sig självt medan en betalning väntar: appen frågar Vipps om status.",
  glHintEndpointEvents: "Gör en testbetalning och kontrollera igen: sidan läser händelseloggen hos Vipps.",
  glHintEndpointCancel: "Starta en försäljning och avbryt den i kassan innan kunden betalar.",
  glHintEndpointCapture: "Godkänn en testförsäljning i Vipps testapp: appen drar beloppet.",
  glHintEndpointRefund: "Återbetala en betald testförsäljning, helt eller delvis, från dess sida.",
  glHintWebhooksAndPolling: "Avfrågning sker alltid; webhooks kräver att PUBLIC_URL är en HTTPS-adress som Vipps når.",
  glHintWebhookRegistration:
    "Sätt PUBLIC_URL till en HTTPS-adress som nås från internet och starta om: appen registrerar webhooken själv.",
  glHintStatesAndEvents: "Gör testförsäljningar som slutar betalda, återbetalda och avbrutna.",
  glHintSystemHeaders: "Skickas med varje anrop: gör valfri testförsäljning.",
  glHintOrderDetails: "Varje försäljning skickar sina kvittorader; gör en testförsäljning från katalogen.",
  glHintCustomerPresent: "Varje försäljning från kassan märks med kunden på plats: gör en testförsäljning.",
  glHintTestCaptured: "Slutför en testbetalning: godkänn den i Vipps testapp.",
  glHintTestRefunded: "Återbetala en betald testbetalning från dess sida.",
  glHintTestCancelled: "Avbryt en testbetalning i kassan innan kunden godkänner den.",
  glHintRecentSamples:
    "Vipps vill ha exempel yngre än en månad: använd varje endpoint igen med några testförsäljningar.",
  glHintReservations:
    "En betald försäljning låg reserverad förbi sista dag för dragning: dra eller avbryt den från dess sida.",
  glHintSettlementImport:
    "Importen läser Vipps avräkningsrapport med några minuters mellanrum; sidan Avräkningar visar senaste felet, om något.",
};

export default messages;
