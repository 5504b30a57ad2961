/**
 * The display's call to action names the app the market knows first: Vipps in Norway (and Sweden),
 * MobilePay in Denmark and Finland; the brand names are written exactly so, in every language.
 * Source: Vipps MobilePay's brand guidelines and ../shared/research/VIPPS-FACTS.md (markets).
 */
import { describe, expect, it } from "vitest";
import { loadDisplayMessages, walletAppsFor } from "@/lib/i18n/display-messages";
import { LANGUAGES } from "@/lib/sales/types";

describe("the wallet apps on the display", () => {
  it("puts Vipps first for NOK and MobilePay first for DKK and EUR", () => {
    expect(walletAppsFor("NOK")).toEqual(["Vipps", "MobilePay"]);
    expect(walletAppsFor("DKK")).toEqual(["MobilePay", "Vipps"]);
    expect(walletAppsFor("EUR")).toEqual(["MobilePay", "Vipps"]);
  });

  it("every language names the market's first app first, with the brand names exactly so", async () => {
    for (const language of LANGUAGES) {
      const messages = await loadDisplayMessages(language);
      for (const currency of ["NOK", "DKK", "EUR"]) {
        const [first, second] = walletAppsFor(currency);
        for (const text of [messages.scanWithApp(walletAppsFor(currency)), messages.pushHint(walletAppsFor(currency))]) {
          expect(text.indexOf(first), `${language} ${currency}: ${text}`).toBeGreaterThanOrEqual(0);
          expect(text.indexOf(first)).toBeLessThan(text.indexOf(second));
          expect(text).not.toMatch(/Mobilepay|MOBILEPAY|VIPPS|vipps|mobilepay/);
        }
      }
    }
  });
});
