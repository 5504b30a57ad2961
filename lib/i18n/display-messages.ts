import type { Language } from "@/lib/sales/types";

/**
 * Words on the customer display. Kept apart from the admin's messages so the kiosk page ships only
 * what it shows. Short sentences: they are read from 1.5 m in a few seconds.
 */
export interface DisplayMessages {
  welcome: string;
  ready: string;
  acceptsVipps: string;
  total: string;
  scanToPay: string;
  scanWithApp: string;
  qrValidFor: string;
  preparingQr: string;
  items: (count: number) => string;
  approved: string;
  approvedHint: string;
  paid: string;
  paidHint: string;
  declined: string;
  declinedHint: string;
  cancelled: string;
  cancelledHint: string;
  expired: string;
  expiredHint: string;
  failed: string;
  failedHint: string;
  reconnecting: string;
  pairTitle: string;
  pairHint: string;
  pairCodeValidFor: string;
  notAuthorised: string;
  qrTitle: string;
}

export const DISPLAY_MESSAGES: Record<Language, DisplayMessages> = {
  nb: {
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
  },
  da: {
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
  },
  fi: {
    welcome: "Tervetuloa",
    ready: "Valmis",
    acceptsVipps: "Vipps MobilePay käy maksuksi",
    total: "Maksettavaa",
    scanToPay: "Skannaa ja maksa",
    scanWithApp: "Skannaa MobilePay- tai Vipps-sovelluksella",
    qrValidFor: "Koodi on voimassa",
    preparingQr: "Luodaan QR-koodia …",
    items: (n) => (n === 1 ? "1 tuote" : `${n} tuotetta`),
    approved: "Hyväksytty",
    approvedHint: "Viimeistellään maksua …",
    paid: "Maksettu",
    paidHint: "Kiitos ostoksistasi!",
    declined: "Maksu hylättiin",
    declinedHint: "Rahaa ei veloitettu. Kysy kassalta.",
    cancelled: "Maksu peruttiin",
    cancelledHint: "Kassa perui maksun.",
    expired: "QR-koodi vanheni",
    expiredHint: "Pyydä kassalta uusi koodi.",
    failed: "Jokin meni vikaan",
    failedHint: "Kysy kassalta.",
    reconnecting: "Yhdistetään uudelleen …",
    pairTitle: "Yhdistä tämä näyttö",
    pairHint: "Avaa hallintasivulla Kassapäätteet ja syötä koodi.",
    pairCodeValidFor: "Koodi on voimassa",
    notAuthorised: "Tällä näytöllä ei ole pääsyä kassapäätteeseen.",
    qrTitle: "QR-koodi Vipps MobilePay -maksuun",
  },
  sv: {
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
  },
  en: {
    welcome: "Welcome",
    ready: "Ready",
    acceptsVipps: "We accept Vipps MobilePay",
    total: "Total",
    scanToPay: "Scan to pay",
    scanWithApp: "Scan with the Vipps or MobilePay app",
    qrValidFor: "Code valid for",
    preparingQr: "Preparing QR code …",
    items: (n) => (n === 1 ? "1 item" : `${n} items`),
    approved: "Approved",
    approvedHint: "Finishing your payment …",
    paid: "Paid",
    paidHint: "Thank you!",
    declined: "Payment declined",
    declinedHint: "No money was taken. Please ask the cashier.",
    cancelled: "Payment cancelled",
    cancelledHint: "Cancelled by the cashier.",
    expired: "QR code expired",
    expiredHint: "Ask the cashier for a new code.",
    failed: "Something went wrong",
    failedHint: "Please ask the cashier.",
    reconnecting: "Reconnecting …",
    pairTitle: "Pair this display",
    pairHint: "On the admin page, open Terminals and enter this code.",
    pairCodeValidFor: "Code valid for",
    notAuthorised: "This display is not authorised for this terminal.",
    qrTitle: "QR code for paying with Vipps MobilePay",
  },
};
