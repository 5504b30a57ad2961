import type { DisplayMessages } from "./messages";

const messages: DisplayMessages = {
  welcome: "Tervetuloa",
  ready: "Valmis",
  acceptsVipps: (n) => `${n} käy maksuksi`,
  total: "Maksettavaa",
  scanToPay: "Skannaa ja maksa",
  scanWithApp: (apps) =>
    apps.length === 1 ? `Skannaa ${apps[0]}-sovelluksella` : `Skannaa ${apps[0]}- tai ${apps[1]}-sovelluksella`,
  qrValidFor: "Koodi on voimassa",
  preparingQr: "Luodaan QR-koodia …",
  items: (n) => (n === 1 ? "1 tuote" : `${n} tuotetta`),
  approved: "Hyväksytty",
  approvedHint: "Viimeistellään maksua …",
  paid: "Maksettu",
  paidHint: "Kiitos ostoksistasi!",
  receiptQr: "Skannaa kuitti",
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
  qrTitle: (n) => `QR-koodi ${n} -maksuun`,
  cart: "Ostoksesi",
  cartEmpty: "Kassa kirjaa ostoksiasi …",
  pushSent: (e) =>
    e ? `Maksupyyntö lähetettiin puhelimeen, jonka numero päättyy ${e}` : "Maksupyyntö lähetettiin puhelimeesi",
  checkedInWait: "Kiitos skannauksesta! Odota, että kassa on lyönyt ostoksesi; maksupyyntö tulee sitten puhelimeesi.",
  pushHint: (apps) =>
    apps.length === 1
      ? `Hyväksy maksu ${apps[0]}-sovelluksessa puhelimessasi.`
      : `Hyväksy maksu ${apps[0]}- tai ${apps[1]}-sovelluksessa puhelimessasi.`,
  requestValidFor: "Pyyntö voimassa",
  vippsUnavailable: (n) => `${n} ei ole juuri nyt käytettävissä`,
  vippsUnavailableHint: "Maksa toisella tavalla tai yritä hetken kuluttua uudelleen.",
};

export default messages;
