import type { DisplayPhase, DisplayState } from "@/lib/display/display-state";

export type ScreenPhase = DisplayPhase | "loading";

export interface DisplayView {
  phase: ScreenPhase;
  /** QR to draw; never set once the server clock has passed its expiry. */
  qr?: { url: string; expiresAt: number };
  remainingMs?: number;
  /** Server-clock instant at which the screen changes by itself (expiry, return to idle). */
  nextChangeAt?: number;
}

/** How long a QR that ran out locally stays as "expired" when the server cannot be reached. */
const LOCAL_EXPIRED_MS = 8_000;

/**
 * What the screen shows at server time `nowMs`. The server's state can be seconds old (a dropped
 * network), so the deadlines it sent are applied here too: an expired QR leaves the screen at the
 * exact moment, and an outcome screen gives way to idle on time.
 */
export function deriveView(state: DisplayState | undefined, nowMs: number): DisplayView {
  if (!state) return { phase: "loading" };
  const phase = state.phase;

  if (phase === "pending") {
    const qr = state.sale?.qr;
    // A push sale counts down the request on the customer's phone the same way.
    const deadline = qr?.expiresAt ?? state.sale?.push?.expiresAt;
    if (!deadline) return { phase };
    const expiresAt = Date.parse(deadline);
    if (nowMs >= expiresAt) {
      const idleAt = expiresAt + LOCAL_EXPIRED_MS;
      return nowMs >= idleAt ? { phase: "idle" } : { phase: "expired", nextChangeAt: idleAt };
    }
    return {
      phase,
      ...(qr ? { qr: { url: qr.url, expiresAt } } : {}),
      remainingMs: expiresAt - nowMs,
      nextChangeAt: expiresAt,
    };
  }

  if (phase !== "idle" && phase !== "approved" && state.returnToIdleAt) {
    const idleAt = Date.parse(state.returnToIdleAt);
    if (nowMs >= idleAt) return { phase: "idle" };
    return { phase, nextChangeAt: idleAt };
  }
  return { phase };
}
