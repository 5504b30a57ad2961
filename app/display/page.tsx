"use client";

import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { PairingPanel } from "@/components/display/pairing-panel";
import { useDisplayMessages } from "@/components/display/use-display-messages";
import { useKiosk } from "@/components/display/use-kiosk";
import { useWakeLock } from "@/components/display/use-wake-lock";
import { pickLanguage } from "@/lib/i18n/locale";
import type { Language } from "@/lib/sales/types";

/**
 * Entry point for a display that has no link: a paired device goes straight to its terminal,
 * anything else shows a pairing code.
 */
export default function DisplayEntryPage() {
  const router = useRouter();
  const [mode, setMode] = useState<"checking" | "pairing">("checking");
  const [language, setLanguage] = useState<Language>("en");
  const messages = useDisplayMessages(language);
  useKiosk();
  useWakeLock();

  useEffect(() => {
    setLanguage(pickLanguage(navigator.languages));
    let cancelled = false;
    fetch("/api/display/pairings", { cache: "no-store" })
      .then(async (response) => {
        const body = response.ok ? ((await response.json()) as { terminalId?: string }) : {};
        if (cancelled) return;
        if (body.terminalId) router.replace(`/display/${encodeURIComponent(body.terminalId)}`);
        else setMode("pairing");
      })
      .catch(() => !cancelled && setMode("pairing"));
    return () => {
      cancelled = true;
    };
  }, [router]);

  return (
    <main
      className="kiosk-root bg-ink-950 text-white"
      data-testid="display-phase"
      data-phase={mode === "pairing" ? "unpaired" : "loading"}
    >
      {mode === "pairing" && messages ? (
        <PairingPanel
          messages={messages}
          onPaired={(terminalId) => router.replace(`/display/${encodeURIComponent(terminalId)}`)}
        />
      ) : null}
    </main>
  );
}
