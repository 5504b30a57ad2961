/**
 * The simulated customer phone: what a shopper sees after scanning the QR. Plain server-rendered
 * HTML (no React, no scripts), mobile-first, styled loosely like a wallet app's payment screen.
 */
import { escapeHtml } from "./http";
import { testAmountOutcome } from "./payments";
import type { Receipt } from "./validation";

export interface PhonePaymentView {
  merchantName: string;
  msn: string;
  reference: string;
  state: string;
  amount: { value: number; currency: string };
  paymentDescription?: string;
  receipt?: Receipt;
  expiresAtMs: number;
  returnUrl?: string;
  /** The wallet's name on the simulator's clock: "Vipps MobilePay", or "Vipps" after the brand change. */
  walletName: string;
}

const LOCALES: Record<string, string> = { NOK: "nb-NO", DKK: "da-DK", EUR: "en-IE" };

export function formatMoney(minorUnits: number, currency: string): string {
  return new Intl.NumberFormat(LOCALES[currency] ?? "en-GB", { style: "currency", currency }).format(minorUnits / 100);
}

// Colours meet WCAG AA contrast (4.5:1 for text): white on the darker orange #c73d0d is 5.1:1,
// where the brand's #ff5b24 gives 3.1:1; grey text is #6d6660 (5:1 on the page, 5.6:1 on cards).
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f1ef;color:#1f1b16;
  min-height:100vh;display:flex;flex-direction:column;align-items:center}
.bar{width:100%;background:#c73d0d;color:#fff;padding:14px 18px;font-weight:700;letter-spacing:.2px;display:flex;
  justify-content:space-between;align-items:center}
