import type { DisplayMessages } from "../display-messages";

const messages: DisplayMessages = {
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
};

export default messages;
