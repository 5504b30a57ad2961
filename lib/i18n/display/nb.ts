import type { DisplayMessages } from "./messages";

const messages: DisplayMessages = {
  welcome: "Velkommen",
  ready: "Klar",
  acceptsVipps: (n) => `Vi tar imot ${n}`,
  total: "Å betale",
  scanToPay: "Skann for å betale",
  scanWithApp: (apps) =>
    apps.length === 1 ? `Skann med ${apps[0]}-appen` : `Skann med ${apps[0]}- eller ${apps[1]}-appen`,
  qrValidFor: "Koden er gyldig i",
  preparingQr: "Lager QR-kode …",
  items: (n) => (n === 1 ? "1 vare" : `${n} varer`),
  approved: "Godkjent",
  approvedHint: "Fullfører betalingen …",
  paid: "Betalt",
  paidHint: "Takk for handelen!",
  receiptQr: "Skann for kvittering",
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
  qrTitle: (n) => `QR-kode for betaling med ${n}`,
  cart: "Dine varer",
  cartEmpty: "Kassen registrerer varene dine …",
  pushSent: (e) =>
    e
      ? `Betalingsforespørselen er sendt til telefonen som slutter på ${e}`
      : "Betalingsforespørselen er sendt til telefonen din",
  checkedInWait:
    "Takk for at du skannet! Vent til kassen har slått inn varene dine, så kommer betalingsforespørselen på telefonen.",
  pushHint: (apps) => `Åpne ${apps.join(" eller ")} på telefonen for å godkjenne.`,
  requestValidFor: "Forespørselen gjelder i",
  vippsUnavailable: (n) => `${n} er ikke tilgjengelig akkurat nå`,
  vippsUnavailableHint: "Betal på en annen måte, eller prøv igjen om litt.",
};

export default messages;
