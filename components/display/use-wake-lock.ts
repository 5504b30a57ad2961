"use client";

import { useEffect } from "react";
import { keepAwakeWithVideo } from "./keep-awake-video";

/**
 * Keeps the kiosk screen on with the Screen Wake Lock API where the browser has it. The lock is
 * dropped whenever the page is hidden, so it is taken again on every return to visible, and
 * retried now and then in case the first request was refused (no user gesture yet, low battery).
 *
 * The API exists only in secure contexts (HTTPS or localhost), and a shop often opens its displays
 * at a plain-http LAN address: there a playing video holds the screen instead (keep-awake-video.ts).
 */
export function useWakeLock(): void {
  useEffect(() => {
    const wakeLock = (
      navigator as Navigator & { wakeLock?: { request(type: "screen"): Promise<WakeLockSentinelLike> } }
    ).wakeLock;
    if (!wakeLock) return keepAwakeWithVideo();
    let sentinel: WakeLockSentinelLike | undefined;
    let disposed = false;

    const acquire = async () => {
      if (disposed || document.visibilityState !== "visible" || (sentinel && !sentinel.released)) return;
      try {
        sentinel = await wakeLock.request("screen");
      } catch {
        // Refused for now; the next visibility change or retry tries again.
      }
    };
    const onVisibility = () => void acquire();

    void acquire();
    document.addEventListener("visibilitychange", onVisibility);
    const retry = setInterval(() => void acquire(), 60_000);
    return () => {
      disposed = true;
      clearInterval(retry);
      document.removeEventListener("visibilitychange", onVisibility);
      void sentinel?.release().catch(() => undefined);
    };
  }, []);
}

interface WakeLockSentinelLike {
  released: boolean;
  release(): Promise<void>;
}
