import type english from "./en";

/** The Go-live page's hints (nb). */
const messages: { readonly [Key in keyof typeof english]: string } = {
  goLiveStores: "Butikker (salgssteder hos Vipps)",
  goLiveStoresIntro:
    "Hver butikk sjekkes for seg: MSN-en, API-nøklene hos Vipps og webhook-registreringen som leverer hendelsene for betalingene.",
  goLiveStoreMsn: "MSN er satt",
  goLiveStoreKeys: "Nøklene virker hos Vipps",
  goLiveStoreWebhook: "Webhook registrert",
  goLiveStoreReady: "Klar",
  goLiveStoreNotReady: "Ikke klar",
  goLiveWhatToDo: "Slik gjør du",
  goLiveEvidenceDetails: "Dokumentasjon (sendes til Vipps som den er)",
  glHintEndpointCreate: "Lag et salg i kassen: det oppretter en betaling hos Vipps.",
  glHintEndpointGet: "Skjer av seg selv mens en betaling venter: appen spør Vipps om status.",
  glHintEndpointEvents: "Gjør en testbetaling og sjekk igjen: denne siden leser hendelsesloggen hos Vipps.",
  glHintEndpointCancel: "Start et salg og avbryt det i kassen før kunden betaler.",
  glHintEndpointCapture: "Godkjenn et testsalg i Vipps' testapp: appen trekker beløpet.",
  glHintEndpointRefund: "Refunder et betalt testsalg, helt eller delvis, fra siden til salget.",
  glHintWebhooksAndPolling: "Polling går alltid; webhooks krever at PUBLIC_URL er en HTTPS-adresse Vipps når.",
  glHintWebhookRegistration:
    "Sett PUBLIC_URL til en HTTPS-adresse som nås fra internett og start på nytt: appen registrerer webhooken selv.",
  glHintStatesAndEvents: "Lag testsalg som ender betalt, refundert og avbrutt.",
  glHintSystemHeaders: "Sendes med hver forespørsel: lag et hvilket som helst testsalg.",
  glHintOrderDetails: "Hvert salg sender kvitteringslinjene; lag et testsalg fra varekatalogen.",
  glHintCustomerPresent: "Hvert salg fra kassen merkes med kunden til stede: lag et testsalg.",
  glHintTestCaptured: "Fullfør en testbetaling: godkjenn den i Vipps' testapp.",
  glHintTestRefunded: "Refunder en betalt testbetaling fra siden til salget.",
  glHintTestCancelled: "Avbryt en testbetaling i kassen før kunden godkjenner den.",
  glHintRecentSamples: "Vipps vil ha eksempler under en måned gamle: bruk hvert endepunkt igjen med noen testsalg.",
  glHintReservations:
    "Et betalt salg ble stående reservert forbi fristen for trekk: trekk eller avbryt det fra siden til salget.",
  glHintSettlementImport:
    "Importen leser Vipps' oppgjørsrapport med noen minutters mellomrom; siden Oppgjør viser siste feil, om noen.",
};

export default messages;
