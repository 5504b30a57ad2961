import type { DisplayMessages } from "./messages";

const messages: DisplayMessages = {
  welcome: "Velkommen",
  ready: "Klar",
  acceptsVipps: (n) => `Vi modtager ${n}`,
  total: "At betale",
  scanToPay: "Scan for at betale",
  scanWithApp: (apps) =>
    apps.length === 1 ? `Scan med ${apps[0]}-appen` : `Scan med ${apps[0]}- eller ${apps[1]}-appen`,
  qrValidFor: "Koden er gyldig i",
  preparingQr: "Laver QR-kode …",
  items: (n) => (n === 1 ? "1 vare" : `${n} varer`),
  approved: "Godkendt",
  approvedHint: "Gennemfører betalingen …",
  paid: "Betalt",
  paidHint: "Tak for handlen!",
  receiptQr: "Scan for kvittering",
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
  qrTitle: (n) => `QR-kode til betaling med ${n}`,
  cart: "Dine varer",
  cartEmpty: "Kassen registrerer dine varer …",
  pushSent: (e) =>
    e
      ? `Betalingsanmodningen er sendt til telefonen, der ender på ${e}`
      : "Betalingsanmodningen er sendt til din telefon",
  checkedInWait:
    "Tak fordi du scannede! Vent til kassen har slået dine varer ind, så kommer betalingsanmodningen på din telefon.",
  pushHint: (apps) => `Åbn ${apps.join(" eller ")} på din telefon for at godkende.`,
  requestValidFor: "Anmodningen gælder i",
  vippsUnavailable: (n) => `${n} er ikke tilgængelig lige nu`,
  vippsUnavailableHint: "Betal på en anden måde, eller prøv igen om lidt.",
};

export default messages;
