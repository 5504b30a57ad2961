import type { DisplayMessages } from "../display-messages";

const messages: DisplayMessages = {
  welcome: "Velkommen",
  ready: "Klar",
  acceptsVipps: "Vi modtager Vipps MobilePay",
  total: "At betale",
  scanToPay: "Scan for at betale",
  scanWithApp: "Scan med MobilePay- eller Vipps-appen",
  qrValidFor: "Koden er gyldig i",
  preparingQr: "Laver QR-kode …",
  items: (n) => (n === 1 ? "1 vare" : `${n} varer`),
  approved: "Godkendt",
  approvedHint: "Gennemfører betalingen …",
  paid: "Betalt",
  paidHint: "Tak for handlen!",
  declined: "Betalingen blev afvist",
  declinedHint: "Der er ikke trukket penge. Spørg ved kassen.",
  cancelled: "Betalingen blev annulleret",
  cancelledHint: "Annulleret af kassen.",
  expired: "QR-koden er udløbet",
  expiredHint: "Bed kassen om en ny kode.",
  failed: "Noget gik galt",
  failedHint: "Spørg ved kassen.",
  reconnecting: "Forbinder igen …",
  pairTitle: "Tilknyt denne skærm",
  pairHint: "Åbn Terminaler på administrationssiden, og indtast koden.",
  pairCodeValidFor: "Koden er gyldig i",
  notAuthorised: "Denne skærm har ikke adgang til terminalen.",
  qrTitle: "QR-kode til betaling med Vipps MobilePay",
};

export default messages;
