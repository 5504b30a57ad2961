import type { DisplayMessages } from "../display-messages";

const messages: DisplayMessages = {
  welcome: "Velkommen",
  ready: "Klar",
  acceptsVipps: "Vi tar imot Vipps MobilePay",
  total: "Å betale",
  scanToPay: "Skann for å betale",
  scanWithApp: "Skann med Vipps- eller MobilePay-appen",
  qrValidFor: "Koden er gyldig i",
  preparingQr: "Lager QR-kode …",
  items: (n) => (n === 1 ? "1 vare" : `${n} varer`),
  approved: "Godkjent",
  approvedHint: "Fullfører betalingen …",
  paid: "Betalt",
  paidHint: "Takk for handelen!",
  declined: "Betalingen ble avvist",
  declinedHint: "Ingen penger er trukket. Spør i kassen.",
  cancelled: "Betalingen ble avbrutt",
  cancelledHint: "Avbrutt av kassen.",
  expired: "QR-koden er utløpt",
  expiredHint: "Be kassen om en ny kode.",
  failed: "Noe gikk galt",
  failedHint: "Spør i kassen.",
  reconnecting: "Kobler til igjen …",
  pairTitle: "Koble til denne skjermen",
  pairHint: "Åpne Terminaler på adminsiden og skriv inn koden.",
  pairCodeValidFor: "Koden er gyldig i",
  notAuthorised: "Denne skjermen har ikke tilgang til terminalen.",
  qrTitle: "QR-kode for betaling med Vipps MobilePay",
};

export default messages;
