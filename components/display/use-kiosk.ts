"use client";

import { useEffect } from "react";

/**
 * Kiosk hygiene for the page as a whole: no scrolling or bouncing of <html>, no context menu from
 * a long press, no pinch zoom that nobody will undo.
 */
export function useKiosk(): void {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add("kiosk");
    const prevent = (event: Event) => event.preventDefault();
    document.addEventListener("contextmenu", prevent);
    document.addEventListener("gesturestart", prevent);
    document.addEventListener("dblclick", prevent);
    return () => {
      root.classList.remove("kiosk");
      document.removeEventListener("contextmenu", prevent);
      document.removeEventListener("gesturestart", prevent);
      document.removeEventListener("dblclick", prevent);
    };
  }, []);
}
