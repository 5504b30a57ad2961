import type { Language } from "@/lib/sales/types";
// The type lives beside the language modules, which need it, so they need not import this loader.
import type { DisplayMessages } from "./display/messages";

export type { DisplayMessages };

const LOADERS: Record<Language, () => Promise<{ default: DisplayMessages }>> = {
  nb: () => import("./display/nb"),
  da: () => import("./display/da"),
  fi: () => import("./display/fi"),
  sv: () => import("./display/sv"),
  en: () => import("./display/en"),
};

const loaded = new Map<Language, DisplayMessages>();

/** Messages already in memory, if this language has been loaded before. */
export function cachedDisplayMessages(language: Language): DisplayMessages | undefined {
  return loaded.get(language);
}

export async function loadDisplayMessages(language: Language): Promise<DisplayMessages> {
  const cached = loaded.get(language);
  if (cached) return cached;
  const messages = (await LOADERS[language]()).default;
  loaded.set(language, messages);
  return messages;
}
