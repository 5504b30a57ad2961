/** The Stores page and the till's sticker in English: the reference for the other languages. */
const messages = {
  stickerSection: "Sticker at the till",
  stickerHint: "A customer who scans it gets the waiting payment on their phone.",
  stickerPrintLink: "Print the sticker (A6)",
  stickerPrint: "Print (A6)",
  stickerScanToPay: "Scan to pay with {vipps}",
  stickerFailed: "Could not make the sticker at {vipps}.",
  navStores: "Stores",
  storesTitle: "Stores",
  storesHint:
    "Each store is a Vipps MobilePay sales unit: its terminals' payments, captures and refunds go through its MSN.",
  addStore: "Add store",
  storeMsn: "MSN (sales unit)",
  storeCurrency: "Currency",
  storeTimeZone: "Time zone",
  storeOwnKeys: "Own Vipps API keys",
  storeOwnKeysHint:
    "Without them the store uses this deployment's keys with its MSN. Secrets are stored encrypted and never shown again.",
  storeClientId: "Client id",
  storeClientSecret: "Client secret",
  storeSubscriptionKey: "Subscription key",
  storeKeysPartner: "Deployment's keys",
  storeKeysOwn: "Own keys",
  storeSecretKept: "Secret stored, not shown",
  storeAdded: "Store {name} added",
  storeSaved: "Saved",
  storeBranding: "Look on displays",
  storeBrandingTitle: "{name} on its displays",
  storeBrandingHint:
    "This store's own logo and colour on its terminals' displays. Whatever it leaves unset, its displays take from the shop's branding in Settings.",
  storeLabel: "Store",
  storeAllMine: "All your stores",
  storeNewKeys: "Replace the keys",
  storeUsePartnerKeys: "Use the deployment's keys",
} satisfies Record<string, string>;

export default messages;
