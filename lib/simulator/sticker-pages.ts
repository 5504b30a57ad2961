/**
 * The simulated phone's side of the merchant callback QR: the page a phone opens when it reads a
 * sticker (scan it as the phone with a given number), and on the phone's own page its personal QR
 * and a field to scan a sticker with. Plain HTML forms, like the payment pages.
 */
import { escapeHtml } from "./http";
import { layout } from "./phone";
import { renderQrSvg } from "./qr";

/** An SVG element for inline use in a page (renderQrSvg makes a standalone document). */
export function inlineQrSvg(value: string, size = 220): string {
  return renderQrSvg(value, size).replace(/^<\?xml[^>]*\?>\s*/, "");
}

export function renderStickerPage(params: {
  locationDescription: string;
  merchantName: string;
  scanAction: string;
  walletName: string;
}): string {
  return layout(
    `Check in at ${params.locationDescription}`,
    `<section class="card"><h1 data-testid="sticker-page">${escapeHtml(params.merchantName)}</h1>
<p class="muted" data-testid="sticker-location">${escapeHtml(params.locationDescription)}</p>
<p>Scanning this sticker tells the shop you are at the till; the payment request then comes to your phone.</p>
<form method="post" action="${escapeHtml(params.scanAction)}">
<label>Scan as the phone with number (country code and digits, 4791234567)<br>
<input name="phoneNumber" inputmode="numeric" pattern="[0-9]{10,15}" required data-testid="sticker-phone-number"></label>
<div class="actions"><button class="pay" type="submit" data-testid="sticker-scan">Scan this sticker</button></div>
</form></section>`,
    params.walletName,
  );
}

/** Shown under the phone's inbox: its personal QR for the cashier's scanner, and a sticker scanner. */
export function renderPhoneExtras(params: { personalQr: string; scanAction: string }): string {
  return `<section class="card" aria-label="Personal QR">
<h2>My QR</h2>
<p class="muted">Show this to the cashier; their scanner sends the payment request to this phone.</p>
<div data-testid="personal-qr-image">${inlineQrSvg(params.personalQr)}</div>
<p><code data-testid="personal-qr-content">${escapeHtml(params.personalQr)}</code></p>
</section>
<section class="card" aria-label="Scan a sticker">
<h2>Scan a sticker</h2>
<form method="post" action="${escapeHtml(params.scanAction)}">
<label>The sticker's QR content<br><input name="sticker" required data-testid="phone-sticker-content"></label>
<div class="actions"><button class="pay" type="submit" data-testid="phone-scan-sticker">Scan as this phone</button></div>
</form></section>`;
}
