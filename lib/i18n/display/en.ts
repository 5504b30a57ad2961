import type { DisplayMessages } from "./messages";

const messages: DisplayMessages = {
  welcome: "Welcome",
  ready: "Ready",
  acceptsVipps: (n) => `We accept ${n}`,
  total: "Total",
  scanToPay: "Scan to pay",
  scanWithApp: (apps) =>
    apps.length === 1 ? `Scan with the ${apps[0]} app` : `Scan with the ${apps[0]} or ${apps[1]} app`,
  qrValidFor: "Code valid for",
  preparingQr: "Preparing QR code …",
  items: (n) => (n === 1 ? "1 item" : `${n} items`),
  approved: "Approved",
  approvedHint: "Finishing your payment …",
  paid: "Paid",
  paidHint: "Thank you!",
  receiptQr: "Scan for your receipt",
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
  qrTitle: (n) => `QR code for paying with ${n}`,
  cart: "Your items",
  cartEmpty: "The cashier is ringing up your items …",
  pushSent: (e) =>
    e ? `A payment request was sent to the phone ending in ${e}` : "A payment request was sent to your phone",
  checkedInWait:
    "Thanks for scanning! The cashier will ring up your purchase in a moment; the payment request then comes to your phone.",
  pushHint: (apps) => `Open ${apps.join(" or ")} on your phone to approve it.`,
  requestValidFor: "Request valid for",
  vippsUnavailable: (n) => `${n} is not available right now`,
  vippsUnavailableHint: "Please pay another way, or try again in a moment.",
};

export default messages;
