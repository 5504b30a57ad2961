import { DomainError } from "@/lib/errors";
import type { Currency } from "./types";

/** The country a shop's currency says it sells in, for a number typed without its country code. */
const COUNTRY_CODES: Record<string, { code: string; nationalDigits: readonly number[] }> = {
  NOK: { code: "47", nationalDigits: [8] },
  DKK: { code: "45", nationalDigits: [8] },
  // Finnish mobile numbers are 6 to 10 digits after the trunk 0 (040 123 4567 → 358 40 123 4567).
  EUR: { code: "358", nationalDigits: [6, 7, 8, 9, 10] },
};

/**
 * The customer's number as Vipps takes it: country code and number, digits only. What the
 * cashier types is read as a person would: with + or 00 it carries its country code; a national
 * number (Norway's and Denmark's eight digits, a Finnish number with or without its leading 0)
 * gets the shop's country's; ten digits or more without + are taken as already international
 * (4791234567), as the API always took them.
 */
export function internationalPhoneNumber(typed: string, currency: Currency): string {
  const cleaned = typed.replace(/[\s().-]/g, "");
  const international = /^(\+|00)/.test(cleaned);
  const digits = cleaned.replace(/^(\+|00)/, "");
  if (!/^[0-9]+$/.test(digits)) throw phoneProblem("digits");
  const country = COUNTRY_CODES[currency];
  let number = digits;
  if (!international && country) {
    const national = digits.replace(/^0/, "");
    const typedNationally = digits.startsWith("0") || digits.length < 10;
    if (typedNationally) {
      if (!country.nationalDigits.includes(national.length)) throw phoneProblem("length", country.code);
      number = `${country.code}${national}`;
    }
  }
  if (!/^[1-9][0-9]{9,14}$/.test(number)) throw phoneProblem("length", country?.code);
  return number;
}

function phoneProblem(reason: "digits" | "length", countryCode?: string): DomainError {
  const example = countryCode === "45" ? "20 12 34 56" : countryCode === "358" ? "040 123 4567" : "412 34 567";
  return new DomainError(
    "validation",
    `That is not a mobile number. Type the customer's number, e.g. ${example}, or with its country code, e.g. +${countryCode ?? "47"} ${example.replace(/^0/, "")}.`,
    { errors: [{ field: "customer.phoneNumber", reason: reason === "digits" ? "notDigits" : "wrongLength" }] },
  );
}
