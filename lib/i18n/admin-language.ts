import { pickLanguage } from "./locale";
import type { Language } from "@/lib/sales/types";

/**
 * The cookie holding the cashier's choice of language. A plain module, not the "use client"
 * provider's: a server component importing from a client module gets a client reference, not the
 * string, and would look up a cookie that does not exist.
 */
export const ADMIN_LANGUAGE_COOKIE = "kassa_admin_lang";

/** The cashier's own choice (the cookie) first, else what the browser asks for, else English. */
export function adminLanguage(chosen: string | undefined, acceptLanguage: string | null): Language {
  const accepted = (acceptLanguage ?? "").split(",").map((part) => part.split(";")[0]!.trim());
  return pickLanguage([chosen ?? "", ...accepted].filter(Boolean), "en");
}
