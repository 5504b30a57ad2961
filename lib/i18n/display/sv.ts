import type { DisplayMessages } from "../display-messages";

const messages: DisplayMessages = {
  welcome: "Välkommen",
  ready: "Redo",
  acceptsVipps: "Vi tar emot Vipps MobilePay",
  total: "Att betala",
  scanToPay: "Skanna för att betala",
  scanWithApp: "Skanna med Vipps- eller MobilePay-appen",
  qrValidFor: "Koden är giltig i",
  preparingQr: "Skapar QR-kod …",
  items: (n) => (n === 1 ? "1 vara" : `${n} varor`),
  approved: "Godkänd",
  approvedHint: "Slutför betalningen …",
  paid: "Betald",
  paidHint: "Tack för ditt köp!",
  declined: "Betalningen nekades",
  declinedHint: "Inga pengar har dragits. Fråga i kassan.",
  cancelled: "Betalningen avbröts",
  cancelledHint: "Avbruten av kassan.",
  expired: "QR-koden har gått ut",
  expiredHint: "Be kassan om en ny kod.",
  failed: "Något gick fel",
  failedHint: "Fråga i kassan.",
  reconnecting: "Ansluter igen …",
  pairTitle: "Koppla den här skärmen",
  pairHint: "Öppna Terminaler på adminsidan och skriv in koden.",
  pairCodeValidFor: "Koden är giltig i",
  notAuthorised: "Den här skärmen har inte behörighet till terminalen.",
  qrTitle: "QR-kod för betalning med Vipps MobilePay",
};

export default messages;
