"use client";

import { useEffect, useRef } from "react";
import type { DisplayState } from "@/lib/display/display-state";

/**
 * Chimes (chime-sound.ts) when the sale on screen goes from waiting (pending or approved) to paid, if the
 * terminal wants it: once per sale, and only when the display saw it happen (a display reloaded
 * during the "paid" screen stays quiet).
 */
export function useSuccessChime(state: DisplayState | undefined): void {
  const watched = useRef<{ saleId?: string; phase?: string; chimed?: string }>({});
  useEffect(() => {
    const saleId = state?.sale?.id;
    const phase = state?.phase;
    const before = watched.current;
    const sawItHappen =
      saleId !== undefined && before.saleId === saleId && (before.phase === "pending" || before.phase === "approved");
    if (phase === "paid" && sawItHappen && before.chimed !== saleId && state?.terminal.chime) {
      // The sound's code loads only when a payment goes through: it is not in the first paint.
      void import("./chime-sound").then(({ playChime }) => {
        if (!playChime()) return;
        const root = document.documentElement;
        root.dataset.chimes = String(Number(root.dataset.chimes ?? "0") + 1);
      });
      watched.current = { saleId, phase, chimed: saleId };
      return;
    }
    watched.current = { saleId, phase, chimed: before.chimed };
  }, [state]);
}
