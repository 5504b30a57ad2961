import type { DisplayMessages } from "../display-messages";

const messages: DisplayMessages = {
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
};

export default messages;
