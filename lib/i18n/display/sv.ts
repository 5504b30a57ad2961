import type { DisplayMessages } from "./messages";

const messages: DisplayMessages = {
  welcome: "Välkommen",
  ready: "Redo",
  acceptsVipps: (n) => `Vi tar emot ${n}`,
  total: "Att betala",
  scanToPay: "Skanna för att betala",
  scanWithApp: (apps) =>
    apps.length === 1 ? `Skanna med ${apps[0]}-appen` : `Skanna med ${apps[0]}- eller ${apps[1]}-appen`,
  qrValidFor: "Koden är giltig i",
  preparingQr: "Skapar QR-kod …",
  items: (n) => (n === 1 ? "1 vara" : `${n} varor`),
  approved: "Godkänd",
  approvedHint: "Slutför betalningen …",
  paid: "Betald",
  paidHint: "Tack för ditt köp!",
  receiptQr: "Skanna för kvitto",
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
  qrTitle: (n) => `QR-kod för betalning med ${n}`,
  cart: "Dina varor",
  cartEmpty: "Kassan registrerar dina varor …",
  pushSent: (e) =>
    e
      ? `Betalningsbegäran har skickats till telefonen som slutar på ${e}`
      : "Betalningsbegäran har skickats till din telefon",
  checkedInWait:
    "Tack för att du skannade! Vänta tills kassan har slagit in dina varor, så kommer betalningsbegäran till din telefon.",
  pushHint: (apps) => `Öppna ${apps.join(" eller ")} i telefonen för att godkänna.`,
  requestValidFor: "Begäran gäller i",
  vippsUnavailable: (n) => `${n} är inte tillgängligt just nu`,
  vippsUnavailableHint: "Betala på ett annat sätt, eller försök igen om en stund.",
};

export default messages;