.bar small{font-weight:500}
main{width:100%;max-width:440px;padding:18px 16px 32px;display:flex;flex-direction:column;gap:16px}
.card{background:#fff;border-radius:18px;padding:20px;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.merchant{display:flex;gap:12px;align-items:center}
.logo{width:44px;height:44px;border-radius:12px;background:#1f1b16;color:#fff;display:grid;place-items:center;font-weight:700}
.muted{color:#6d6660;font-size:14px}
.amount{font-size:40px;font-weight:800;margin:18px 0 4px;letter-spacing:-.5px}
.desc{font-size:16px;margin:0}
table{width:100%;border-collapse:collapse;font-size:15px}
td{padding:7px 0;vertical-align:top;border-bottom:1px solid #eee9e4}
td.num{text-align:right;white-space:nowrap;padding-left:10px}
tr.total td{font-weight:700;border-bottom:0;padding-top:10px}
.actions{display:flex;flex-direction:column;gap:12px}
form{margin:0}
button,.button{display:block;width:100%;border:0;font-family:inherit;border-radius:999px;padding:17px;font-size:18px;font-weight:700;cursor:pointer;
  text-align:center;text-decoration:none}
.pay{background:#c73d0d;color:#fff}
.decline{background:#fff;color:#1f1b16;border:2px solid #d9d3cd}
.status{text-align:center;padding:32px 20px}
.status .icon{line-height:0}
.status h1{font-size:26px;margin:12px 0 6px}
.note{font-size:12px;color:#6d6660;text-align:center}
`;

export function layout(title: string, body: string, walletName: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="bar"><span data-testid="phone-wallet">${escapeHtml(walletName)}</span><small>simulator</small></header>
<main>
${body}
<p class="note">Simulated wallet app. No real money moves.</p>
</main>
</body>
</html>`;
}

function merchantBlock(view: PhonePaymentView): string {
  const initials = view.merchantName.trim().slice(0, 1).toUpperCase() || "K";
  return `<div class="merchant"><div class="logo" aria-hidden="true">${escapeHtml(initials)}</div>
<div><div data-testid="phone-merchant"><strong>${escapeHtml(view.merchantName)}</strong></div>
<div class="muted">MSN ${escapeHtml(view.msn)} · ${escapeHtml(view.reference)}</div></div></div>`;
}

function quantityText(line: Receipt["orderLines"][number], currency: string): string {
  if (!line.unitInfo) return "";
  const unit =
    line.unitInfo.quantityUnit && line.unitInfo.quantityUnit !== "PCS"
      ? ` ${line.unitInfo.quantityUnit.toLowerCase()}`
      : "";
  const price =
    typeof line.unitInfo.unitPrice === "number" ? ` × ${formatMoney(line.unitInfo.unitPrice, currency)}` : "";
  return `${line.unitInfo.quantity}${unit}${price}`;
}

function receiptBlock(view: PhonePaymentView): string {
  const receipt = view.receipt;
  if (!receipt || receipt.orderLines.length === 0) return "";
  const currency = view.amount.currency;
  const rows = receipt.orderLines
    .map((line) => {
      const sign = line.isReturn ? -1 : 1;
      const quantityLabel = quantityText(line, currency);
      const quantity = quantityLabel ? `<div class="muted">${escapeHtml(quantityLabel)}</div>` : "";
      const discount = line.discount
        ? `<div class="muted">Discount −${escapeHtml(formatMoney(line.discount, currency))}</div>`
        : "";
      return `<tr data-testid="phone-order-line"><td>${escapeHtml(line.name)}${quantity}${discount}</td>
<td class="num">${escapeHtml(formatMoney(sign * line.totalAmount, currency))}</td></tr>`;
    })
    .join("\n");
  const tip = receipt.bottomLine.tipAmount
    ? `<tr><td>Tip</td><td class="num">${escapeHtml(formatMoney(receipt.bottomLine.tipAmount, currency))}</td></tr>`
    : "";
  return `<section class="card" aria-label="Receipt"><table>${rows}${tip}
<tr class="total"><td>Total</td><td class="num">${escapeHtml(formatMoney(view.amount.value, currency))}</td></tr></table></section>`;
}

function summaryCard(view: PhonePaymentView): string {
  const description = view.paymentDescription
    ? `<p class="desc" data-testid="phone-description">${escapeHtml(view.paymentDescription)}</p>`
    : "";
  return `<section class="card">${merchantBlock(view)}
<div class="amount" data-testid="phone-amount">${escapeHtml(formatMoney(view.amount.value, view.amount.currency))}</div>
${description}</section>`;
}

export function renderPaymentPage(view: PhonePaymentView, actionBase: string): string {
  const expires = new Date(view.expiresAtMs).toISOString().slice(11, 19);
  return layout(
    `Pay ${formatMoney(view.amount.value, view.amount.currency)} to ${view.merchantName}`,
    `${summaryCard(view)}
${receiptBlock(view)}
<div class="actions">
<form method="post" action="${escapeHtml(`${actionBase}/approve`)}"><button class="pay" type="submit" data-testid="phone-pay">Pay ${escapeHtml(
      formatMoney(view.amount.value, view.amount.currency),
    )}</button></form>
<form method="post" action="${escapeHtml(`${actionBase}/decline`)}"><button class="decline" type="submit" data-testid="phone-decline">Decline</button></form>
</div>
<p class="muted" style="text-align:center">This request expires at ${escapeHtml(expires)} UTC.</p>`,
    view.walletName,
  );
}

// Inline SVG icons: emoji fonts are missing on many kiosk and CI machines.
const icon = (colour: string, path: string) =>
  `<svg width="64" height="64" viewBox="0 0 64 64" aria-hidden="true"><circle cx="32" cy="32" r="30" fill="${colour}"/>` +
  `<path d="${path}" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
const ICONS = {
  check: icon("#1a8f4e", "M19 33l9 9 17-19"),
  cross: icon("#c0392b", "M22 22l20 20M42 22L22 42"),
  stop: icon("#6d6660", "M22 32h20"),
  clock: icon("#b7791f", "M32 18v15l9 6"),
  search: icon("#6d6660", "M29 29m-9 0a9 9 0 1 0 18 0a9 9 0 1 0-18 0M36 36l8 8"),
};

const STATE_TEXT: Record<string, { icon: string; title: string; text: string }> = {
  AUTHORIZED: { icon: ICONS.check, title: "Payment approved", text: "The shop has received your payment." },
  ABORTED: { icon: ICONS.cross, title: "Payment declined", text: "You declined the payment. Nothing was charged." },
  TERMINATED: { icon: ICONS.stop, title: "Payment cancelled", text: "The shop cancelled this payment request." },
  EXPIRED: { icon: ICONS.clock, title: "Payment expired", text: "This payment request is no longer valid." },
  CREATED: { icon: ICONS.clock, title: "Waiting for approval", text: "The payment has not been approved yet." },
};

/**
 * After Pay on a test amount (payments.ts TEST_AMOUNTS) the payment is still CREATED: the app shows why
 * it failed and lets the user try again (same result) or cancel, which declines the payment (ABORTED).
 * The forms post relative to the result page, /qr/{token}/result, so they reach /qr/{token}/approve
 * and /qr/{token}/decline.
 */
function testAmountPage(view: PhonePaymentView, testId: "phone-result" | "phone-state"): string | undefined {
  const outcome = view.state === "CREATED" ? testAmountOutcome(view.amount) : undefined;
  if (!outcome) return undefined;
  const declined = outcome.result === "declined";
  const title = declined ? "Payment failed" : "Result unknown";
  const text = declined
    ? `${outcome.reason}. Nothing was charged. Try again, or cancel the payment.`
    : "The payment is being processed and its result is not known yet.";
  const actions = declined
    ? `<div class="actions">
<form method="post" action="approve"><button class="pay" type="submit" data-testid="phone-retry">Try again</button></form>
<form method="post" action="decline"><button class="decline" type="submit" data-testid="phone-cancel">Cancel payment</button></form>
</div>`
    : "";
  return layout(
    title,
    `<section class="card status"><div class="icon">${declined ? ICONS.cross : ICONS.clock}</div>
<h1 data-testid="${testId}" data-state="${escapeHtml(view.state)}" data-test-amount="${escapeHtml(outcome.result)}">${escapeHtml(title)}</h1>
<p class="muted" data-testid="phone-failure-reason">${escapeHtml(text)}</p>
<p class="note">Test amount ${escapeHtml(formatMoney(view.amount.value, view.amount.currency))}: the test environment always answers it like this.</p></section>
${summaryCard(view)}
${actions}`,
    view.walletName,
  );
}

/** The page after Pay/Decline (testid phone-result) or when revisiting a finished payment (phone-state). */
export function renderStatePage(view: PhonePaymentView, testId: "phone-result" | "phone-state"): string {
  const failed = testAmountPage(view, testId);
  if (failed) return failed;
  const text = STATE_TEXT[view.state] ?? { icon: ICONS.clock, title: view.state, text: "" };
  const back =
    view.returnUrl !== undefined
      ? `<a class="button decline" href="${escapeHtml(view.returnUrl)}" data-testid="phone-return">Back to ${escapeHtml(view.merchantName)}</a>`
      : "";
  return layout(
    text.title,
    `<section class="card status"><div class="icon">${text.icon}</div>
<h1 data-testid="${testId}" data-state="${escapeHtml(view.state)}">${escapeHtml(text.title)}</h1>
<p class="muted">${escapeHtml(text.text)}</p></section>
${summaryCard(view)}
${back}`,
    view.walletName,
  );
}

/**
 * The phone's inbox of push payment requests: what a customer who gave the cashier their number
 * finds in the app. Each request with Pay and Decline, like the payment page.
 */
export function renderPushInboxPage(
  phoneNumber: string,
  requests: { view: PhonePaymentView; actionBase: string }[],
  walletName: string,
  /** More of the phone: its personal QR and a sticker scanner (sticker-pages.ts). */
  extraHtml = "",
): string {
  const masked = `•••• ${phoneNumber.slice(-4)}`;
  const items = requests
    .map(
      ({ view, actionBase }) => `<div data-testid="push-request" data-reference="${escapeHtml(view.reference)}">
${summaryCard(view)}
<div class="actions">
<form method="post" action="${escapeHtml(`${actionBase}/approve`)}"><button class="pay" type="submit" data-testid="phone-pay">Pay ${escapeHtml(formatMoney(view.amount.value, view.amount.currency))}</button></form>
<form method="post" action="${escapeHtml(`${actionBase}/decline`)}"><button class="decline" type="submit" data-testid="phone-decline">Decline</button></form>
</div>
</div>`,
    )
    .join("\n");
  return layout(
    `Payment requests for ${masked}`,
    `<h1 data-testid="push-inbox">Payment requests</h1>
<p class="muted">For the phone ${escapeHtml(masked)}. Reload to see new requests.</p>
${items || '<p class="muted" data-testid="push-inbox-empty">No payment request is waiting.</p>'}
${extraHtml}`,
    walletName,
  );
}

export function renderNotFoundPage(reason: string, walletName: string): string {
  return layout(
    "Payment not found",
    `<section class="card status"><div class="icon">${ICONS.search}</div>
<h1 data-testid="phone-not-found">Payment not found</h1><p class="muted">${escapeHtml(reason)}</p></section>`,
    walletName,
  );
}

export function htmlResponse(status: number, html: string): Response {
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-robots-tag": "noindex" },
  });
}
