import "server-only";
import type { Language } from "@/lib/sales/types";
import type { AdminMessages } from "./admin-messages";

// Server only: the admin layout loads the cashier's language and passes just that dictionary to the
// client, so the other four never reach the browser.
const LOADERS: Record<Language, () => Promise<{ default: AdminMessages }>> = {
  nb: () => import("./admin/nb"),
  da: () => import("./admin/da"),
  fi: () => import("./admin/fi"),
  sv: () => import("./admin/sv"),
  en: () => import("./admin/en"),
};

export async function loadAdminMessages(language: Language): Promise<AdminMessages> {
  return (await LOADERS[language]()).default;
}
