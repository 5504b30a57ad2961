/** The Go-live page's hints: what to do for an item not met yet (components/admin/go-live-view.tsx). */
const messages = {
  goLiveStores: "Stores (Vipps sales units)",
  goLiveStoresIntro:
    "Each store is checked on its own: its MSN, its API keys at Vipps and the webhook registration that delivers its payments' events.",
  goLiveStoreMsn: "MSN set",
  goLiveStoreKeys: "Keys work at Vipps",
  goLiveStoreWebhook: "Webhook registered",
  goLiveStoreReady: "Ready",
  goLiveStoreNotReady: "Not ready",
  goLiveWhatToDo: "What to do",
  goLiveEvidenceDetails: "Evidence (sent to Vipps as it is)",
  glHintEndpointCreate: "Make a sale at the till: it creates a payment at Vipps.",
  glHintEndpointGet: "Happens by itself while a payment waits: the app asks Vipps for its status.",
  glHintEndpointEvents: "Make a test payment, then check again: this page reads its event log at Vipps.",
  glHintEndpointCancel: "Start a sale and cancel it at the till before the customer pays.",
  glHintEndpointCapture: "Approve a test sale in the Vipps test app: the app captures it.",
  glHintEndpointRefund: "Refund a paid test sale, in full or in part, from its page.",
  glHintWebhooksAndPolling: "Polling always runs; webhooks need PUBLIC_URL to be an HTTPS address Vipps can reach.",
  glHintWebhookRegistration:
    "Set PUBLIC_URL to an HTTPS address reachable from the internet and restart: the app registers the webhook itself.",
  glHintStatesAndEvents: "Make test sales that end paid, refunded and cancelled.",
  glHintSystemHeaders: "Sent with every request: make any test sale.",
  glHintOrderDetails: "Every sale sends its receipt lines; make a test sale from the catalogue.",
  glHintCustomerPresent: "Every sale from the till is marked customer present: make a test sale.",
  glHintTestCaptured: "Complete a test payment: approve it in the Vipps test app.",
  glHintTestRefunded: "Refund a paid test payment from its page.",
  glHintTestCancelled: "Cancel a test payment at the till before the customer approves it.",
  glHintRecentSamples: "Vipps wants samples less than a month old: use each endpoint again with a few test sales.",
  glHintReservations: "A paid sale was left reserved past its capture deadline: capture or cancel it from its page.",
  glHintSettlementImport:
    "The import reads Vipps' settlement report every few minutes; the Settlements page shows its last error, if any.",
} satisfies Record<string, string>;

export default messages;
