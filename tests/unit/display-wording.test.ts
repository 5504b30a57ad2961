/**
 * The display's words name the wallet the way the market knows it on the day: before the brand
 * change Vipps first in Norway (and Sweden), MobilePay first in Denmark and Finland; from
 * KASSA_BRAND_SWITCH_AT (12 January 2027) Vipps alone in every market and language. Brand names are
 * written exactly so. Sources: ../shared/research/VIPPS-FACTS.md ("Markets", "what changes in 2026–2027").
 */
import { describe, expect, it } from "vitest";
import { loadDisplayMessages } from "@/lib/i18n/display-messages";
import { LANGUAGES } from "@/lib/sales/types";
import {
  DEFAULT_BRAND_SWITCH_AT,
  isVippsHost,
  landingHostFor,
  walletAppsFor,
  walletBrandAt,
  walletBrandName,
} from "@/lib/vipps/brand";

const SWITCH_MS = Date.parse(DEFAULT_BRAND_SWITCH_AT);

describe("the wallet brand by date", () => {
  it("switches at midnight Copenhagen time on 12 January 2027, not a millisecond before", () => {
    expect(new Date(SWITCH_MS).toISOString()).toBe("2027-01-11T23:00:00.000Z");
    expect(walletBrandAt(SWITCH_MS - 1, SWITCH_MS)).toBe("vipps-mobilepay");
    expect(walletBrandAt(SWITCH_MS, SWITCH_MS)).toBe("vipps");
    expect(walletBrandName("vipps-mobilepay")).toBe("Vipps MobilePay");
    expect(walletBrandName("vipps")).toBe("Vipps");
  });

  it("before the switch puts Vipps first for NOK and MobilePay first for DKK and EUR; after it, Vipps alone", () => {
    expect(walletAppsFor("NOK", "vipps-mobilepay")).toEqual(["Vipps", "MobilePay"]);
    expect(walletAppsFor("DKK", "vipps-mobilepay")).toEqual(["MobilePay", "Vipps"]);
    expect(walletAppsFor("EUR", "vipps-mobilepay")).toEqual(["MobilePay", "Vipps"]);
    for (const currency of ["NOK", "DKK", "EUR"]) expect(walletAppsFor(currency, "vipps")).toEqual(["Vipps"]);
  });

  it("moves the Danish and Finnish landing pages to Vipps' domains, and counts old and new as Vipps'", () => {
    expect([landingHostFor("DKK", "vipps-mobilepay"), landingHostFor("EUR", "vipps-mobilepay")]).toEqual([
      "pay.mobilepay.dk",
      "pay.mobilepay.fi",
    ]);
    expect([landingHostFor("DKK", "vipps"), landingHostFor("EUR", "vipps"), landingHostFor("NOK", "vipps")]).toEqual([
      "pay.vipps.dk",
      "pay.vipps.fi",
      "pay.vipps.no",
    ]);
    for (const host of [
      "pay.mobilepay.dk",
      "pay.mobilepay.fi",
      "pay.vipps.dk",
      "pay.vipps.fi",
      "qr.vipps.no",
      "QR-IMAGE.VIPPS.NO.",
    ])
      expect(isVippsHost(host), host).toBe(true);
    for (const host of ["vipps.no.example.com", "evilvipps.no", "mobilepay.dk.attacker.net", "localhost"])
      expect(isVippsHost(host), host).toBe(false);
  });
});

describe("the wallet apps in every display language", () => {
  it("before the switch names the market's first app first, with the brand names exactly so", async () => {
    for (const language of LANGUAGES) {
      const messages = await loadDisplayMessages(language);
      for (const currency of ["NOK", "DKK", "EUR"]) {
        const apps = walletAppsFor(currency, "vipps-mobilepay");
        const [first, second] = apps;
        for (const text of [messages.scanWithApp(apps), messages.pushHint(apps)]) {
          expect(text.indexOf(first), `${language} ${currency}: ${text}`).toBeGreaterThanOrEqual(0);
          expect(text.indexOf(first)).toBeLessThan(text.indexOf(second!));
          expect(text).not.toMatch(/Mobilepay|MOBILEPAY|VIPPS|vipps|mobilepay/);
        }
      }
    }
  });

  it("after the switch names Vipps and never MobilePay, in every text that names the wallet", async () => {
    for (const language of LANGUAGES) {
      const messages = await loadDisplayMessages(language);
      const name = walletBrandName("vipps");
      for (const currency of ["NOK", "DKK", "EUR"]) {
        const apps = walletAppsFor(currency, "vipps");
        for (const text of [
          messages.scanWithApp(apps),
          messages.pushHint(apps),
          messages.acceptsVipps(name),
          messages.qrTitle(name),
        ]) {
          expect(text, `${language} ${currency}`).toContain("Vipps");
          expect(text, `${language} ${currency}`).not.toMatch(/mobilepay|undefined/i);
        }
      }
      expect(messages.acceptsVipps(walletBrandName("vipps-mobilepay"))).toContain("Vipps MobilePay");
    }
  });
});
