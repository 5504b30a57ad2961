"use client";

import { LANGUAGE_NAMES } from "@/lib/i18n/locale";
import { LANGUAGES, type Language } from "@/lib/sales/types";
import { inputClass } from "./ui";

export function LanguageSelect(props: {
  id: string;
  testId: string;
  value: Language;
  onChange: (language: Language) => void;
}) {
  return (
    <select
      id={props.id}
      data-testid={props.testId}
      value={props.value}
      onChange={(event) => props.onChange(event.target.value as Language)}
      className={inputClass}
    >
      {LANGUAGES.map((code) => (
        <option key={code} value={code}>
          {LANGUAGE_NAMES[code]}
        </option>
      ))}
    </select>
  );
}
