"use client";

import { useEffect, useState } from "react";

/**
 * The server's clock as seen from this device (device time + offset), re-read every `tickMs`
 * while `ticking`, and exactly at `deadline` so a screen change is not late by up to one tick.
 */
export function useServerNow(offsetMs: number, ticking: boolean, deadline?: number, tickMs = 250): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);

  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const timers: ReturnType<typeof setTimeout>[] = [];
    if (ticking) {
      const interval = setInterval(() => setNow(Date.now() + offsetMs), tickMs);
      timers.push(interval);
    }
    if (deadline !== undefined) {
      const wait = deadline - (Date.now() + offsetMs);
      if (wait > 0 && wait < 2 ** 31 - 1) timers.push(setTimeout(() => setNow(Date.now() + offsetMs), wait + 5));
    }
    return () => {
      for (const timer of timers) clearTimeout(timer);
    };
  }, [offsetMs, ticking, deadline, tickMs]);

  return now;
}
